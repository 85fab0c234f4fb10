"""What the loader reports about a bad file: where (file, line, field) and what is wrong."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class InvalidAnnotations(Exception):
    """One or more annotation files are wrong; nothing of the load was written."""

    def __init__(self, problems: list[Problem], note: str | None = None) -> None:
        self.problems = problems
        self.note = note  # what was not checked, for a load checked in batches
        lines = "\n".join(f"  {p}" for p in problems)
        after = f"\n{note}" if note else ""
        super().__init__(f"{len(problems)} problem(s); nothing was written:\n{lines}{after}")


class ChecksStopped(Exception):
    """A process checking a load's files stopped before it was done (killed, out of memory);
    nothing of the load was written."""
