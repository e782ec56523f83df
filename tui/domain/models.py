"""Shared value types of the domain: Space ids, stages, runtimes and log events.

Owned jointly: extend with new fields (with defaults) but do not rename what others use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import msgspec

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


class LogEvent(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """One line of a Space's build or run log: the one shape a line has from socket to screen.

    `LogStream` decodes these straight from each network read (msgspec, one call per read, with
    the stream's `index`, `space_id` and `kind` spliced into every payload), so no other object
    is built per line. `index` counts events from the start of the stream (the Hub replays from
    the first event on every connection, so the index is what makes de-duplication exact).
    `data` is the raw remote text as sent, line end included: untrusted, sanitised only on its
    way to a screen (`tui.domain.sanitize`); `text` is the same without the line end.
    `gc=False`: a LogEvent holds only strings, ints and a bool, so it is never part of a cycle,
    and 100,000 of them add nothing to the collector's full collections.
    """

    data: str  # required: a payload without a `data` string is not a log event
    timestamp: str = ""
    index: int = 0
    space_id: str = ""
    kind: Literal["build", "run"] = "run"  # a Literal: msgspec shares one string, not one per line
    oversized: bool = False  # cut at the decoder's line cap (its text ends with a mark)

    @property
    def text(self) -> str:
        """The line without its line end (LF or CRLF)."""
        return line_text(self.data)


def line_text(data: str) -> str:
    """`data` without one trailing LF or CRLF."""
    return data[:-2] if data[-2:] == "\r\n" else data[:-1] if data[-1:] == "\n" else data


def line_texts(events: Iterable[LogEvent]) -> list[str]:
    """The events' texts (line ends removed): the hot loop of a flood, so written out inline."""
    return [
        t[:-2] if (t := e.data)[-2:] == "\r\n" else t[:-1] if t[-1:] == "\n" else t for e in events
    ]
