"""sayso's benchmark harness: a corpus generator, the floors it is measured against, and the run.

See bench/README.md; `python -m bench.run` (or `make bench`) prints the table and writes
bench/RESULTS.md.
"""
