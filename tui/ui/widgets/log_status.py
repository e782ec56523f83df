"""LogStatus: the one-line status bar of a log pane: stream state per source and the view's state."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.domain.redact import redact
from tui.ui.widgets.log_render import safe_text, source_color
from tui.ui.widgets.log_view import ViewState


class StreamStateLike(Protocol):
    """What the bar reads from `tui.domain.logstream.StreamState` (no I/O module imported here)."""

    phase: str
    attempt: int
    wait: float | None
    reason: str | None


_PHASE_STYLE = {
    "connecting": Style(color="yellow"),
    "live": Style(color="green", bold=True),
    "reconnecting": Style(color="yellow", bold=True),
    "ended": Style(dim=True),
    "failed": Style(color="red", bold=True),
}
_PHASE_MARK = {"connecting": "◌", "live": "●", "reconnecting": "◌", "ended": "■", "failed": "✕"}
_SEP = (" │ ", Style(dim=True))


def describe_stream(state: StreamStateLike, remaining: float | None = None) -> str:
    """One phrase for a stream state, e.g. `reconnecting in 3 s (attempt 2): Hub unavailable`."""
    reason = safe_text(redact(state.reason or ""))
    if state.phase == "live":
        return "live"
    if state.phase == "connecting":
        return f"connecting (attempt {state.attempt + 1})" if state.attempt else "connecting"
    if state.phase == "reconnecting":
        wait = remaining if remaining is not None else state.wait
        when = f" in {max(0, round(wait or 0)):d} s" if wait is not None else ""
        text = f"reconnecting{when} (attempt {state.attempt})"
        return f"{text}: {reason}" if reason else text
    if state.phase == "failed":
        return f"failed: {reason}" if reason else "failed"
    return f"ended: {reason}" if reason else "ended"


class LogStatus(Widget):
    """Stream state (live, reconnecting in N s, ended, failed and why) and follow/filter/search."""

    DEFAULT_CSS = """
    LogStatus {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
        &.-merged { height: 2; }
    }
    """

    def __init__(
        self,
        title: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.title = title
        self._clock = clock
        self._streams: dict[str, tuple[StreamStateLike, float]] = {}
        self._source_order: list[str] = []
        self._view: ViewState | None = None

    def on_mount(self) -> None:
        # Counts "reconnecting in N s" down; cheap, and idle when nothing reconnects.
        self.set_interval(1.0, self._tick)
        self._redraw()

    def _tick(self) -> None:
        if any(state.phase == "reconnecting" for state, _ in self._streams.values()):
            self._redraw()

    def set_title(self, title: str) -> None:
        """Change the pane's title (e.g. after switching between build and run logs)."""
        self.title = title
        self._redraw()

    def reset_streams(self) -> None:
        """Forget every stream state (the pane restarted its streams)."""
        self._streams.clear()
        self._source_order.clear()
        self.remove_class("-merged")
        self._redraw()

    def set_stream_state(self, source: str, state: StreamStateLike) -> None:
        """Show `state` for `source`."""
        if source not in self._streams:
            self._source_order.append(source)
            # Several streams: their states get the first row, the view's state the second.
            self.set_class(len(self._source_order) > 1, "-merged")
        self._streams[source] = (state, self._clock())
        self._redraw()

    def set_view_state(self, state: ViewState) -> None:
        """Show the view's follow, filter and search state."""
        self._view = state
        self._redraw()

    def stream_text(self, source: str) -> str:
        """The phrase shown for one source's stream (for tests and the merged view)."""
        state, since = self._streams[source]
        remaining = None
        if state.phase == "reconnecting" and state.wait is not None:
            remaining = state.wait - (self._clock() - since)
        return describe_stream(state, remaining)

    def _redraw(self) -> None:
        # A repaint of one fixed-size row, never a layout pass: this runs at frame rate.
        self.refresh()

    def render(self) -> Text:
        return self.build_text()

    def build_text(self) -> Text:
        """The bar as Rich Text (plain strings and Style objects only: never markup)."""
        text = Text(no_wrap=True, overflow="ellipsis", end="")  # one row per line of text
        text.append(safe_text(self.title), Style(bold=True))
        many = len(self._source_order) > 1
        for index, source in enumerate(self._source_order):
            state, _ = self._streams[source]
            text.append(*_SEP)
            if many:
                text.append(safe_text(source) + " ", Style(color=source_color(source, index)))
            style = _PHASE_STYLE.get(state.phase, Style())
            mark = _PHASE_MARK.get(state.phase, "?")
            if many and state.phase == "live":
                text.append(mark, style)  # room for the others: a live stream needs no words
            else:
                text.append(f"{mark} {self.stream_text(source)}", style)
        view = self._view
        if view is not None:
            if many:
                text.append("\n")
            else:
                text.append(*_SEP)
            if view.following:
                text.append("following", Style(color="green"))
            else:
                text.append("paused", Style(color="yellow", bold=True))
                if view.new_lines:
                    text.append(f" +{view.new_lines:,} new lines", Style(color="yellow", bold=True))
                text.append(" (End: follow)", Style(dim=True))
            text.append(*_SEP)
            if view.filter_label is not None:
                text.append(f"filter {safe_text(view.filter_label)}: ", Style(color="cyan"))
                text.append(f"{view.rows:,} of {view.stored:,} lines")
            else:
                text.append(f"{view.rows:,} lines")
            if view.search_label is not None:
                text.append(*_SEP)
                position = f"{view.match_number}/" if view.match_number else ""
                text.append(
                    f"/{safe_text(view.search_label)} {position}{view.match_count:,} matches",
                    Style(color="magenta"),
                )
            flags = [name for name, on in (("wrap", view.wrap), ("time", view.timestamps)) if on]
            if flags:
                text.append(*_SEP)
                text.append(" ".join(flags), Style(dim=True))
        return text
