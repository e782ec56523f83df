"""App-wide messages: workers post facts (past tense), screens and the palette post requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.domain.config import Config
    from tui.domain.hub.types import Account
    from tui.domain.models import SpaceStatus
    from tui.domain.monitor import MonitorUpdate, SpaceMonitor


@dataclass
class SpacesRefreshed(Message):
    """One monitor round: every watched Space's status, staleness and stage changes."""

    update: MonitorUpdate


@dataclass
class MonitorStarted(Message):
    """The monitor exists: the app can now change what it watches."""

    monitor: SpaceMonitor


@dataclass
class SignedIn(Message):
    """whoami answered: the account whose Spaces are watched."""

    account: Account


@dataclass
class SignInFailed(Message):
    """whoami failed; the config's Spaces are still watched."""

    title: str
    message: str
    #: True when the token is missing or refused (signing in helps), False for Hub/network trouble.
    auth: bool = False


@dataclass
class ActionRequested(Message):
    """A screen, key or palette command asks for an action on Spaces (none, one, or several for
    side-by-side logs). `action` is one of `tui.ui.actions.ACTIONS`."""

    action: str
    space_ids: tuple[str, ...] = ()

    @property
    def space_id(self) -> str | None:
        """The (first) Space the action is about."""
        return self.space_ids[0] if self.space_ids else None


@dataclass
class ActionSucceeded(Message):
    """An action finished; `status` is the Space's runtime as the Hub answered it, if any."""

    message: str
    status: SpaceStatus | None = None


@dataclass
class ActionFailed(Message):
    """An action failed with a typed error (its title and one-sentence message, token-free)."""

    title: str
    message: str


@dataclass
class ConfigChanged(Message):
    """spacetui.yaml was saved from the app: this is the config as written."""

    config: Config


@dataclass
class WatchListChanged(Message):
    """spacetui.yaml was edited from the app (watch, unwatch, link a folder)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
