"""The real-coverage set of the extractor (README.md here): `python -m bench.coverage`."""
