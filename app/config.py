"""Settings, read from the environment (prefix SAYSO_) once per process."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAYSO_")

    # The embedded default: an SQLite file in the working tree. PostgreSQL in production:
    # postgresql+psycopg://user:password@host/dbname
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'sayso.db'}"
    seed_dir: Path = PROJECT_ROOT / "seed_data"
    # Rows per page when a list request does not say.
    page_size: int = Field(50, ge=1, le=500)
    # Origins whose web pages may call the API (CORS), e.g. ["https://app.example.org"], or
    # ["*"] for any; empty: no CORS headers. From the environment as JSON:
    # SAYSO_CORS_ORIGINS='["https://app.example.org"]'.
    cors_origins: list[str] = []
    # Reads are public; set SAYSO_READS_NEED_KEY=true to require an API key for them too.
    reads_need_key: bool = False
    # The largest request body accepted (a document with its annotations), in bytes.
    max_body_bytes: int = 5_000_000
    # The price of POST /extract (docs/extract-limits.md). The longest text it drafts, in
    # characters, with an API key (an editor's or an admin's): longer is refused (413). A normal
    # article is 3,000-30,000; this one takes ~2 s of CPU. (max_body_bytes still applies.)
    extract_max_chars: int = Field(500_000, ge=1)
    # The longest text drafted without a key (413 beyond: with a key, up to extract_max_chars).
    extract_anonymous_chars: int = Field(50_000, ge=0)
    # CPU seconds one extraction may use: past it, it is stopped and answered 503.
    extract_cpu_seconds: float = Field(10.0, gt=0)
    # Memory an extraction process may take beyond what it starts with, in MB: past it, 503.
    extract_memory_mb: int = Field(512, ge=16)
    # Extractions at once in one server worker, each in a process of its own. A request beyond
    # waits up to extract_queue_seconds for one to end, then is answered 503 with Retry-After.
    extract_concurrency: int = Field(1, ge=1)
    extract_queue_seconds: float = Field(2.0, ge=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
