"""What a check reports: a Finding with an id from the catalogue, a severity and a place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; the order is error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for info: sorts the worst first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or fact) found in a Space folder.

    `message` says what is wrong and how to fix it, in plain text (no markup).
    `file` is relative to the Space folder, with `/` separators; `line` is 1-based.
    """

    id: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, object]:
        """The JSON shape of `spacetui check --json`."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }
