"""LogStatus: the one-line status bar of a log pane: stream state per source and the view's state."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.domain.sanitize import redact
from tui.ui.widgets.log_render import safe_text, source_color
from tui.ui.widgets.log_view import ViewState


class StreamStateLike(Protocol):
    """What the bar reads from `tui.domain.logstream.StreamState` (no I/O module imported here)."""

    # Read-only properties: the stream's state is a frozen value the bar only reads.
    @property
    def phase(self) -> str: ...
    @property
    def attempt(self) -> int: ...
    @property
    def wait(self) -> float | None: ...
    @property
    def reason(self) -> str | None: ...


_PHASE_STYLE = {
    "connecting": Style(color="yellow"),
    "live": Style(color="green", bold=True),
    "reconnecting": Style(color="yellow", bold=True),
    "ended": Style(dim=True),
    "failed": Style(color="red", bold=True),
}
_PHASE_MARK = {"connecting": "◌", "live": "●", "reconnecting": "◌", "ended": "■", "failed": "✕"}
_SEP = (" │ ", Style(dim=True))


def describe_stream(
    state: StreamStateLike, remaining: float | None = None, brief: bool = False
) -> str:
    """One phrase for a stream state, e.g. `reconnecting in 3 s (attempt 2): Hub unavailable`;
    `brief` leaves out the reason and the attempt (for a narrow status bar)."""
    reason = "" if brief else safe_text(redact(state.reason or ""))
    if state.phase == "live":
        return "live"
    if state.phase == "connecting":
        return (
            f"connecting (attempt {state.attempt + 1})"
            if state.attempt and not brief
            else "connecting"
        )
    if state.phase == "reconnecting":
        wait = remaining if remaining is not None else state.wait
        when = f" in {max(0, round(wait or 0)):d} s" if wait is not None else ""
        text = f"reconnecting{when}" + ("" if brief else f" (attempt {state.attempt})")
        return f"{text}: {reason}" if reason else text
    if state.phase == "failed":
        return f"failed: {reason}" if reason else "failed"
    return f"ended: {reason}" if reason else "ended"


Variants = list[Text]
"""One part of a status row, longest first; an empty Text means the part can go altogether."""
CUT_TITLE = (-1, 0)
"""A step of a shortening order: cut the title (part 0) with an ellipsis to what is left."""
CUT_EACH = (-2, 0)
"""A step of a shortening order: cut every part after the title with an ellipsis, each to its
share of the row, keeping each part's last two cells (a stream's ` ●`): every Space keeps its
state instead of the last ones falling off the end of the row."""
_KEPT_TAIL = 2


def _shares(lengths: list[int], room: int) -> list[int]:
    """Cells for each part so that they fit `room`: the longest ones are cut first, evenly."""
    cap = max(lengths, default=0)
    while cap > 0 and sum(min(length, cap) for length in lengths) > room:
        cap -= 1
    return [min(length, cap) for length in lengths]


def _cut_keeping_tail(text: Text, cells: int) -> Text:
    """`text` cut to `cells` with an ellipsis before its last two cells (`name… ●`)."""
    if text.cell_len <= cells:
        return text
    head, tail = text[:-_KEPT_TAIL], text[-_KEPT_TAIL:]
    if cells - _KEPT_TAIL < 2:  # no room for a letter and the ellipsis: the mark alone
        return tail[-1:]
    head.truncate(cells - _KEPT_TAIL, overflow="ellipsis")
    head.append_text(tail)
    return head


def fit_row(parts: list[Variants], order: list[tuple[int, int]], width: int | None) -> Text:
    """Join `parts` with separators, shortening them step by step until the row fits `width`.

    A step `(part, variant)` moves that part to shorter variants, up to `variant`, while the
    row is too wide; `CUT_TITLE` cuts the title with an ellipsis. What still does not fit is
    cut at the end. Separators only stand between parts that are shown: none is left dangling.
    """
    parts = [list(variants) for variants in parts]
    chosen = [0] * len(parts)

    def shown() -> list[Text]:
        texts = [variants[index] for variants, index in zip(parts, chosen, strict=True)]
        return [text for text in texts if text.cell_len]

    def length() -> int:
        texts = shown()
        return sum(text.cell_len for text in texts) + len(_SEP[0]) * max(0, len(texts) - 1)

    if width is not None:
        for part, limit in order:
            if part >= len(parts):
                continue  # a part this row does not have (e.g. no view state yet)
            if (part, limit) == CUT_EACH:
                texts = [variants[index] for variants, index in zip(parts, chosen, strict=True)]
                cut = [i for i in range(1, len(parts)) if texts[i].cell_len]
                if length() > width and cut:
                    others = length() - sum(texts[i].cell_len for i in cut)
                    shares = _shares([texts[i].cell_len for i in cut], width - others)
                    for i, cells in zip(cut, shares, strict=True):
                        parts[i][chosen[i]] = _cut_keeping_tail(texts[i], cells)
                continue
            if (part, limit) == CUT_TITLE:
                title = parts[0][chosen[0]]
                excess = length() - width
                if excess > 0 and title.cell_len > 8:
                    shortened = title.copy()
                    shortened.truncate(max(8, title.cell_len - excess), overflow="ellipsis")
                    parts[0][chosen[0]] = shortened
                continue
            limit = min(limit, len(parts[part]) - 1)
            while length() > width and chosen[part] < limit:
                chosen[part] += 1
    row = Text(no_wrap=True, overflow="ellipsis", end="")
    for text in shown():
        if row.cell_len:
            row.append(*_SEP)
        row.append_text(text)
    if width is not None and row.cell_len > width:
        row.truncate(width, overflow="ellipsis")
    return row


def _text(plain: str, style: Style | None = None) -> Text:
    return Text(plain, style=style or "", no_wrap=True, end="")


def _title_variants(title: str, droppable: bool = False) -> Variants:
    """`owner/name · run log`, `name · run log`, `name`, then the name again: a pane always
    names its Space (the narrowest row cuts it with an ellipsis, see `CUT_TITLE`). Only a
    `droppable` title goes at last: a merged view's, whose Spaces the stream parts name."""
    plain = safe_text(title)
    who, _, kind = plain.partition(" · ")
    short = who.rsplit("/", 1)[-1]
    names = [plain, f"{short} · {kind}" if kind else short, short, "" if droppable else short]
    style = Style(bold=True)
    return [_text(name, style) for name in names]  # repeats kept: steps index this list


def _view_parts(view: ViewState, hint: str) -> list[Variants]:
    """The view's follow state, line count, search, flags, and the hint shown while it is empty."""
    new = f" +{view.new_lines:,} new line{'s' if view.new_lines != 1 else ''}"
    paused = Style(color="yellow", bold=True)
    if view.following and view.stored == 0:
        follow = [_text("")]  # nothing to follow yet: room for the hint
    elif view.following:
        # Following is the usual state: on a narrow row it gives way to the Space's name.
        following = _text("following", Style(color="green"))
        follow = [following, following, _text("")]
    else:
        base = "paused" + (new if view.new_lines else "")
        long = _text(base, paused)
        long.append(" (End: follow)", Style(dim=True))
        follow = [long, _text(base, paused)]
        if view.new_lines:
            follow.append(_text(f"paused +{view.new_lines:,}", paused))
    plural = "s" if (view.stored if view.filter_label is not None else view.rows) != 1 else ""
    if view.filter_label is not None:
        label = safe_text(view.filter_label)
        count = []
        for name, numbers in (
            (f"filter {label}: ", f"{view.rows:,} of {view.stored:,} line{plural}"),
            (f"{label}: ", f"{view.rows:,}/{view.stored:,}"),
            ("", f"{view.rows:,}/{view.stored:,}"),
        ):
            text = _text(name, Style(color="cyan"))
            text.append(numbers)
            count.append(text)
    else:
        lines = _text(f"{view.rows:,} line{plural}")
        count = [lines, lines, _text(f"{view.rows:,}")]
    search: Variants = [_text("")]
    if view.search_label is not None:
        label = safe_text(view.search_label)
        position = f"{view.match_number}/" if view.match_number else ""
        style = Style(color="bright_blue")
        search = [
            _text(f"/{label} {position}{view.match_count:,} matches", style),
            _text(f"{position}{view.match_count:,} matches", style),
            _text(f"{position}{view.match_count:,}", style),
        ]
    flags = " ".join(name for name, on in (("wrap", view.wrap), ("time", view.timestamps)) if on)
    flag_text = [_text(flags, Style(dim=True)), _text("")]
    hints = [hint, hint.split(" — ")[0], ""] if hint and view.stored == 0 else [""]
    return [follow, count, search, flag_text, [_text(h, Style(dim=True)) for h in hints]]


class LogStatus(Widget):
    """Stream state (live, reconnecting in N s, ended, failed and why) and follow/filter/search."""

    DEFAULT_CSS = """
    LogStatus {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
        &.-merged { height: 2; }
        /* Each row is fitted to the width already; should a measure ever differ, a row is cut
           at its end rather than wrapped onto (and hiding) the next one. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(
        self,
        title: str,
        *,
        merged: bool = False,
        hint: str = "",
        source_colors: dict[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.title = title
        self.merged = merged
        """Several sources share the view: their states get the first row, the view the second."""
        self.hint = hint
        """Shown while the log is empty, e.g. `no run log yet — b: build log` (the part after
        ` — ` goes first when the bar is narrow)."""
        self.source_colors = dict(source_colors or {})
        self.set_class(merged, "-merged")
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
        self.set_class(self.merged, "-merged")
        self._redraw()

    def set_stream_state(self, source: str, state: StreamStateLike) -> None:
        """Show `state` for `source`."""
        if source not in self._streams:
            self._source_order.append(source)
            # Several streams: their states get the first row, the view's state the second.
            self.set_class(self._two_rows, "-merged")
        self._streams[source] = (state, self._clock())
        self._redraw()

    def set_view_state(self, state: ViewState) -> None:
        """Show the view's follow, filter and search state."""
        self._view = state
        self._redraw()

    @property
    def view_state(self) -> ViewState | None:
        """The view's state the bar shows now (None before the view posted one): a test waits
        until it equals the view's own `view_state` instead of waiting for the late update."""
        return self._view

    def stream_text(self, source: str) -> str:
        """The phrase shown for one source's stream (for tests and the merged view)."""
        return describe_stream(self._streams[source][0], self._remaining(source))

    def _redraw(self) -> None:
        # A repaint of one fixed-size row, never a layout pass: this runs at frame rate.
        self.refresh()

    @property
    def _two_rows(self) -> bool:
        return self.merged or len(self._source_order) > 1

    def set_hint(self, hint: str) -> None:
        """Change what the bar says while the log is empty."""
        self.hint = hint
        self._redraw()

    def render(self) -> Text:
        width = self.size.width
        return self.build_text(width if width > 0 else None)

    def _stream_variants(self, index: int, source: str, many: bool) -> Variants:
        """One source's state, longest first: with the reason, brief, by short name, mark only."""
        state, _ = self._streams[source]
        style = _PHASE_STYLE.get(state.phase, Style())
        mark = _PHASE_MARK.get(state.phase, "?")
        full = self.stream_text(source)
        brief = describe_stream(state, self._remaining(source), brief=True)
        if not many:
            phrases = [f"{mark} {full}", f"{mark} {brief}", f"{mark} {state.phase}", mark]
            return [_text(phrase, style) for phrase in phrases]
        name = safe_text(source)
        color = self.source_colors.get(source) or source_color(source, index)
        variants = []
        # A live stream in a merged view needs no words: room for the others.
        words = [(name, full), (name, brief), (name.rsplit("/", 1)[-1], brief)]
        words.append((name.rsplit("/", 1)[-1], ""))
        for who, phrase in words:
            text = _text(who + " ", Style(color=color))
            text.append(mark if state.phase == "live" or not phrase else f"{mark} {phrase}", style)
            variants.append(text)
        return variants

    def build_text(self, width: int | None = None) -> Text:
        """The bar as Rich Text (plain strings and Style objects only: never markup), each row
        shortened to fit `width` cells: title first, then wording; state, count, matches stay."""
        many = self._two_rows
        title = _title_variants(self.title, droppable=many)
        streams = [
            self._stream_variants(index, source, many)
            for index, source in enumerate(self._source_order)
        ]
        view = _view_parts(self._view, self.hint) if self._view is not None else []
        if many:
            first = [title, *streams]
            stream_steps = [(i, 1) for i in range(1, len(first))]
            order = [(0, 1), *stream_steps, (0, 2)]
            order += [(i, 2) for i in range(1, len(first))] + [CUT_TITLE, (0, 3)]
            order += [(i, 3) for i in range(1, len(first))] + [CUT_EACH]
            text = fit_row(first, order, width)
            if view:
                # follow 0, count 1, search 2, flags 3, hint 4
                steps = [(3, 1), (0, 1), (4, 1), (4, 2), (0, 2), (2, 1), (1, 2), (2, 2)]
                text.append("\n")
                text.append_text(fit_row(view, steps, width))
            return text
        parts = [title, *streams, *view]
        v = 1 + len(streams)  # where the view's parts start
        order = [(v + 3, 1), (0, 1), (v, 1)]
        order += [(i, 1) for i in range(1, v)]
        # The name is cut (`llm-fin…`), never dropped: side by side, it is what tells the panes
        # apart (issue 13: at 80x24 they named no Space).
        order += [(0, 2), (v + 4, 1), (v + 4, 2), (v, 2), (v + 2, 1), CUT_TITLE, (v + 1, 2)]
        order += [(v + 2, 2)]
        order += [(i, 3) for i in range(1, v)]  # the state's mark and colour stay
        return fit_row(parts, order, width)

    def _remaining(self, source: str) -> float | None:
        state, since = self._streams[source]
        if state.phase == "reconnecting" and state.wait is not None:
            return state.wait - (self._clock() - since)
        return None
