# sayso's everyday commands. `make run` serves the API with the seed data loaded;
# `make test` is exactly what CI runs (through .ci/run). Both install uv when it is missing
# (pinned, with pip) and install the locked dependencies with `uv sync --frozen`.
#
# UV names the uv command; override it when uv is not on PATH, e.g. make test UV="python3 -m uv".

UV ?= uv
UV_VERSION := 0.13.8
# Where `make run` listens: make run PORT=8080 HOST=0.0.0.0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test uv sync

# Install uv if `$(UV)` does not run.
uv:
	$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv==$(UV_VERSION)

sync: uv
	$(UV) sync --frozen

# Serving needs the runtime dependencies only (the test tools are left as they are, if there).
run: uv
	$(UV) sync --frozen --no-dev --inexact
	$(UV) run --frozen --no-sync sayso serve --load-seed --host $(HOST) --port $(PORT)

test: sync
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports
	$(UV) run --frozen pytest

# The benchmark (bench/README.md): generates corpora, loads and serves them with sayso, the
# plain-driver floors and Datasette, and prints one table (also kept in bench/RESULTS.md). It takes
# long: about 45 minutes at the default sizes (10k, 100k, 1m statements on SQLite and PostgreSQL),
# over half of it at 1m, and ~4 GB of disk in bench/out/. Options go in BENCH_ARGS, e.g.
# make bench BENCH_ARGS="--sizes 10k,100k --backends sqlite".
.PHONY: bench
bench: uv
	$(UV) sync --frozen --group bench
	$(UV) run --frozen --group bench python -m bench.run $(BENCH_ARGS)
