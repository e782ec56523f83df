"""The Space list's model: latest status per Space, when it entered its stage, stuck and stale.

Pure Python (no Textual), so the rules for "time in stage", "looks stuck", filtering and sorting
are tested on their own. The app keeps one board and feeds it every monitor update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from tui.domain.models import SpaceStatus, Stage

#: Sort keys the Space list offers, in column order.
SORT_KEYS = ("space", "sdk", "stage", "age", "hardware", "changed")

# Problems first, then work in progress, then healthy, then idle.
_STAGE_ORDER = {
    stage: rank
    for rank, group in enumerate(
        (
            (Stage.BUILD_ERROR, Stage.RUNTIME_ERROR, Stage.CONFIG_ERROR, Stage.NO_APP_FILE),
            (
                Stage.BUILDING,
                Stage.RUNNING_BUILDING,
                Stage.APP_STARTING,
                Stage.RUNNING_APP_STARTING,
            ),
            (Stage.RUNNING,),
            (Stage.SLEEPING, Stage.PAUSED, Stage.STOPPED, Stage.DELETING, Stage.UNKNOWN),
        )
    )
    for stage in group
}


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One Space as the list shows it."""

    status: SpaceStatus
    #: Clock time at which the Space was seen entering its current stage.
    entered_at: float
    #: False when the Space was already in this stage when first seen: the age is a lower bound.
    entered_known: bool
    #: Why the shown status may be out of date (the Hub could not be reached), or None.
    stale_reason: str | None = None

    @property
    def space_id(self) -> str:
        return self.status.space_id

    def time_in_stage(self, now: float) -> float:
        """Seconds since the Space entered its stage (at least this long when not known)."""
        return max(0.0, now - self.entered_at)

    def looks_stuck(self, now: float, stuck_after: Mapping[Stage, float]) -> bool:
        """True past the configured threshold for this stage (only transitional stages have one)."""
        limit = stuck_after.get(self.status.stage)
        return limit is not None and self.time_in_stage(now) > limit


class SpaceBoard:
    """Latest status of every watched Space, updated from monitor rounds and action answers."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._rows: dict[str, BoardRow] = {}
        #: Clock time of the first monitor round; None until then.
        self._first_round_at: float | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, space_id: object) -> bool:
        return space_id in self._rows

    def get(self, space_id: str) -> BoardRow | None:
        return self._rows.get(space_id)

    @property
    def rows(self) -> tuple[BoardRow, ...]:
        return tuple(self._rows.values())

    def apply(self, statuses: Mapping[str, SpaceStatus], stale: Mapping[str, str]) -> None:
        """Replace the board with one monitor round: new, changed, gone and stale Spaces."""
        for space_id in [known for known in self._rows if known not in statuses]:
            del self._rows[space_id]
        for status in statuses.values():
            self.put(status, stale_reason=stale.get(status.space_id))
        if self._first_round_at is None:
            self._first_round_at = self._clock()

    def put(
        self, status: SpaceStatus, *, stale_reason: str | None = None, partial: bool = False
    ) -> None:
        """Record one status; a different stage restarts the time in stage.

        `partial`: the status comes from a runtime answer (an action's), which lacks the SDK,
        visibility and last change: those are kept from what was known.
        """
        now = self._clock()
        previous = self._rows.get(status.space_id)
        if partial and previous is not None:
            known = previous.status
            status = replace(
                status,
                sdk=status.sdk or known.sdk,
                private=known.private if status.private is None else status.private,
                last_modified=status.last_modified or known.last_modified,
                sha=status.sha or known.sha,
            )
        if previous is None:
            entered_at = self._entered_during_session(status, now)
            row = BoardRow(
                status,
                entered_at=entered_at or now,
                entered_known=entered_at is not None,
                stale_reason=stale_reason,
            )
        elif previous.status.stage != status.stage:
            row = BoardRow(status, entered_at=now, entered_known=True, stale_reason=stale_reason)
        else:
            row = replace(previous, status=status, stale_reason=stale_reason)
        self._rows[status.space_id] = row

    def _entered_during_session(self, status: SpaceStatus, now: float) -> float | None:
        """When a Space first seen after start-up entered its stage, if it changed since then.

        A Space created or pushed to during the session (its last change is after the first
        round) cannot have been in its current stage before that change.
        """
        changed = parse_timestamp(status.last_modified)
        start = self._first_round_at
        if start is None or changed is None or changed < start:
            return None
        return min(changed, now)

    def view(
        self, filter_text: str = "", sort_key: str = "space", reverse: bool = False
    ) -> list[BoardRow]:
        """The rows matching `filter_text` (words, any order, case-insensitive), sorted."""
        words = filter_text.lower().split()
        rows = [row for row in self._rows.values() if all(w in _haystack(row) for w in words)]
        now = self._clock()
        rows.sort(key=lambda row: row.space_id)
        rows.sort(key=lambda row: _sort_value(row, sort_key, now), reverse=reverse)
        return rows


def _haystack(row: BoardRow) -> str:
    status = row.status
    parts: Iterable[str | None] = (
        status.space_id,
        status.sdk,
        status.stage.value,
        status.hardware,
        status.requested_hardware,
        "private" if status.private else "public",
        "stale" if row.stale_reason else None,
    )
    return " ".join(part for part in parts if part).lower()


def _sort_value(row: BoardRow, sort_key: str, now: float) -> tuple[object, ...]:
    status = row.status
    if sort_key == "sdk":
        return (status.sdk or "~",)
    if sort_key == "stage":
        return (_STAGE_ORDER.get(status.stage, 9), status.stage.value)
    if sort_key == "age":
        if row.entered_known:
            return (row.time_in_stage(now),)
        # Unknown entry: the time since the last change (a commit starts a build) says more
        # than the time since spacetui started, which is the same for every such Space.
        changed = parse_timestamp(status.last_modified)
        return (max(row.time_in_stage(now), now - changed if changed else 0.0),)
    if sort_key == "hardware":
        return (status.hardware or status.requested_hardware or "~",)
    if sort_key == "changed":
        return (parse_timestamp(status.last_modified) or 0.0,)
    return (status.space_id.lower(),)


def parse_timestamp(value: str | None) -> float | None:
    """Epoch seconds of a Hub ISO timestamp (`2026-11-28T10:00:00.000Z`); None if unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
