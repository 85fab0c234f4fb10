"""Text rules that the edits and the loader share: placing a quote in a source's text, and reading
a page's dates."""
