"""Messages between the history controller and the History pane (facts past tense, requests not)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.domain.history import Revision
    from tui.domain.rollback import RollbackPlan


# ---- controller -> pane ----------------------------------------------------------------------


@dataclass
class HistoryLoaded(Message):
    """The Space's revisions, newest first, with their outcomes where known."""

    space_id: str
    revisions: tuple[Revision, ...]


@dataclass
class HistoryFailed(Message):
    """Reading the history (or planning a rollback) failed: one sentence."""

    space_id: str
    message: str


@dataclass
class RollbackPlanned(Message):
    """What rolling back to a revision would change; the pane asks the user to confirm it."""

    plan: RollbackPlan


# ---- pane -> controller ----------------------------------------------------------------------


@dataclass
class HistoryRequested(Message):
    """The pane wants the Space's history (shown, or a deploy of it ended)."""

    space_id: str


@dataclass
class RollbackPlanRequested(Message):
    """The user pressed the rollback key on revision `sha`."""

    space_id: str
    sha: str


@dataclass
class RollbackRequested(Message):
    """The user confirmed `plan`: commit it and follow the build like a deploy."""

    plan: RollbackPlan
    probe: bool = True
