# sayso's API server. With docker-compose.yml it runs against PostgreSQL; alone, it falls back to
# an SQLite file inside the container (SAYSO_DATABASE_URL unset), which is lost with it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_CACHE_DIR=/tmp/uv-cache

RUN pip install --no-cache-dir uv==0.13.8 \
    && useradd --system --create-home --uid 10001 sayso

WORKDIR /app
RUN chown sayso:sayso /app
USER sayso

# Dependencies first, in their own layer, so that a code change does not reinstall them.
COPY --chown=sayso:sayso pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project && rm -rf "$UV_CACHE_DIR"

# Then the project. uv installs it in editable mode, so app/config.py's PROJECT_ROOT is /app and
# seed_data/, migrations/ and alembic.ini are found beside it.
COPY --chown=sayso:sayso . .
RUN uv sync --frozen --no-dev && rm -rf "$UV_CACHE_DIR"

EXPOSE 8000
# Healthy when it can serve: /ready answers 200 once the database answers and its schema is at
# the migrations' head (a 503 otherwise; /health is liveness alone). The image has no curl.
# The start period leaves time for the seed load of --load-seed.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=4)"]
CMD ["uv", "run", "--frozen", "--no-dev", "sayso", "serve", "--host", "0.0.0.0", "--port", "8000", "--load-seed"]
