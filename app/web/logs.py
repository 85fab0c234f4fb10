"""Logs: each line of a request carries its id, as readable text or as JSON lines.

The request id lives in a context variable, set by the access log (app/web/access.py) for as
long as its request runs: the tasks and worker threads the request starts (a write's
transaction runs in one) get a copy of it. A filter on the handler writes it into every record,
whichever logger made it, so a line of uvicorn's or of a write's carries the id as the access
line does. Outside a request there is none ("-" in text, absent from JSON).

Formatted here with the standard library and orjson: a JSON formatter from PyPI would add a
dependency for some twenty lines.
"""

import logging
import sys
import time
from contextvars import ContextVar
from typing import Any, Literal, TextIO

import orjson

LogFormat = Literal["text", "json"]

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

# What every LogRecord has: anything else on a record was given in `extra` and goes into the
# JSON line as a member of its own (but uvicorn's message in colour).
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName", "color_message"}
)


def current_request_id() -> str | None:
    """The id of the request being answered, if any."""
    return REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Writes the current request's id into each record (`request_id`; None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__["request_id"] = REQUEST_ID.get()
        return True


def _instant(record: logging.LogRecord) -> str:
    """When the record was made, in UTC, to the millisecond: 2026-12-07T09:12:03.042Z."""
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
    return f"{seconds}.{int(record.msecs):03d}Z"


class TextFormatter(logging.Formatter):
    """`<instant> <LEVEL> <logger> [<request id>] <message>`, then the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None) or "-"
        line = f"{_instant(record)} {record.levelname} {record.name} [{rid}] {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, the record's extra
    fields, and the traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _instant(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid is not None:
            line["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(line, default=str).decode()


class _Handler(logging.StreamHandler[TextIO]):
    """The handler configure() installs (so that it can find and replace its own)."""


def configure(level: str = "info", form: LogFormat = "text", stream: TextIO | None = None) -> None:
    """Send every logger's records at LEVEL and above to STREAM (stderr), in FORM, each with
    its request's id. Called by the server's arbiter as it sets up gunicorn's logger (the workers
    it forks inherit it: app/web/server.py) and by the commands (app/cli.py); again, it replaces
    what it set before."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
        old.close()
    handler = _Handler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if form == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    numeric = logging.getLevelNamesMapping()[level.upper()]
    # On the handler too: records of loggers with a level of their own (uvicorn's) reach it
    # whatever the root's level.
    handler.setLevel(numeric)
    root.setLevel(numeric)
    root.addHandler(handler)
    # Who wrote a record, in which thread or process, is not shown: skip finding it out.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
