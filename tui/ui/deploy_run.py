"""DeployRun: one deploy started from the app, kept by the `DeployController` beside its worker.

The deploy's worker outlives the Space screen, so its events are kept here, not in the pane:
a pane opened later (the user left the Space and came back) replays the deploy so far, then
follows it. Bounded: the build log keeps its newest lines (as many as the pane's log holds),
and upload progress keeps only its latest event.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.deploy.events import (
    BuildLogLine,
    BuildLogLines,
    Committed,
    DeployEvent,
    DeployResult,
    UploadProgress,
)

if TYPE_CHECKING:
    from textual.worker import Worker

    from tui.domain.deploy.cancel import CancelToken

#: Build log lines kept for a replay (the pane's log view holds as many).
MAX_LOG_LINES = 20_000
#: Other events kept (checks, plan, settings, commit, stages, result): a deploy has a few dozen.
MAX_MILESTONES = 1_000


@dataclass(eq=False)
class DeployRun:
    """What one deploy has done so far, in order, plus the handles to stop it."""

    space_id: str
    cancel: CancelToken
    #: The "Delete remote-only" toggle when the deploy started (the review depends on it).
    delete: bool = False
    #: The folder deployed: a result is about this folder, not one linked since.
    folder: Path | None = None
    #: Set for a rollback (the revision it restores): the pane words it as one.
    rollback_to: str | None = None
    worker: Worker[None] | None = None
    result: DeployResult | None = None
    committed_sha: str | None = None
    #: When the upload started (the controller's clock), for the whole upload's average rate.
    upload_started: float | None = None
    #: The whole upload's average rate in bytes per second, once every byte was sent.
    upload_average: float | None = None
    #: When the commit landed (the controller's clock): the build's elapsed time counts from it.
    committed_at: float | None = None
    #: Seconds from the commit to the result, once the deploy ended after a commit.
    build_seconds: float | None = None
    #: The engine's review question while it waits for the answer (set by the controller).
    review: asyncio.Future[bool] | None = None
    #: Events other than build log lines, in order; consecutive upload progress collapses.
    milestones: deque[tuple[int, DeployEvent]] = field(
        default_factory=lambda: deque(maxlen=MAX_MILESTONES)
    )
    log: deque[tuple[int, BuildLogLine]] = field(
        default_factory=lambda: deque(maxlen=MAX_LOG_LINES)
    )
    #: Events recorded so far; each event's number lets a pane skip what its replay showed.
    count: int = 0
    #: Build log lines recorded, including any the bound dropped (numbers the log's lines).
    log_total: int = 0

    @property
    def running(self) -> bool:
        # The result is recorded a moment before the worker ends: either one means "done".
        return self.worker is not None and not self.worker.is_finished and self.result is None

    def record(self, event: DeployEvent) -> int:
        """Keep `event`; return its number (1 for the first event)."""
        if isinstance(event, BuildLogLines):
            # Each line keeps its own number; the batch is known by its last one.
            for line in event.lines:
                self.record(line)
            return self.count
        self.count += 1
        if isinstance(event, BuildLogLine):
            self.log_total += 1
            self.log.append((self.count, event))
            return self.count
        if isinstance(event, Committed) and event.changed:
            self.committed_sha = event.sha
        elif isinstance(event, DeployResult):
            self.result = event
        milestones = self.milestones
        if (
            isinstance(event, UploadProgress)
            and milestones
            and isinstance(milestones[-1][1], UploadProgress)
        ):
            milestones[-1] = (self.count, event)  # only the latest progress matters
        else:
            milestones.append((self.count, event))
        return self.count
