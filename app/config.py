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


@lru_cache
def get_settings() -> Settings:
    return Settings()
