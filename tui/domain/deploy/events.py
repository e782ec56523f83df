"""Typed progress events of a deploy, rendered by the CLI and the app alike."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tui.domain.checks.findings import Finding
from tui.domain.deploy.plan import UploadPlan

if TYPE_CHECKING:
    from tui.domain.plan_gate import PlanRefusal


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
class FollowWaiting(DeployEvent):
    """The follow after the commit waits out the Hub (a 429, a 5xx or a dropped connection):
    `reason` is the error's sentence, `retry_in_s` the wait before the next poll."""

    kind = "waiting"
    reason: str
    retry_in_s: float


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
    PROBE = "probe"  # the app failed the health probe: read its run log, or skip the probe


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    """What the health probe saw after RUNNING: `ok` for a 2xx/3xx answer.

    `status` is the last HTTP status (None when nothing answered, or no URL was known), `seen`
    says what came back in a few safe words, `attempts` how often it asked within `wait` s.
    """

    ok: bool
    url: str
    status: int | None
    seen: str
    attempts: int
    wait: float

    def reason(self, space_id: str) -> str:
        """Why the deploy failed, in words that name no control of any front end (no full stop)."""
        where = f"its app at {self.url}" if self.url else "its app"
        if not self.attempts:
            return f"{space_id} reads RUNNING, but {where} does not work: {self.seen}"
        tries = "once" if self.attempts == 1 else f"{self.attempts} times over {self.wait:g} s"
        return f"{space_id} reads RUNNING, but {where} does not work: {self.seen} (asked {tries})"

    def to_json(self) -> dict[str, Any]:
        """`extra.probe` in `--json` and the CI summary."""
        return {"url": self.url, "status": self.status, "ok": self.ok, "seen": self.seen}


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
    #: The plan gate's refusal (outcome `plan_refused`), worded by each front end.
    refusal: PlanRefusal | None = None
    #: The health probe's verdict, when a probe ran.
    probe: ProbeOutcome | None = None

    def worded(self, remedy_words: Callable[[Remedy], str]) -> str:
        """The whole message, each reason followed by its remedy in the caller's words.

        `remedy_words` returns the words that follow a reason's text, punctuation included
        (e.g. `"; pass --create to create it."`).
        """
        parts = [self.message] if self.message else []
        parts += [reason.text + remedy_words(reason.remedy) for reason in self.reasons]
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        typed = ("reasons", "refusal", "probe")  # worded by the front end, or already in `extra`
        body = {key: value for key, value in asdict(self).items() if key not in typed}
        if self.refusal is not None:
            body["refusal"] = self.refusal.to_json()
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
    | FollowWaiting
    | ProbeStarted
    | DeployResult
)
