"""LogView: a Line-API log widget that holds a bounded store and renders only the visible rows.

Lines arrive in batches (`append_batch`) and are applied to the model at most once per frame.
Only visible lines are rendered (`tui.ui.widgets.log_render`), and the rendered segments of recent
lines are kept in a small LRU cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from time import monotonic
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui._compat.textual import set_virtual_size
from tui.domain.error_line import is_error_line
from tui.domain.errors import UsageError
from tui.domain.log_model import ERRORS_PRESET, LineBatch, LineQuery, LogModel
from tui.domain.models import LogEvent
from tui.domain.sanitize import redact
from tui.ui.widgets.log_render import (
    MAX_RENDER_CHARS,
    body_pieces,
    cells,
    safe_text,
    short_timestamp,
    source_color,
    source_style,
)

STATUS_INTERVAL = 0.25
"""During a flood the status bar is told at most this often (seconds)."""
STRIP_CACHE_SIZE = 300
"""Rendered lines kept per view (rendering one again costs ~0.1-0.2 ms)."""
FLUSH_INTERVAL = 1 / 30
"""Batches are coalesced and applied at most this often (seconds): one frame."""
WRAP_INDENT = 2
"""Cells a wrapped line's continuation rows start in by, when no timestamp or source is shown:
without it, the second row of a long line reads like the next line."""
WIDTH_SAMPLE = 64
"""The newest lines a frame measures for the horizontal scroll width: all of a slow stream's
(64 lines a frame is 1,900 lines/s), a sample of a flood's (measuring more was the largest
part of a flood frame's flush, which keys wait behind)."""
FLOOD_FLUSH_INTERVAL = 1 / 5
"""The interval while every frame would bring more new lines than the pane shows: nobody reads
a log scrolling that fast, and rendering whole screens 30 times a second per pane is what made
keys wait with four panes streaming."""


@dataclass(frozen=True, slots=True)
class ViewState:
    """What the status bar shows about a view: follow, new lines, filter, search, toggles."""

    following: bool
    new_lines: int
    rows: int
    stored: int
    filter_label: str | None
    search_label: str | None
    match_number: int | None
    match_count: int
    wrap: bool
    timestamps: bool


class LogView(ScrollView, can_focus=True):
    """A scrolling log of one or more sources, following the end until the user scrolls up.

    | Key | Action |
    | :- | :- |
    | `/` | search (regex, `!` inverts) |
    | `n` / `N` | next / previous match |
    | `&` | filter: show only matching lines (`!` inverts) |
    | `e` | filter preset: errors only (again: off) |
    | `E` | jump to the first error |
    | `escape` | clear search and filter |
    | `w` / `t` | wrap / timestamps |
    | `f`, `G`, `end` | follow the end again |
    | `g`, `home` | top |
    | `j` / `k`, `down` / `up` | one line |
    | `ctrl+d` / `ctrl+u` | half a page |
    | `pagedown` / `pageup` | a page |
    | `s` | save to a file |
    | `y` / `Y` | copy the lines on screen / every line in the view |
    """

    # The footer shows the essential keys only (a 150-column footer was cut off); every key
    # is still bound, and `?` help lists them all.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "prompt('search')", "Search", id="log.search"),
        Binding("n", "next_match", "Next", show=False, id="log.next_match"),
        Binding("N", "previous_match", "Prev", show=False, id="log.previous_match"),
        Binding("ampersand", "prompt('filter')", "Filter", id="log.filter"),
        Binding("e", "errors_only", "Errors", id="log.errors_only"),
        Binding("E", "first_error", "First error", show=False, id="log.first_error"),
        Binding("escape", "clear", "Clear", show=False, id="log.clear"),
        Binding("w", "toggle_wrap", "Wrap", show=False, id="log.wrap"),
        Binding("t", "toggle_timestamps", "Time", show=False, id="log.timestamps"),
        Binding("f,G,end", "follow", "Follow", key_display="f", id="log.follow"),
        Binding("g,home", "top", "Top", show=False, id="log.top"),
        Binding("j,down", "line_down", "Down", show=False, id="log.line_down"),
        Binding("k,up", "line_up", "Up", show=False, id="log.line_up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="log.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="log.half_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="log.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="log.page_up"),
        Binding("s", "prompt('save')", "Save", id="log.save"),
        Binding("y", "copy(False)", "Copy", show=False, id="log.copy"),
        Binding("Y", "copy(True)", "Copy all", show=False, id="log.copy_all"),
    ]

    DEFAULT_CSS = """
    LogView {
        background: $surface;
        color: $text;
        overflow: auto auto;
    }
    LogView > .log-view--match { background: $warning 40%; }
    LogView > .log-view--cursor { background: $accent 20%; }
    LogView > .log-view--current { background: $accent; color: $text; text-style: bold; }
    LogView > .log-view--timestamp { color: $text-muted; }
    LogView > .log-view--error { color: $text-error; }
    LogView > .log-view--empty { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {
        "log-view--match",
        "log-view--cursor",
        "log-view--current",
        "log-view--timestamp",
        "log-view--error",
        "log-view--empty",
    }

    class StateChanged(Message):
        """The view's follow/filter/search state changed (handled by the pane's status bar)."""

        def __init__(self, view: LogView, state: ViewState) -> None:
            super().__init__()
            self.view = view
            self.state = state

        @property
        def control(self) -> LogView:
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LogView.StateChanged) and message.view is self.view

    class PromptRequested(Message):
        """The user asked to type a search, a filter or a path (`mode`); the pane shows a prompt."""

        def __init__(self, view: LogView, mode: str, initial: str) -> None:
            super().__init__()
            self.view = view
            self.mode = mode
            self.initial = initial

        @property
        def control(self) -> LogView:
            return self.view

    class SaveRequested(Message):
        """The user asked to save the view's text to `path` (the screen writes the file)."""

        def __init__(self, view: LogView, path: str, text: str) -> None:
            super().__init__()
            self.view = view
            self.path = path
            self.text = text

        @property
        def control(self) -> LogView:
            return self.view

    def __init__(
        self,
        capacity: int = 100_000,
        *,
        show_sources: bool = False,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = LogModel(capacity, measure=self._measure)
        self.show_sources = show_sources
        self.show_timestamps = False
        self.following = True
        self.new_lines = 0
        self.cursor_seq: int | None = None
        self.save_name = "log"
        self.sort_by_time = False
        """Order each frame's arrivals by timestamp (merged views: the streams' bursts interleave)."""
        self.source_colors: dict[str, str] = {}
        self.empty_text = ""
        """What the view says while it holds no line, e.g. `no run log yet — b: build log` (its
        pane's words): each part around ` — ` on a row of its own, wrapped to the width. The
        status bar says it too when it has room, but two panes side by side at 80x24 leave it
        none."""
        self._pending = LineBatch()
        self._flush_scheduled = False
        self._flooded = False
        #: Lines received but never stored: a burst over the capacity between two frames.
        self.skipped_lines = 0
        self._posted_state: ViewState | None = None
        self._posted_at = 0.0
        self._state_post_scheduled = False
        self._max_width = 0
        self._programmatic = False
        #: The width lines wrap at, None when wrap is off (see `_set_wrap`).
        self._wrap_at: int | None = None
        # Rendered lines as (segments, cells), a few screens' worth: long-lived objects make every
        # full garbage collection (a visible stall under a flood) longer.
        self._strips: LRUCache[int, tuple[list[Segment], int]] = LRUCache(STRIP_CACHE_SIZE)
        self._style_cache: dict[str, Style] = {}
        self._rich_style: Style | None = None

    def on_mount(self) -> None:
        # The status bar shows "0 lines" before the first line, not nothing.
        self._post_state()

    # ---- feeding ----------------------------------------------------------------------------

    def append_batch(self, events: Sequence[LogEvent]) -> None:
        """Queue a batch of events; they are applied together at the next frame."""
        if not events:
            return
        pending = self._pending
        pending.extend(events)  # as strings at once: see LineBatch on why events must die young
        overflow = len(pending) - self.model.store.capacity
        if overflow > 0:
            # Lines that would be evicted by the next flush anyway: never hold more than the bound.
            pending.drop_oldest(overflow)
            self.skipped_lines += overflow
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.set_timer(FLOOD_FLUSH_INTERVAL if self._flooded else FLUSH_INTERVAL, self.flush)

    @property
    def pending_lines(self) -> int:
        """Lines received but not yet applied (at most one frame's worth, at most the capacity)."""
        return len(self._pending)

    def flush(self) -> None:
        """Apply every queued line now (the frame timer calls this; tests may too)."""
        self._flush_scheduled = False
        if not self._pending:
            return
        batch, self._pending = self._pending, LineBatch()
        if self.sort_by_time:
            batch.sort_by_time()
        result = self.model.append_lines(batch)
        self._flooded = result.added_rows > self.scrollable_content_region.height
        # Strips are keyed by seq, so eviction (rows shifting) leaves the cache valid. The width
        # for horizontal scrolling is sampled from the newest lines: measuring a 50k-line burst
        # would cost more than the frame (plain text is computed lazily).
        self._widen_to_newest()
        if not self.following:
            self.new_lines += result.added_rows
        self._update_virtual_size()
        if self.following:
            self._scroll_to_end()
        elif result.dropped_display_rows:
            # Keep the lines the reader is looking at in place while old ones leave the store.
            self._set_scroll_y(self.scroll_y - result.dropped_display_rows)
        self.refresh()
        # In a flood the line count changes every frame; the status bar need not repaint so often.
        self._post_state(urgent=not self._flooded)

    def _widen_to_newest(self) -> None:
        """Grow the scroll width to the widest of the newest `WIDTH_SAMPLE` lines.

        Only a line that could be wider than what is known is measured: an ASCII line without a
        tab never takes more cells than its raw length (escape codes only add characters), so
        in a flood of similar uncoloured lines nothing is stripped here."""
        store = self.model.store
        prefix = self._prefix_cells() + self._source_cells()
        known = self._max_width - prefix
        widest = 0
        for seq in range(max(store.first_seq, store.next_seq - WIDTH_SAMPLE), store.next_seq):
            raw = store.text(seq)
            if len(raw) > known or not raw.isascii() or "\t" in raw:
                widest = max(widest, cells(store.plain(seq)))
        if widest:
            self._max_width = max(self._max_width, min(widest, MAX_RENDER_CHARS) + prefix)

    def clear(self) -> None:
        """Forget every line (e.g. when switching between build and run logs)."""
        self._pending = LineBatch()
        self.model.clear()
        self._strips.clear()
        self.cursor_seq = None
        self.new_lines = 0
        self._max_width = 0
        self._update_virtual_size()
        self._set_scroll_y(0)
        self.refresh()
        self._post_state()

    # ---- state ------------------------------------------------------------------------------

    @property
    def view_state(self) -> ViewState:
        """A snapshot for the status bar."""
        model = self.model
        return ViewState(
            following=self.following,
            new_lines=self.new_lines,
            rows=model.row_count,
            stored=len(model.store),
            filter_label=model.filter.label if model.filter else None,
            search_label=model.search.label if model.search else None,
            match_number=(
                model.match_number(self.cursor_seq) if self.cursor_seq is not None else None
            ),
            match_count=model.match_count,
            wrap=self._wrap_at is not None,
            timestamps=self.show_timestamps,
        )

    def _post_state(self, urgent: bool = True) -> None:
        state = self.view_state
        if state == self._posted_state:
            return
        now = monotonic()
        if not urgent and now - self._posted_at < STATUS_INTERVAL:
            if not self._state_post_scheduled:
                # Post the latest state a little later, so the final count is never lost.
                self._state_post_scheduled = True
                self.set_timer(STATUS_INTERVAL, self._post_late_state)
            return
        self._posted_state = state
        self._posted_at = now
        self.post_message(self.StateChanged(self, state))

    def _post_late_state(self) -> None:
        self._state_post_scheduled = False
        self._post_state()

    def _prefix_cells(self) -> int:
        """Cells before every line's text: the timestamp column."""
        return 13 if self.show_timestamps else 0

    def _source_cells(self) -> int:
        """Cells of the widest source prefix in a merged view."""
        if not self.show_sources or not self.source_colors:
            return 0
        return self._source_width() + 1

    def _source_width(self, source: str = "") -> int:
        """The width every source prefix is padded to, so each line's text starts in one column:
        the longest of the view's sources (and of `source`, should one arrive unannounced)."""
        width = max((len(known) for known in self.source_colors), default=0)
        return max(width, len(source))

    def _measure(self, seq: int, plain: str) -> int:
        """A line's cells for the wrap index: continuation rows hold fewer cells (the hanging
        indent), so a wrapped line counts as its rows times the wrap width."""
        prefix = 13 if self.show_timestamps else 0  # as _prefix_cells: this runs per line
        width = min(cells(plain), MAX_RENDER_CHARS + 26) + prefix
        if self.show_sources and (source := self.model.store.source(seq)):
            prefix += self._source_width(source) + 1
            width += self._source_width(source) + 1
        wrap = self._wrap_at
        if wrap is None or width <= wrap:
            return width
        rest = wrap - min(prefix or WRAP_INDENT, wrap // 2)  # as _hanging_indent
        return (1 + -(-(width - wrap) // rest)) * wrap

    def _hanging_indent(self, seq: int, wrap: int) -> int:
        """Cells before a wrapped line's continuation rows: under the text, after the line's
        source and timestamp, else `WRAP_INDENT`; at most half the width, so text still fits."""
        indent = self._prefix_cells() or WRAP_INDENT
        if self.show_sources and (source := self.model.store.source(seq)):
            indent = self._prefix_cells() + self._source_width(source) + 1
        return min(indent, wrap // 2)

    def _update_virtual_size(self) -> None:
        wrap = self._wrap_at
        width = wrap if wrap else self._max_width
        # Not `self.virtual_size = ...`: that reflows the whole screen on every frame that adds
        # lines (the pane's size never follows its content); scrollbars are still updated.
        set_virtual_size(self, Size(width, self.model.display_rows))

    def _set_wrap(self, width: int | None) -> None:
        # Kept here as well as in the model: the model's `wrap_width` reads None while its wrap
        # index is empty, i.e. for the first line measured in a rewrap and for an empty log.
        self._wrap_at = None if width is None else max(1, width)
        self.model.set_wrap(self._wrap_at)

    def _wrap_width(self) -> int:
        # Leave room for the vertical scrollbar whether or not it shows yet: it appears as soon
        # as the log outgrows the pane, and wrapping must not change width when it does.
        return max(1, self.size.width - self.styles.scrollbar_size_vertical)

    def _set_scroll_y(self, y: float) -> None:
        self._programmatic = True
        try:
            self.scroll_to(y=max(0, y), animate=False, force=True)
        finally:
            self._programmatic = False

    def _scroll_to_end(self) -> None:
        self._set_scroll_y(self.max_scroll_y)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._programmatic:
            return
        # A clamp after a resize lands exactly on the end, so only a move *above* the end is
        # the reader scrolling up; arriving at the end by scrolling down resumes following.
        if new_value < old_value and new_value < self.max_scroll_y and self.following:
            self._pause()
        elif new_value > old_value and new_value >= self.max_scroll_y and not self.following:
            self._resume()

    def _pause(self) -> None:
        self.following = False
        self.new_lines = 0
        self._post_state()

    def _resume(self) -> None:
        self.following = True
        self.new_lines = 0
        self._post_state()

    def on_resize(self) -> None:
        if self._wrap_at is not None:
            self._set_wrap(self._wrap_width())
        self._update_virtual_size()
        if self.following:
            self._scroll_to_end()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._style_cache.clear()
        self._rich_style = None

    def _base_style(self) -> Style:
        # `rich_style` walks every ancestor's styles; per rendered row that was the single
        # largest cost while following a flood. Styles only change via notify_style_update.
        if self._rich_style is None:
            self._rich_style = self.rich_style
        return self._rich_style

    # ---- rendering --------------------------------------------------------------------------

    def _component_style(self, name: str) -> Style:
        style = self._style_cache.get(name)
        if style is None:
            # Combined with the parent so translucent backgrounds come out blended; the cursor
            # line and timestamps take only one colour so ANSI colours of the line survive.
            full = self.get_component_rich_style(name)
            if name == "log-view--cursor":
                style = Style(bgcolor=full.bgcolor)
            elif name in ("log-view--timestamp", "log-view--error"):
                style = Style(color=full.color)
            else:
                style = full
            self._style_cache[name] = style
        return style

    def _line_text(self, seq: int) -> Text:
        store = self.model.store
        text = Text(no_wrap=True, end="")
        if self.show_sources and (source := store.source(seq)):
            width = self._source_width(source)
            source = safe_text(source)
            color = self.source_colors.get(source) or source_color(source)
            text.append(source.ljust(width) + " ", source_style(color))
        if self.show_timestamps:
            stamp = short_timestamp(store.timestamp(seq))
            text.append(f"{stamp:<12} ", self._component_style("log-view--timestamp"))
        prefix = len(text)
        pieces = body_pieces(store.text(seq))
        error = self._error_style(pieces)
        for piece, style in pieces:
            text.append(piece, error + style if error else style)
        if seq == self.cursor_seq:
            # Before the match spans, so the current match still stands out on its line.
            text.stylize(self._component_style("log-view--cursor"))
        search = self.model.search
        if search is not None and not search.invert:
            match_style = self._component_style(
                "log-view--current" if seq == self.cursor_seq else "log-view--match"
            )
            body = text.plain[prefix:]
            for match in search.regex.finditer(body):
                if match.end() > match.start():
                    text.stylize(match_style, prefix + match.start(), prefix + match.end())
        return text

    def _prefix_segments(self, seq: int, base: Style) -> list[Segment]:
        store = self.model.store
        segments = []
        if self.show_sources and (source := store.source(seq)):
            width = self._source_width(source)
            source = safe_text(source)
            color = self.source_colors.get(source) or source_color(source)
            segments.append(Segment(source.ljust(width) + " ", base + source_style(color)))
        if self.show_timestamps:
            stamp = short_timestamp(store.timestamp(seq))
            style = base + self._component_style("log-view--timestamp")
            segments.append(Segment(f"{stamp:<12} ", style))
        return segments

    def _line_segments(self, seq: int) -> tuple[list[Segment], int]:
        """The whole line's segments and cell length (cached; the cursor line never is)."""
        cached = self._strips.get(seq)
        if cached is not None:
            return cached
        base = self._base_style()
        if seq == self.cursor_seq or self.model.search is not None:
            # Highlights split pieces at match boundaries: let Rich's Text do that.
            text = self._line_text(seq)
            segments = [
                Segment(segment.text, base + segment.style if segment.style else base)
                for segment in text.render(self.app.console)
            ]
            line = (segments, text.cell_len)
        else:
            # The hot path while following: segments straight from the parsed pieces.
            segments = self._prefix_segments(seq, base)
            pieces = body_pieces(self.model.store.text(seq))
            error = self._error_style(pieces)
            if error:
                base = base + error  # under the line's own colours: those still show
            segments.extend(Segment(piece, base + style) for piece, style in pieces)
            line = (segments, sum(cells(segment.text) for segment in segments))
        if seq != self.cursor_seq:
            self._strips[seq] = line
        return line

    def _error_style(self, pieces: list[tuple[str, Style]]) -> Style | None:
        """The error colour when the line (as shown: escapes removed) is an error line
        (`tui.domain.error_line`, the errors filter's own definition), else None."""
        if is_error_line("".join(piece for piece, _ in pieces)):
            return self._component_style("log-view--error")
        return None

    def empty_filter_text(self) -> Text | None:
        """What the view says when its filter hides every stored line (None otherwise), e.g.
        `no line matches 'xyz' (of 120) — Esc shows all`. The label is the user's own words,
        shown as plain text."""
        model = self.model
        if model.filter is None or model.row_count or not len(model.store):
            return None
        stored = f"{len(model.store):,}"
        query = model.filter
        if query.label == ERRORS_PRESET:
            words = f"no error line (of {stored}) — e or Esc shows all"
        elif query.label == "!" + ERRORS_PRESET:
            words = f"every line (of {stored}) is an error line — Esc shows all"
        else:
            words = f"no line matches '{safe_text(query.label)}' (of {stored}) — Esc shows all"
        return Text(words, style=self._component_style("log-view--empty"), end="")

    def empty_log_text(self) -> Text | None:
        """What the view says while it holds no line (None when it holds some, or has no words
        for it): `empty_text`, each part around ` — ` on a row of its own."""
        if len(self.model.store) or not self.empty_text:
            return None
        words = "\n".join(safe_text(part) for part in self.empty_text.split(" — "))
        return Text(words, style=self._component_style("log-view--empty"), end="")

    def _message_strip(self, y: int, width: int, base: Style) -> Strip | None:
        """Row `y` of what an empty view says (an empty log, or a filter that hides every line),
        wrapped to `width`; None below it or when it has nothing to say."""
        message = self.empty_filter_text() or self.empty_log_text()
        if message is None or width <= 0:
            return None
        # The style as a span: `wrap` gives rows without the text's own style.
        message.stylize(message.style)
        rows = message.wrap(self.app.console, width)
        if y >= len(rows):
            return None
        segments = [
            Segment(segment.text, base + segment.style if segment.style else base)
            for segment in rows[y].render(self.app.console)
        ]
        return Strip(segments).crop_extend(0, width, base)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._base_style()
        display_row = scroll_y + y
        model = self.model
        if display_row >= model.display_rows or model.row_count == 0:
            message = self._message_strip(y, width, base) if model.row_count == 0 else None
            return message if message is not None else Strip.blank(width, base)
        row, sub = model.locate(display_row)
        seq = model.seq_at(row)
        segments, cells = self._line_segments(seq)
        wrap = self._wrap_at
        if wrap is not None:
            if sub == 0:
                piece = Strip(segments, cells).crop_extend(0, wrap, base)
            else:
                # A hanging indent: the first row is full width, the others start further in.
                indent = self._hanging_indent(seq, wrap)
                start = wrap + (sub - 1) * (wrap - indent)
                piece = Strip(segments, cells).crop_extend(start, start + wrap - indent, base)
                if indent:
                    pad = base
                    if seq == self.cursor_seq:
                        pad = base + self._component_style("log-view--cursor")
                    piece = Strip([Segment(" " * indent, pad), *piece], wrap)
            return piece.extend_cell_length(width, base) if width > wrap else piece
        if scroll_x == 0 and cells <= width:
            # The common case: one new Strip per row and frame, no crop. Strips are built here,
            # not cached: each carries seven caches of its own, which long-lived would make
            # every full garbage collection (a visible stall) slower.
            return Strip([*segments, Segment(" " * (width - cells), base)], width)
        return Strip(segments, cells).crop_extend(scroll_x, scroll_x + width, base)

    def rendered_strips(self) -> list[Strip]:
        """The strips of the rows on screen now (what `render_line` gives; used by tests)."""
        return [self.render_line(y) for y in range(self.scrollable_content_region.height)]

    # ---- queries ----------------------------------------------------------------------------

    def visible_rows(self) -> list[int]:
        """The rows (not display rows) on screen now, top to bottom, without duplicates."""
        model = self.model
        if model.row_count == 0:
            return []
        height = self.scrollable_content_region.height
        first = int(self.scroll_y)
        last = min(first + height, model.display_rows) - 1
        if last < first:
            return []
        top, _ = model.locate(first)
        bottom, _ = model.locate(last)
        return list(range(top, bottom + 1))

    def search(self, text: str | None) -> None:
        """Search for `text` (None or empty: stop) and move to the first match after the top row."""
        query = LineQuery.parse(text) if text else None
        self.model.set_search(query)
        self.cursor_seq = None
        self._strips.clear()
        if query is not None:
            rows = self.visible_rows()
            start = self.model.seq_at(rows[0]) - 1 if rows else None
            self._move_to(self.model.next_match(start, forward=True))
        self.refresh()
        self._post_state()

    def filter(self, query: LineQuery | str | None) -> None:
        """Show only the lines `query` selects (a string is parsed; None or empty: all lines)."""
        if isinstance(query, str):
            query = LineQuery.parse(query) if query else None
        anchor = self.cursor_seq if self.cursor_seq is not None else self._top_seq()
        self.model.set_filter(query)
        if self.cursor_seq is not None and self.model.row_of(self.cursor_seq) is None:
            self.cursor_seq = None
        self._after_layout_change(anchor)

    def _scroll_to_seq(self, seq: int) -> None:
        row = self.model.row_of(seq)
        if row is None:
            return
        display = self.model.display_row_of(row)
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if top <= display < top + height:
            return
        self._set_scroll_y(max(0, display - height // 3))

    def _move_to(self, seq: int | None) -> None:
        if seq is None:
            return
        self.cursor_seq = seq
        self.following = False
        self.new_lines = 0
        self._scroll_to_seq(seq)
        self.refresh()
        self._post_state()

    def export_text(self, all_rows: bool = True) -> str:
        """Plain text of the view (every row, or the rows on screen), secrets redacted."""
        model = self.model
        rows = self.visible_rows()
        seqs: Iterable[int] = (
            model.row_seqs() if all_rows else model.row_seqs(rows[0], rows[-1] + 1) if rows else []
        )
        lines = model.export_lines(seqs, timestamps=self.show_timestamps, sources=self.show_sources)
        return redact("\n".join(lines) + ("\n" if lines else ""))

    # ---- actions ----------------------------------------------------------------------------

    def action_prompt(self, mode: str) -> None:
        initial = ""
        if mode == "search" and self.model.search:
            initial = self.model.search.text
        elif mode == "filter" and self.model.filter:
            initial = self.model.filter.text
        elif mode == "save":
            initial = self.default_save_path()
        self.post_message(self.PromptRequested(self, mode, initial))

    def default_save_path(self) -> str:
        """`./<name>-<local time>.log`, e.g. `./demo-app-run-20261128-101500.log`."""
        import time

        stamp = time.strftime("%Y%m%d-%H%M%S")
        return f"./{self.save_name}-{stamp}.log"

    def action_next_match(self) -> None:
        self._move_to(self.model.next_match(self.cursor_seq, forward=True))

    def action_previous_match(self) -> None:
        self._move_to(self.model.next_match(self.cursor_seq, forward=False))

    def action_errors_only(self) -> None:
        current = self.model.filter
        if current is not None and current.label == LineQuery.errors().label:
            self.filter(None)
        else:
            self.filter(LineQuery.errors())

    def action_first_error(self) -> None:
        seq = self.model.first_error()
        if seq is None:
            self.notify("No error line in this log.", timeout=3)
            return
        self._move_to(seq)

    def action_clear(self) -> None:
        if self.model.search is None and self.model.filter is None:
            raise SkipAction()
        self.model.set_search(None)
        self.cursor_seq = None
        self.filter(None)

    def action_toggle_wrap(self) -> None:
        anchor = self._top_seq()
        self._set_wrap(self._wrap_width() if self._wrap_at is None else None)
        self._after_layout_change(anchor)

    def action_toggle_timestamps(self) -> None:
        anchor = self._top_seq()
        self.show_timestamps = not self.show_timestamps
        self.model.set_measure(self._measure)
        self._max_width += 13 if self.show_timestamps else -13
        self._after_layout_change(anchor)

    def _top_seq(self) -> int | None:
        rows = self.visible_rows()
        return self.model.seq_at(rows[0]) if rows else None

    def _after_layout_change(self, anchor: int | None) -> None:
        self._strips.clear()
        self._update_virtual_size()
        if self.following:
            self._scroll_to_end()
        elif anchor is not None and (row := self.model.nearest_row(anchor)) is not None:
            # Keep the line the reader was at (or the next one still shown) at the top.
            self._set_scroll_y(min(self.model.display_row_of(row), self.max_scroll_y))
        self.refresh()
        self._post_state()

    def action_follow(self) -> None:
        self.cursor_seq = None
        self._strips.clear()
        self._resume()
        self._scroll_to_end()
        self.refresh()

    def action_top(self) -> None:
        self._user_scroll(0)

    def action_line_down(self) -> None:
        self._user_scroll(self.scroll_y + 1)

    def action_line_up(self) -> None:
        self._user_scroll(self.scroll_y - 1)

    def action_half_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height // 2)
        self._user_scroll(self.scroll_y + direction * step)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        self._user_scroll(self.scroll_y + direction * step)

    def _user_scroll(self, y: float) -> None:
        """Scroll as the reader: moving above the end pauses follow (via `watch_scroll_y`)."""
        target = max(0, min(y, self.max_scroll_y))
        if target < self.max_scroll_y and self.following:
            self._pause()
        self.scroll_to(y=target, animate=False, force=True)

    def action_copy(self, all_rows: bool) -> None:
        text = self.export_text(all_rows=all_rows)
        self.app.copy_to_clipboard(text)
        count = text.count("\n")
        self.notify(
            f"Copied {count:,} line{'s' if count != 1 else ''} to the clipboard.", timeout=3
        )

    def request_save(self, path: str) -> None:
        """Ask the screen to write the view's text to `path`."""
        self.post_message(self.SaveRequested(self, path, self.export_text(all_rows=True)))

    def apply_prompt(self, mode: str, value: str) -> None:
        """Act on what the user typed in the pane's prompt; a bad regex is told, not raised."""
        try:
            if mode == "search":
                self.search(value or None)
            elif mode == "filter":
                self.filter(value or None)
            elif mode == "save" and value.strip():
                self.request_save(value.strip())
        except UsageError as error:
            self.notify(error.message, title="Log view", severity="error", timeout=5)
