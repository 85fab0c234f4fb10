"""What several domains share: the brief shapes their answers embed, the statement rows they read,
the lookups by slug, and the helpers their writes use."""
