"""The live log beside the Space list on a wide terminal: one run log stream, following the cursor.

Like lazydocker's side panel: the selected Space's run log streams beside the list; moving the
cursor stops that stream and starts the next Space's. One app worker at a time (an exclusive
group). The worker only reads and posts `SideLogBatch` messages to the screen that asked; the
screen's handler decides whether the batch still belongs in its view (widgets do no I/O,
workers fetch, messages carry, handlers decide).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from tui.domain.models import LogEvent

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from tui.ui.app import SpacesApp

GROUP = "side-log"


@dataclass
class SideLogBatch(Message, bubble=False):
    """Events that arrived together on the side log's stream of `space_id`.

    `generation` numbers each `follow_side_log` call: a batch from a stream that was replaced
    (the cursor moved on, even back to the same Space) is told apart and dropped."""

    space_id: str
    generation: int
    events: list[LogEvent]


def follow_side_log(app: SpacesApp, target: MessagePump, space_id: str, generation: int) -> None:
    """Stream `space_id`'s run log, posting each batch to `target`, until another is followed."""

    async def run() -> None:
        from tui.domain.errors import SpacetuiError
        from tui.domain.logstream import LogStream

        stream = LogStream(app.hub, space_id, "run", follow=True)
        try:
            async for batch in stream.batches():
                target.post_message(SideLogBatch(space_id, generation, batch))
        except SpacetuiError:
            return  # the status line of the log says nothing came; the list shows the stage
        finally:
            await stream.aclose()

    app.run_worker(
        run(), group=GROUP, exclusive=True, exit_on_error=False, description=f"Log of {space_id}"
    )


def stop_side_log(app: SpacesApp) -> None:
    """Stop the side log's stream (the terminal became narrow)."""
    app.workers.cancel_group(app, GROUP)
