"""LogPane: one LogView with its prompt (search, filter, save path) and its status bar."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Input

from tui.ui.widgets.log_render import source_color
from tui.ui.widgets.log_status import LogStatus, StreamStateLike
from tui.ui.widgets.log_view import LogView

_PROMPTS = {
    "search": "search (regex, ! inverts), Enter to find, Esc to cancel",
    "filter": "filter: show only matching lines (regex, ! inverts), empty to show all",
    "save": "save the view as plain text to",
}


class LogPane(Vertical):
    """The log of one Space (or several merged), with a bottom status bar; owns no stream."""

    DEFAULT_CSS = """
    LogPane {
        border: round $panel-lighten-2;
        height: 1fr;
        &:focus-within { border: round $accent; }
        & > LogView { height: 1fr; }
        & > Input.log-prompt { display: none; height: 3; }
        & > Input.log-prompt.-active { display: block; }
    }
    """

    def __init__(
        self,
        sources: list[str],
        kind: str = "run",
        *,
        capacity: int = 100_000,
        static: bool = False,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
    ) -> None:
        super().__init__(id=id)
        self.sources = list(sources)
        self.kind = kind
        self.static = static
        """Every source is a static Space: the Hub serves its files, there is no log to stream."""
        self.generation = 0
        """Bumped whenever the pane's streams restart: batches of older streams are ignored."""
        self.capacity = capacity
        self._prompt_mode: str | None = None

    @property
    def merged(self) -> bool:
        """True when several sources share this pane's one view."""
        return len(self.sources) > 1

    @property
    def title(self) -> str:
        """`owner/name · run log`, or `3 Spaces merged · run log`."""
        who = f"{len(self.sources)} Spaces merged" if self.merged else self.sources[0]
        return f"{who} · {self.kind} log"

    def compose(self) -> ComposeResult:
        view = LogView(self.capacity, show_sources=self.merged)
        view.sort_by_time = self.merged
        view.source_colors = {
            source: source_color(source, index) for index, source in enumerate(self.sources)
        }
        view.save_name = self._save_name()
        view.empty_text = self._hint()
        yield view
        yield Input(classes="log-prompt")
        yield LogStatus(
            self.title, merged=self.merged, hint=self._hint(), source_colors=view.source_colors
        )

    def _hint(self) -> str:
        """What the view and the bar say while the log is empty: where else to look (nowhere,
        for a static Space: offering its build log would send the user to another empty pane)."""
        if self.static:
            return "static Space: served as files, no build or run log"
        other = "build" if self.kind == "run" else "run"
        return f"no {self.kind} log yet — {other[0]}: {other} log"

    def _save_name(self) -> str:
        who = "merged" if self.merged else self.sources[0].replace("/", "-")
        return f"{who}-{self.kind}"

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    @property
    def status(self) -> LogStatus:
        return self.query_one(LogStatus)

    @property
    def prompt(self) -> Input:
        return self.query_one("Input.log-prompt", Input)

    def switch_kind(self, kind: str) -> None:
        """Show `kind` (build or run) logs from now on: the view is cleared for the new streams."""
        self.kind = kind
        self.generation += 1
        self.view.save_name = self._save_name()
        self.view.empty_text = self._hint()
        self.view.clear()
        self.status.set_title(self.title)
        self.status.set_hint(self._hint())
        self.status.reset_streams()

    def set_stream_state(self, source: str, state: StreamStateLike) -> None:
        """Show one source's stream state in the status bar."""
        self.status.set_stream_state(source, state)

    @on(LogView.StateChanged)
    def show_view_state(self, event: LogView.StateChanged) -> None:
        event.stop()
        self.status.set_view_state(event.state)

    @on(LogView.PromptRequested)
    def open_prompt(self, event: LogView.PromptRequested) -> None:
        event.stop()
        self._prompt_mode = event.mode
        prompt = self.prompt
        prompt.placeholder = _PROMPTS.get(event.mode, event.mode)
        prompt.value = event.initial
        prompt.add_class("-active")
        prompt.focus()

    @on(Input.Submitted, ".log-prompt")
    def submit_prompt(self, event: Input.Submitted) -> None:
        event.stop()
        mode = self._prompt_mode
        self._close_prompt()
        if mode is not None:
            # Run it in the view's own context: a message created while this pane handles an
            # event would have the pane as sender, and Textual stops such messages at the pane.
            self.view.call_later(self.view.apply_prompt, mode, event.value)

    def on_key(self, event: Key) -> None:
        if event.key == "escape" and self._prompt_mode is not None:
            event.stop()
            event.prevent_default()
            self._close_prompt()

    def _close_prompt(self) -> None:
        self._prompt_mode = None
        self.prompt.remove_class("-active")
        self.view.focus()
