"""Typed progress events of a deploy, rendered by the CLI and the app alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tui.domain.checks.findings import Finding
from tui.domain.deploy.plan import UploadPlan


@dataclass(frozen=True, slots=True)
class DeployEvent:
    """Base of every deploy event; `kind` names the step for JSON output."""

    kind = "event"

    def to_json(self) -> dict[str, Any]:
        """One JSON object per event (`spacetui deploy --json`)."""
        return {"event": self.kind, **asdict(self)}


@dataclass(frozen=True, slots=True)
class PlanReady(DeployEvent):
    """The upload set compared with the Space's current revision."""

    kind = "plan"
    plan: UploadPlan

    def to_json(self) -> dict[str, Any]:
        return {"event": self.kind, **self.plan.summary()}


@dataclass(frozen=True, slots=True)
class ChecksDone(DeployEvent):
    """Pre-deploy checks ran; `blocking` lists what stops the deploy."""

    kind = "checks"
    findings: tuple[Finding, ...]
    blocking: tuple[Finding, ...]
    forced: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.kind,
            "errors": sum(1 for f in self.findings if f.severity == "error"),
            "warnings": sum(1 for f in self.findings if f.severity == "warning"),
            "blocking": [f.to_json() for f in self.blocking],
            "forced": self.forced,
        }


@dataclass(frozen=True, slots=True)
class SpaceCreated(DeployEvent):
    """The Space did not exist and was created."""

    kind = "create"
    space_id: str
    sdk: str
    private: bool


@dataclass(frozen=True, slots=True)
class SettingsApplied(DeployEvent):
    """Secrets and variables set before the upload (names only: values never leave the engine)."""

    kind = "settings"
    secrets: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    hardware: str | None = None


@dataclass(frozen=True, slots=True)
class UploadPhase(DeployEvent):
    """A stretch of the upload with no bytes to count: "preparing" (reading and hashing files,
    asking the Hub how to send each), "committing" (the Hub has the whole commit and applies it),
    "too_late" (a cancel came after that point: the deploy waits for the commit's answer)."""

    kind = "phase"
    phase: str


@dataclass(frozen=True, slots=True)
class UploadProgress(DeployEvent):
    """Byte-level progress: the file that moved last, and the totals."""

    kind = "upload"
    path: str | None
    file_bytes: int
    file_total: int
    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    throughput: float  # bytes per second over a recent window
    eta: float | None  # seconds, None while unknown


@dataclass(frozen=True, slots=True)
class Committed(DeployEvent):
    """The commit landed (or nothing changed and no commit was made)."""

    kind = "commit"
    sha: str | None
    url: str | None
    changed: bool


@dataclass(frozen=True, slots=True)
class BuildLogLine(DeployEvent):
    """One line of the build (or run) log of the new revision; raw remote text."""

    kind = "log"
    log: str
    text: str
    timestamp: str


@dataclass(frozen=True, slots=True)
class BuildLogLines(DeployEvent):
    """The lines of the log that arrived together: a flood is one event per read, not per line."""

    kind = "log_lines"
    lines: tuple[BuildLogLine, ...]

    def to_json(self) -> dict[str, Any]:
        return {"event": self.kind, "lines": [line.to_json() for line in self.lines]}


@dataclass(frozen=True, slots=True)
class StageReached(DeployEvent):
    """The Space's runtime stage changed while following the build."""

    kind = "stage"
    stage: str


@dataclass(frozen=True, slots=True)
class DeployResult(DeployEvent):
    """How the deploy ended. `ok` means RUNNING (or uploaded, when not following)."""

    kind = "result"
    ok: bool
    outcome: (
        str  # running | uploaded | unchanged | blocked | build_failed | timeout | cancelled | error
    )
    message: str
    space_id: str
    stage: str | None = None
    sha: str | None = None
    forced: bool = False
    error_lines: tuple[str, ...] = ()
    check_ids: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
