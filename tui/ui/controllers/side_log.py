"""The live log beside the Space list on a wide terminal: one run log stream, following the cursor.

Like lazydocker's side panel: the selected Space's run log streams into a read-only `LogView`
(the log viewer's own widget, used as it is); moving the cursor stops that stream and starts the
next Space's. One app worker at a time (an exclusive group).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp
    from tui.ui.widgets.log_view import LogView

GROUP = "side-log"


def follow_side_log(app: SpacesApp, view: LogView, space_id: str) -> None:
    """Clear `view` and stream `space_id`'s run log into it until another Space is followed."""
    view.clear()

    async def run() -> None:
        from tui.domain.errors import SpacetuiError
        from tui.domain.logstream import LogStream

        stream = LogStream(app.hub, space_id, "run", follow=True)
        try:
            async for batch in stream.batches():
                view.append_batch(batch)
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
