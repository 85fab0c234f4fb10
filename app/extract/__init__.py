"""Drafting sayso/1 annotations from news articles: `extract()` in pipeline.py (issue 6)."""
