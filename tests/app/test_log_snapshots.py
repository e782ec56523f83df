"""Snapshots of the log viewer with fixed lines: colours, a search highlight, the status bar, and a
merged view with per-Space prefixes (no clock, no network: the data is fed to the widget)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.helpers.app import wait_for
from tui.domain.logstream import StreamState
from tui.domain.models import LogEvent
from tui.ui.widgets.log_pane import LogPane

SIZE = (100, 16)
RUN_LOG = [
    "===== Application Startup at 2026-11-28 10:00:00 =====",
    "\x1b[32mINFO\x1b[0m:     Started server process [\x1b[36m1\x1b[0m]",
    "\x1b[32mINFO\x1b[0m:     Waiting for application startup.",
    "\x1b[32mINFO\x1b[0m:     Application startup complete.",
    "\x1b[32mINFO\x1b[0m:     Uvicorn running on \x1b[1mhttp://0.0.0.0:7860\x1b[0m",
    '\x1b[32mINFO\x1b[0m:     10.16.3.7:41822 - "GET / HTTP/1.1" \x1b[32m200 OK\x1b[0m',
    "\x1b[31mERROR\x1b[0m:    Exception in ASGI application [bold]not markup[/bold]",
    "Traceback (most recent call last):",
    '  File "/app/app.py", line 12, in predict',
    "ValueError: model not loaded",
    '\x1b[32mINFO\x1b[0m:     10.16.3.7:41830 - "GET /health HTTP/1.1" \x1b[32m200 OK\x1b[0m',
]


def events(texts: list[str], space_id: str, start_second: int = 0) -> list[LogEvent]:
    return [
        LogEvent(
            index=i,
            timestamp=f"2026-11-28T10:00:{start_second + i:02d}.000Z",
            data=text,
            space_id=space_id,
        )
        for i, text in enumerate(texts)
    ]


class SnapApp(App[None]):
    def __init__(self, sources: list[str]) -> None:
        super().__init__()
        self.sources = sources

    def compose(self) -> ComposeResult:
        yield LogPane(self.sources, "run", id="pane")


async def settle(pilot: Pilot) -> None:
    """Wait until the view applied every line and its status bar shows the view's last state
    (a flood's state reaches the bar up to `STATUS_INTERVAL` late): a condition, not a delay."""
    pane = pilot.app.query_one(LogPane)
    await wait_for(
        pilot,
        lambda: pane.view.pending_lines == 0 and pane.status.view_state == pane.view.view_state,
    )


def test_single_pane_with_colours_search_and_status(snap_compare) -> None:
    app = SnapApp(["alice/api"])

    async def run_before(pilot: Pilot) -> None:
        pane = app.query_one(LogPane)
        pane.view.focus()
        pane.set_stream_state("alice/api", StreamState("live"))
        pane.view.append_batch(events(RUN_LOG, "alice/api"))
        await settle(pilot)
        await pilot.press("g", "slash", *"error", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_merged_view_with_timestamps_and_errors_filter(snap_compare) -> None:
    sources = ["alice/api", "alice/web", "demo-org/worker"]
    app = SnapApp(sources)

    async def run_before(pilot: Pilot) -> None:
        pane = app.query_one(LogPane)
        pane.view.focus()
        for index, source in enumerate(sources):
            state = StreamState("live") if index != 1 else StreamState("ended", reason="closed")
            pane.set_stream_state(source, state)
            pane.view.append_batch(events(RUN_LOG[1:7], source, start_second=index))
        await settle(pilot)
        await pilot.press("t", "e")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
