"""Shared value types of the domain: Space ids, stages, runtimes and log events.

Owned jointly: extend with new fields (with defaults) but do not rename what others use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

_REPO_PART = r"[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?"
SPACE_ID_PATTERN = re.compile(rf"^{_REPO_PART}/{_REPO_PART}$")


class Stage(StrEnum):
    """Runtime stage of a Space, as the Hub reports it (`runtime.stage`)."""

    NO_APP_FILE = "NO_APP_FILE"
    CONFIG_ERROR = "CONFIG_ERROR"
    BUILDING = "BUILDING"
    BUILD_ERROR = "BUILD_ERROR"
    APP_STARTING = "APP_STARTING"
    RUNNING = "RUNNING"
    RUNNING_BUILDING = "RUNNING_BUILDING"
    RUNNING_APP_STARTING = "RUNNING_APP_STARTING"
    RUNTIME_ERROR = "RUNTIME_ERROR"
    DELETING = "DELETING"
    STOPPED = "STOPPED"
    PAUSED = "PAUSED"
    SLEEPING = "SLEEPING"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def parse(cls, raw: str | None) -> Stage:
        """The stage for a raw Hub string; unknown strings map to UNKNOWN instead of failing."""
        try:
            return cls(raw or "UNKNOWN")
        except ValueError:
            return cls.UNKNOWN

    @property
    def is_transitional(self) -> bool:
        """True while the Hub is still working towards a stable stage (wait_for_space's set)."""
        return self in _TRANSITIONAL

    @property
    def is_error(self) -> bool:
        """True for stages that mean the Space is broken and needs the user."""
        return self in _ERRORS


_TRANSITIONAL = frozenset(
    {Stage.BUILDING, Stage.RUNNING_BUILDING, Stage.APP_STARTING, Stage.RUNNING_APP_STARTING}
)
_ERRORS = frozenset({Stage.CONFIG_ERROR, Stage.BUILD_ERROR, Stage.RUNTIME_ERROR, Stage.NO_APP_FILE})


def is_valid_space_id(space_id: str) -> bool:
    """True when `space_id` has the `namespace/name` form the Hub accepts."""
    return bool(SPACE_ID_PATTERN.match(space_id))


@dataclass(frozen=True, slots=True)
class SpaceStatus:
    """What the Space list shows for one Space: identity plus its runtime at one moment."""

    space_id: str
    stage: Stage
    raw_stage: str = ""
    sdk: str | None = None
    hardware: str | None = None
    requested_hardware: str | None = None
    sleep_time: int | None = None
    private: bool | None = None
    error_message: str | None = None
    last_modified: str | None = None
    sha: str | None = None


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One line of a Space's build or run log.

    `index` counts events from the start of the stream (the Hub replays from the first event on
    every connection, so the index is what makes de-duplication exact). `text` is the raw remote
    text with the trailing newline stripped: untrusted, to be sanitised before display.
    """

    index: int
    timestamp: str
    text: str
    space_id: str = ""
    kind: str = "run"
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
