"""LogsScreen: live build/run logs of one Space, a grid of 2-4 Spaces, or several merged in one view.

Each (Space, kind) stream runs in its own worker (group `logs:<space>:<kind>`) started by this
screen, so popping the screen cancels them. Workers only post `LogBatch` / `LogStateChanged`;
the handlers here hand batches to the right pane's view.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.domain.errors import SpacetuiError
from tui.domain.models import LogEvent
from tui.domain.sanitize import redact
from tui.ui import gc_policy
from tui.ui.widgets.key_footer import KeyFooter
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.log_view import LogView

if TYPE_CHECKING:
    from tui.domain.auth import HubTarget
    from tui.domain.hub.client import HubClient
    from tui.domain.logstream import StreamState

MAX_PANES = 4
#: Lines posted by the stream workers but not yet handed to a view. A flood decodes faster than
#: the screen applies it; past this bound the workers wait, so the message queue (and the memory
#: it holds) stays bounded instead of growing with the backlog.
MAX_IN_FLIGHT_LINES = 10_000


@dataclass
class LogBatch(Message, bubble=False):
    """Events that arrived together on one stream (never one message per line)."""

    pane_id: str
    generation: int
    events: list[LogEvent]


@dataclass
class LogStateChanged(Message, bubble=False):
    """One stream's state changed: connecting, live, reconnecting (in N s), ended, failed."""

    pane_id: str
    generation: int
    space_id: str
    state: StreamState


@dataclass(frozen=True, slots=True)
class _FailedState:
    """The state shown when a stream's worker itself dies (not a Hub error the stream reports)."""

    reason: str
    phase: str = "failed"
    attempt: int = 0
    wait: float | None = None


#: What a static Space's stream "state" says: none is started (the Hub serves its files as they
#: are, with no build and no server, so there is no log).
_STATIC_STATE = _FailedState("static Space, no logs", phase="ended")


class LogsScreen(Screen[None]):
    """Logs of one Space (`b`/`r`: build/run), 2-4 side by side (`Tab`: next pane), or merged
    (`m`) with a colour each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown (and bound) only with several panes; with one, Tab is Textual's usual focus move.
        Binding("tab", "next_pane(1)", "Next pane", id="logs.next_pane"),
        Binding("shift+tab", "next_pane(-1)", "Previous pane", show=False, id="logs.previous_pane"),
        Binding("b", "switch_kind('build')", "Build log", id="logs.build"),
        Binding("r", "switch_kind('run')", "Run log", id="logs.run"),
        Binding("m", "toggle_merged", "Merge/split", id="logs.merge"),
        Binding("escape,q", "close", "Back", id="logs.close"),
    ]

    DEFAULT_CSS = """
    LogsScreen > Grid { grid-size: 1; grid-gutter: 0; }
    LogsScreen > Grid.-two { grid-size: 2 1; }
    LogsScreen > Grid.-four { grid-size: 2 2; }
    """

    def __init__(
        self,
        space_ids: list[str],
        kind: str = "run",
        *,
        merged: bool = False,
        target: HubTarget | None = None,
        capacity: int = 100_000,
        hub: HubClient | None = None,
        stream_options: dict[str, Any] | None = None,
        static: Iterable[str] | None = None,
    ) -> None:
        if not space_ids:
            raise ValueError("LogsScreen needs at least one Space")
        super().__init__()
        self.space_ids = list(dict.fromkeys(space_ids))
        #: Static Spaces among them (None: asked of the app's board when composing).
        self.static: set[str] | None = set(static) if static is not None else None
        self.kind = kind
        self.merged = merged and len(self.space_ids) > 1
        self.capacity = capacity
        self._target = target
        # The app's shared Hub client unless one is given; only a `target` alone makes one here.
        self._hub = hub
        self._owns_hub = False
        self._stream_options = dict(stream_options or {})
        self._workers: dict[str, list[Worker[None]]] = {}
        self._gc_relaxed = False
        self._in_flight = 0
        self._drained = asyncio.Event()
        self._panes_by_id: dict[str, LogPane] = {}

    # ---- layout -----------------------------------------------------------------------------

    def _pane_groups(self) -> list[list[str]]:
        if self.merged:
            return [self.space_ids]
        return [[space_id] for space_id in self.space_ids[:MAX_PANES]]

    def _static_spaces(self) -> set[str]:
        """The Spaces the app's list knows as static (sdk: static): they have no logs."""
        if self.static is None:
            board = getattr(self.app, "board", None)
            rows = [board.get(space_id) for space_id in self.space_ids] if board else []
            self.static = {row.space_id for row in rows if row and row.status.sdk == "static"}
        return self.static

    def compose(self) -> ComposeResult:
        groups = self._pane_groups()
        static = self._static_spaces()
        size = "-four" if len(groups) > 2 else "-two" if len(groups) == 2 else ""
        with Grid(classes=size):
            for index, sources in enumerate(groups):
                yield LogPane(
                    sources,
                    self.kind,
                    capacity=self.capacity,
                    static=all(source in static for source in sources),
                    id=f"pane-{index}",
                )
        yield KeyFooter()

    @property
    def panes(self) -> list[LogPane]:
        """The panes on screen, in order."""
        return list(self.query(LogPane))

    async def on_mount(self) -> None:
        if len(self.space_ids) > MAX_PANES and not self.merged:
            self.notify(
                f"Showing the first {MAX_PANES} Spaces side by side; press m to merge all "
                f"{len(self.space_ids)}.",
                timeout=5,
            )
        elif len(self.panes) > 1:
            self.notify("Tab moves to the next pane, m merges them into one view.", timeout=4)
        gc_policy.relax()
        self._gc_relaxed = True
        self._start_all()
        self.panes[0].view.focus()

    async def on_unmount(self) -> None:
        if self._gc_relaxed:
            self._gc_relaxed = False
            gc_policy.restore()
        # Workers of this screen are cancelled with it; a client made for this screen is closed.
        for workers in self._workers.values():
            for worker in workers:
                worker.cancel()
        if self._owns_hub and self._hub is not None:
            await self._hub.aclose()
            self._hub = None

    # ---- streams ----------------------------------------------------------------------------

    def _hub_client(self) -> HubClient:
        if self._hub is None:
            if self._target is None:
                self._hub = self.app.hub  # type: ignore[attr-defined]
            else:
                from tui.domain.hub.client import HubClient

                self._hub = HubClient(self._target)
                self._owns_hub = True
        return self._hub

    def _start_all(self) -> None:
        for pane in self.panes:
            self._start(pane)

    def _start(self, pane: LogPane) -> None:
        self._stop(pane)
        pane_id = pane.id or ""
        workers = []
        static = self._static_spaces()
        for space_id in pane.sources:
            if space_id in static:
                pane.set_stream_state(space_id, _STATIC_STATE)
                continue
            workers.append(
                self.run_worker(
                    self._pump(pane_id, pane.generation, space_id, pane.kind),
                    name=f"logs {space_id} {pane.kind}",
                    group=f"logs:{space_id}:{pane.kind}",
                    description=f"Streaming the {pane.kind} log of {space_id}",
                    exit_on_error=False,
                )
            )
        self._workers[pane_id] = workers

    def _stop(self, pane: LogPane) -> None:
        for worker in self._workers.pop(pane.id or "", []):
            worker.cancel()

    async def _pump(self, pane_id: str, generation: int, space_id: str, kind: str) -> None:
        """Worker body: read one stream and post what arrives. Touches no widget."""
        from tui.domain.logstream import LogStream

        def on_state(state: StreamState) -> None:
            self.post_message(LogStateChanged(pane_id, generation, space_id, state))

        stream = LogStream(
            self._hub_client(),
            space_id,
            kind,  # type: ignore[arg-type]
            follow=True,
            on_state=on_state,
            **self._stream_options,
        )
        try:
            async for batch in stream.batches():
                while self._in_flight > MAX_IN_FLIGHT_LINES:
                    self._drained.clear()
                    await self._drained.wait()
                self._in_flight += len(batch)
                self.post_message(LogBatch(pane_id, generation, batch))
        finally:
            await stream.aclose()

    def _pane(self, pane_id: str, generation: int) -> LogPane | None:
        # A dict lookup, not a DOM query: this runs for every batch of every stream.
        pane = self._panes_by_id.get(pane_id)
        if pane is None or not pane.is_attached:
            self._panes_by_id = {pane.id or "": pane for pane in self.panes}
            pane = self._panes_by_id.get(pane_id)
        if pane is not None and pane.generation == generation:
            return pane
        return None  # a message from a stream that was replaced: drop it

    @on(LogBatch)
    def append_batch(self, message: LogBatch) -> None:
        self._in_flight -= len(message.events)
        if self._in_flight <= MAX_IN_FLIGHT_LINES:
            self._drained.set()
        pane = self._pane(message.pane_id, message.generation)
        if pane is not None:
            pane.view.append_batch(message.events)

    @on(LogStateChanged)
    def show_stream_state(self, message: LogStateChanged) -> None:
        pane = self._pane(message.pane_id, message.generation)
        if pane is not None:
            pane.set_stream_state(message.space_id, message.state)

    @on(Worker.StateChanged)
    def show_worker_failure(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state != WorkerState.ERROR or not (worker.group or "").startswith("logs:"):
            return
        _, space_id, _kind = worker.group.split(":", 2)
        error = worker.error
        reason = error.message if isinstance(error, SpacetuiError) else redact(str(error))
        for pane_id, workers in self._workers.items():
            if worker in workers:
                for pane in self.panes:
                    if pane.id == pane_id:
                        pane.set_stream_state(space_id, _FailedState(reason or "stream error"))

    # ---- saving -----------------------------------------------------------------------------

    @on(LogView.SaveRequested)
    def save_log(self, event: LogView.SaveRequested) -> None:
        path = Path(event.path).expanduser()
        text = event.text
        if getattr(self.app, "web_mode", False):
            # In a browser the file belongs on the user's machine: a download, not a server write.
            self.app.deliver_text(io.StringIO(text), save_filename=path.name or "spacetui.log")
            self.notify(f"{path.name or 'spacetui.log'} sent to your browser", timeout=4)
            return

        def write() -> None:
            path.write_text(text, encoding="utf-8")

        worker = self.run_worker(write, thread=True, group="logs-save", exit_on_error=False)
        worker.name = str(path)

    @on(Worker.StateChanged)
    def report_save(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "logs-save":
            return
        if event.state == WorkerState.SUCCESS:
            self.notify(f"Saved to {worker.name}", timeout=4)
        elif event.state == WorkerState.ERROR:
            self.notify(
                f"Could not save to {worker.name}: {worker.error}",
                title="Save failed",
                severity="error",
            )

    # ---- actions ----------------------------------------------------------------------------

    def _focused_pane(self) -> LogPane:
        focused = self.focused
        while focused is not None and not isinstance(focused, LogPane):
            focused = focused.parent  # type: ignore[assignment]
        return focused if isinstance(focused, LogPane) else self.panes[0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tab moves between panes only when there are several (else it is Textual's own)."""
        if action == "next_pane":
            return len(self.panes) > 1
        return True

    def action_next_pane(self, step: int) -> None:
        """Focus the next (`step` 1) or previous (-1) pane's log."""
        panes = self.panes
        index = panes.index(self._focused_pane())
        panes[(index + step) % len(panes)].view.focus()

    def action_switch_kind(self, kind: str) -> None:
        """Switch the focused pane (every pane of a merged view) to build or run logs."""
        pane = self._focused_pane()
        if pane.static:
            names = ", ".join(pane.sources)
            self.notify(
                f"{names}: static Space{'s' if len(pane.sources) > 1 else ''}, served as files "
                "with no build or run log.",
                timeout=4,
            )
            return
        if pane.kind == kind:
            return
        self._stop(pane)
        pane.switch_kind(kind)
        self._start(pane)

    async def action_toggle_merged(self) -> None:
        """Between panes side by side and one merged view (streams restart; the Hub replays)."""
        if len(self.space_ids) < 2:
            self.notify("Merging needs two Spaces or more.", timeout=3)
            return
        for pane in self.panes:
            self._stop(pane)
        self.merged = not self.merged
        await self.recompose()
        self._start_all()
        self.panes[0].view.focus()
        count = len(self.space_ids)
        if self.merged:
            said = f"Merged: the {count} Spaces in one view, in time order (m: side by side)."
        elif count > MAX_PANES:
            said = f"Side by side: the first {MAX_PANES} of {count} Spaces (m: merge)."
        else:
            said = "Side by side: one pane per Space (m: merge)."
        self.notify(said, timeout=4)

    def action_close(self) -> None:
        self.dismiss()
