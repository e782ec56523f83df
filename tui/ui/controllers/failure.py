"""Why a failed Space failed, for its screen: read the end of its logs, explain, post the result.

Any Space in an error stage gets the explanation the deploy pane gives after a deploy from the
app (`tui.domain.failures.explain_failure`): the cause, the log lines that prove it and the check
ids that predict it, whoever made the failing commit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.domain.failures import FailureExplanation
    from tui.ui.app import SpacesApp

#: Build log lines kept (the head explains a build failure) and run log lines (the tail does).
BUILD_LINES = 5_000
RUN_LINES = 400
#: Seconds to read a finished log before explaining with what came.
READ_TIMEOUT = 15.0


@dataclass
class FailureExplained(Message):
    """The explanation of `space_id`'s failure in `stage` (None: the logs could not be read)."""

    space_id: str
    stage: str
    explanation: FailureExplanation | None


def explain_failure_of(
    app: SpacesApp, screen: Widget, space_id: str, stage: str, error_message: str | None
) -> None:
    """Read the Space's logs in an app worker and post `FailureExplained` to `screen`."""

    async def run() -> None:
        from tui.domain.errors import SpacetuiError
        from tui.domain.failures import explain_failure

        try:
            build = await _read(app, space_id, "build", BUILD_LINES, head=True)
            run_log = await _read(app, space_id, "run", RUN_LINES, head=False)
        except (SpacetuiError, OSError):
            screen.post_message(FailureExplained(space_id, stage, None))
            return
        explanation = explain_failure(stage, build, run_log, error_message)
        screen.post_message(FailureExplained(space_id, stage, explanation))

    app.run_worker(run(), group=f"failure:{space_id}", exclusive=True, exit_on_error=False)


async def _read(
    app: SpacesApp, space_id: str, kind: Literal["build", "run"], limit: int, *, head: bool
) -> list[str]:
    """The log's history (no following), its first or last `limit` lines."""
    from tui.domain.logstream import LogStream

    lines: list[str] = []

    async def drain() -> None:
        stream = LogStream(app.hub, space_id, kind, follow=False)
        try:
            async for batch in stream.batches():
                lines.extend(event.text for event in batch)
                if head and len(lines) >= limit:
                    return
        finally:
            await stream.aclose()

    try:
        await asyncio.wait_for(drain(), READ_TIMEOUT)
    except TimeoutError:
        pass  # explain with what came
    return lines[:limit] if head else lines[-limit:]
