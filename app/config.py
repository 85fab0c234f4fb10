"""Settings, read from the environment (prefix SAYSO_) once per process."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _lower(value: Any) -> Any:
    """A word of a choice, in any case: INFO is info."""
    return value.lower() if isinstance(value, str) else value


LogLevel = Annotated[Literal["debug", "info", "warning", "error"], BeforeValidator(_lower)]
LogFormat = Annotated[Literal["text", "json"], BeforeValidator(_lower)]
ReadyRequires = Annotated[Literal["schema", "data", "seed"], BeforeValidator(_lower)]


def _rate_limits(value: str) -> str:
    """Rates in the notation of the `limits` library ("60/minute", "10/second;500/hour")."""
    if value.strip():
        from limits import parse_many  # imported only when a rate is set

        try:
            parse_many(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a rate: write it as '60/minute', or several as "
                "'10/second;500/hour' (per second, minute, hour or day)"
            ) from None
    return value.strip()


RateLimits = Annotated[str, AfterValidator(_rate_limits)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAYSO_")

    # The embedded default: an SQLite file in the working tree. PostgreSQL in production:
    # postgresql+psycopg://user:password@host/dbname
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'sayso.db'}"
    seed_dir: Path = PROJECT_ROOT / "seed_data"
    # Seconds an API write waits for a lock another transaction holds (a load's, or another
    # write's) before it is answered 503 with Retry-After (docs/durability.md).
    write_wait: float = Field(5.0, gt=0)
    # How an API write's commit reaches the disk on SQLite (docs/durability.md): "full" syncs
    # it before the answer; "normal" is faster, and a power cut may lose the last commits.
    sqlite_synchronous: Literal["full", "normal"] = "full"
    # Rows per page when a list request does not say.
    page_size: int = Field(50, ge=1, le=500)
    # Origins whose web pages may call the API (CORS), e.g. ["https://app.example.org"], or
    # ["*"] for any; empty: no CORS headers. From the environment as JSON:
    # SAYSO_CORS_ORIGINS='["https://app.example.org"]'.
    cors_origins: list[str] = []
    # Reads are public; set SAYSO_READS_NEED_KEY=true to require an API key for them too.
    reads_need_key: bool = False
    # Drafts (statements, appearances and contradictions proposed or rejected in review) are
    # shown to a read with an API key only; true: to every reader (docs/curating.md#review).
    public_drafts: bool = False
    # The history of changes is read with an API key only; true: by every reader, with each
    # change's key named by its role alone (docs/curating.md#history).
    public_history: bool = False
    # The largest request body accepted (a document with its annotations), in bytes: a larger
    # one is answered 413. (A JSON body nested deeper than 64 levels is answered 422.)
    max_body_bytes: int = 5_000_000
    # HTTP limits of `sayso serve` (docs/http-limits.md).
    # The largest request head (request line and headers), in bytes: a larger one is answered
    # 431 and its connection closed. An API request's head is well under 2 kB.
    max_head_bytes: int = Field(16_384, ge=1_024)
    # Seconds a connection has to send a whole request head, from its opening (or, on a
    # connection kept alive, from the request's first byte): then it is closed, with a 408 if
    # the head had begun. Against connections opened and left (or fed a byte at a time).
    head_timeout: float = Field(10.0, gt=0)
    # Seconds a request body may stop coming before its connection is closed.
    body_timeout: float = Field(30.0, gt=0)
    # Seconds an idle connection is kept open for its next request (uvicorn's
    # timeout_keep_alive).
    keep_alive_timeout: int = Field(5, ge=1)
    # Seconds a client may stop reading an answer (an export, above all) before it is let go:
    # the export stops and gives back its database connection, and the connection is closed.
    send_timeout: float = Field(30.0, gt=0)
    # Exports (/statements.csv, /statements.ndjson) streaming at once in one server worker, each
    # on a database connection of its own: one more is answered 503 with Retry-After.
    export_max_concurrent: int = Field(4, ge=1)
    # The database connections a server worker's writes keep at most (the pool), and how long a
    # write waits for one when they are all in use before it is answered 503 with Retry-After.
    db_pool_size: int = Field(10, ge=1)
    db_pool_timeout: float = Field(10.0, gt=0)
    # Seconds a server's read query may run before it is stopped and answered 503 with
    # Retry-After (0: no limit): reads run inline in a worker's event loop, and a slow one would
    # hold the worker. Not for exports (bounded by send_timeout and export_max_concurrent),
    # writes (write_wait) or the command line (`sayso load`, `export`, `backup`).
    statement_timeout: float = Field(10.0, ge=0)
    # The server's worker pool (docs/operating.md#workers). A worker whose event loop has not
    # beaten for this many seconds (the loop blocked, the process stopped) is killed and
    # replaced. Keep it above statement_timeout: a read cut at that limit is not a stuck worker.
    worker_timeout: int = Field(30, ge=3)
    # Seconds a stopping server (SIGTERM) gives the requests in flight to finish; a worker still
    # busy a second later is killed.
    shutdown_timeout: int = Field(30, ge=1)
    # The server's log (docs/operating.md#logs): records at this level and above go to stderr,
    # as readable text, or as one JSON object a line ("json").
    log_level: LogLevel = "info"
    log_format: LogFormat = "text"
    # PostgreSQL streaming replicas of SAYSO_DATABASE_URL, for reads (docs/scaling.md), as JSON:
    # '["postgresql+psycopg://sayso@replica1/sayso"]'; empty: every read on the primary. A
    # replica further behind the primary than replica_max_lag seconds is skipped, as is one that
    # does not answer (checked every replica_check_interval seconds by each worker); a read that
    # sends a write's X-Sayso-LSN waits up to replica_wait seconds for a replica to replay it,
    # then reads on the primary.
    read_database_urls: list[str] = []
    replica_max_lag: float = Field(5.0, gt=0)
    replica_check_interval: float = Field(1.0, gt=0)
    replica_wait: float = Field(0.5, ge=0)
    # What GET /ready needs beyond a database that answers with its schema at the migrations'
    # head (docs/operating.md#health): "schema", nothing more; "data", at least one source
    # stored; "seed", every source of the seed (seed_dir/annotations) stored.
    ready_requires: ReadyRequires = "schema"
    # PostgreSQL: seconds a server's session may sit idle inside a transaction before the
    # server ends it (idle_in_transaction_session_timeout; 0: never). Not for `sayso load`.
    db_idle_in_transaction_timeout: float = Field(60.0, ge=0)
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
    # The parse's second opinion where the extractor's rules find nothing (spaCy,
    # docs/extraction.md#the-parses-second-opinion); false: the rules alone, and the parser is
    # never loaded (~90 MB and a few seconds less per process).
    extract_parse: bool = True
    # Prometheus metrics at GET /metrics (docs/operating.md#metrics); off: nothing of them is
    # installed. With a token, /metrics asks for it as 'Authorization: Bearer <token>'; without,
    # it is open to whoever reaches it. `sayso serve`'s workers keep their figures in files in
    # metrics_dir (emptied at start; unset: a new temporary folder).
    metrics: bool = False
    metrics_token: str = ""
    metrics_dir: Path | None = None
    # Rate limits of writes and extraction (POST, PUT, PATCH, DELETE), per API key and per
    # client address, in each server worker (docs/operating.md#rate-limits): "60/minute",
    # "10/second;500/hour"; empty: no limit.
    rate_limit_per_key: RateLimits = ""
    rate_limit_per_address: RateLimits = ""

    @model_validator(mode="after")
    def _replicas_of_postgresql(self) -> Self:
        for name, url in [
            ("SAYSO_DATABASE_URL", self.database_url),
            *(("SAYSO_READ_DATABASE_URLS", u) for u in self.read_database_urls),
        ]:
            if self.read_database_urls and not url.startswith("postgresql"):
                raise ValueError(
                    f"read replicas (SAYSO_READ_DATABASE_URLS) are PostgreSQL's streaming replicas "
                    f"of a PostgreSQL primary, and {name} names {url.split(':')[0]}"
                )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
