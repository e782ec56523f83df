"""Typed progress events of a deploy, rendered by the CLI and the app alike."""

from __future__ import annotations

import enum
from collections.abc import Callable
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
class ProbeStarted(DeployEvent):
    """The stage says RUNNING; the app at `url` is asked now, for up to `wait` seconds."""

    kind = "probe"
    url: str
    wait: float


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


class Remedy(enum.Enum):
    """What would get a stopped deploy going; each front end words it (a flag, a toggle)."""

    CREATE = "create"  # create the missing Space
    FORCE = "force"  # deploy past the checks' errors
    ALLOW_SECRET = "allow_secret"  # publish a file flagged as a possible secret
    RESTART = "restart"  # restart the same revision


@dataclass(frozen=True, slots=True)
class Reason:
    """One sentence of a result: what stopped the deploy (`text`, no full stop) and its remedy."""

    text: str
    remedy: Remedy


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
    #: Sentences after `message` whose remedy the front end words (see `worded`).
    reasons: tuple[Reason, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def worded(self, remedy_words: Callable[[Remedy], str]) -> str:
        """The whole message, each reason followed by its remedy in the caller's words.

        `remedy_words` returns the words that follow a reason's text, punctuation included
        (e.g. `"; pass --create to create it."`).
        """
        parts = [self.message] if self.message else []
        parts += [reason.text + remedy_words(reason.remedy) for reason in self.reasons]
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        body = {key: value for key, value in asdict(self).items() if key != "reasons"}
        return {"event": self.kind, **body, "remedies": [r.remedy.value for r in self.reasons]}


#: Every concrete deploy event: a `match` over it closed with `assert_never` handles each one.
AnyDeployEvent = (
    ChecksDone
    | PlanReady
    | SpaceCreated
    | SettingsApplied
    | UploadPhase
    | UploadProgress
    | Committed
    | BuildLogLine
    | BuildLogLines
    | StageReached
    | ProbeStarted
    | DeployResult
)
