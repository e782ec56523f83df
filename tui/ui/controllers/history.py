"""HistoryController: reads a Space's history and plans rollbacks in app workers for the History pane.

It talks to the Hub only through the app's one `HubClient` (`app.hub.hf_api()`), off the event
loop (huggingface_hub is blocking), and posts typed messages to the pane that asked. Running a
confirmed rollback is the `DeployController`'s (`start_rollback`): it is shown like a deploy.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from tui.ui.controllers.history_messages import HistoryFailed, HistoryLoaded, RollbackPlanned

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.ui.app import SpacesApp


class HistoryController:
    """The app's history reads and rollback plans, one worker group per Space."""

    #: How many revisions the History pane shows (each costs one tree listing).
    limit: ClassVar[int] = 30

    def __init__(self, app: SpacesApp) -> None:
        self.app = app

    def load(self, space_id: str, pane: Widget) -> None:
        """Read `space_id`'s history; `pane` gets `HistoryLoaded` or `HistoryFailed`."""
        self.app.run_worker(
            self._load(space_id, pane),
            group=f"history:{space_id}",
            exclusive=True,  # a newer request replaces a slower older one
            exit_on_error=False,
            description=f"History of {space_id}",
        )

    def plan(self, space_id: str, sha: str, pane: Widget) -> None:
        """Compare the head with `sha`; `pane` gets `RollbackPlanned` or `HistoryFailed`."""
        self.app.run_worker(
            self._plan(space_id, sha, pane),
            group=f"rollback-plan:{space_id}",
            exclusive=True,
            exit_on_error=False,
            description=f"Rollback plan of {space_id}",
        )

    async def _load(self, space_id: str, pane: Widget) -> None:
        from tui.domain.history import fetch_history

        api = self.app.hub.hf_api()
        try:
            revisions = await asyncio.to_thread(fetch_history, api, space_id, limit=self.limit)
        except Exception as exc:  # noqa: BLE001 - every failure is one sentence in the pane
            pane.post_message(HistoryFailed(space_id, _sentence(exc, space_id)))
            return
        pane.post_message(HistoryLoaded(space_id, tuple(revisions)))

    async def _plan(self, space_id: str, sha: str, pane: Widget) -> None:
        from tui.domain.rollback import plan_rollback

        api = self.app.hub.hf_api()
        try:
            plan = await asyncio.to_thread(plan_rollback, api, space_id, sha)
        except Exception as exc:  # noqa: BLE001 - every failure is one sentence in the pane
            pane.post_message(HistoryFailed(space_id, _sentence(exc, space_id)))
            return
        pane.post_message(RollbackPlanned(plan))


def _sentence(exc: Exception, space_id: str) -> str:
    from tui.domain.errors import SpacetuiError
    from tui.domain.http import error_from_exception

    if isinstance(exc, SpacetuiError):
        return exc.message
    return error_from_exception(exc, space_id=space_id).message
