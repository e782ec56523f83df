"""The log viewer's model: a bounded line store, filter and search indexes, and wrap math.

Pure Python (no Textual, no Rich) so every rule of the viewer is tested without a terminal.

Lines are addressed by a *sequence number* (`seq`): the count of lines appended before them.
Seqs never change, so they stay valid while old lines are evicted from the front of the store.
A *row* is a position in what the viewer shows (all lines, or only the filter's matches); a
*display row* is a terminal row once long lines are wrapped.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tui.domain.error_line import ERROR_LINE_PATTERN
from tui.domain.errors import UsageError
from tui.domain.models import LogEvent, line_texts
from tui.domain.sanitize import strip_ansi

# "An error line" is defined once, for this filter and the failure explanations alike.
ERROR_PATTERN = ERROR_LINE_PATTERN
ERRORS_PRESET = "errors"
"""The name shown for the "errors only" filter preset."""


Measure = Callable[[int, str], int]
"""Cells a row needs on screen: called with (seq, plain text)."""


@dataclass(frozen=True, slots=True)
class LineQuery:
    """A compiled user query: a case-insensitive regex, possibly inverted with a leading `!`."""

    text: str
    regex: re.Pattern[str]
    invert: bool = False
    label: str = ""

    def matches(self, plain: str) -> bool:
        """True when the line is selected by this query."""
        return (self.regex.search(plain) is not None) != self.invert

    @classmethod
    def parse(cls, text: str) -> LineQuery:
        """The query for what the user typed; a bad regex is a `UsageError` naming the problem."""
        invert = text.startswith("!")
        pattern = text[1:] if invert else text
        if not pattern:
            raise UsageError("Type a pattern to match (a regular expression; ! inverts).")
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise UsageError(f"Not a valid regular expression: {exc}.") from None
        return cls(text=text, regex=regex, invert=invert, label=text)

    @classmethod
    def errors(cls, invert: bool = False) -> LineQuery:
        """The "errors only" preset (or, inverted, everything but errors)."""
        label = ("!" if invert else "") + ERRORS_PRESET
        return cls(text=label, regex=re.compile(ERROR_PATTERN), invert=invert, label=label)


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What one append did to the view: rows added at the end, rows dropped at the front."""

    added_rows: int
    dropped_rows: int
    dropped_display_rows: int


class LineBatch:
    """Lines waiting to be stored, as columns of strings and ints.

    A view turns each incoming batch of `LogEvent`s into this at once, so the events die young:
    events held until the next frame would outlive two young collections, be promoted to the
    oldest generation, and make Python run a full collection (a UI stall) every second or so.
    """

    __slots__ = ("texts", "stamps", "sources", "indexes")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.stamps: list[str] = []
        self.sources: list[str] = []
        self.indexes: list[int] = []

    @classmethod
    def of(cls, events: Sequence[LogEvent]) -> LineBatch:
        """A batch holding `events`."""
        batch = cls()
        batch.extend(events)
        return batch

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, events: Sequence[LogEvent]) -> None:
        """Add events at the end."""
        self.texts.extend(line_texts(events))
        self.stamps.extend([event.timestamp for event in events])
        sources = [event.space_id for event in events]
        if sources and sources.count(sources[0]) == len(sources):
            # One stream's batch: one shared string, not an equal copy per decoded line.
            sources = [sources[0]] * len(sources)
        self.sources.extend(sources)
        self.indexes.extend([event.index for event in events])

    def drop_oldest(self, count: int) -> None:
        """Forget the first `count` lines (they would be evicted on arrival anyway)."""
        if count > 0:
            del self.texts[:count], self.stamps[:count]
            del self.sources[:count], self.indexes[:count]

    def sort_by_time(self) -> None:
        """Order by timestamp, stably (each stream keeps its own order)."""
        order = sorted(range(len(self.texts)), key=self.stamps.__getitem__)
        self.texts = [self.texts[i] for i in order]
        self.stamps = [self.stamps[i] for i in order]
        self.sources = [self.sources[i] for i in order]
        self.indexes = [self.indexes[i] for i in order]


class LogStore:
    """The last `capacity` log lines, addressed by sequence number, with their plain text.

    Lines are kept as parallel lists of strings and ints, not as `LogEvent` objects: strings are
    not tracked by Python's cyclic garbage collector, so 100,000 stored lines add nothing to the
    full collections that otherwise stalled the UI for 100-250 ms every couple of seconds of a
    flood. Plain text is computed lazily (only filter, search, wrap and export need it), so
    following a 50,000 lines/s stream costs a few list extends per batch.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.first_seq = 0
        self._texts: list[str] = []
        self._stamps: list[str] = []
        self._sources: list[str] = []
        self._indexes: list[int] = []
        self._plain: list[str | None] = []

    def __len__(self) -> int:
        return len(self._texts)

    @property
    def next_seq(self) -> int:
        """The seq the next appended line gets (also: how many lines were ever appended)."""
        return self.first_seq + len(self._texts)

    def _columns(self) -> tuple[list[str] | list[int] | list[str | None], ...]:
        return (self._texts, self._stamps, self._sources, self._indexes, self._plain)

    def append(self, events: Sequence[LogEvent]) -> int:
        """Store `events` (oldest first) and return how many old lines were evicted."""
        return self.append_lines(LineBatch.of(events))

    def append_lines(self, batch: LineBatch) -> int:
        """Store a batch of lines (oldest first) and return how many old lines were evicted."""
        evicted = 0
        if len(batch) > self.capacity:
            # Only the newest `capacity` can survive; skip the rest without storing them.
            skipped = len(batch) - self.capacity
            evicted = len(self._texts) + skipped
            self.first_seq += evicted
            for column in self._columns():
                column.clear()
            batch.drop_oldest(skipped)
        self._texts.extend(batch.texts)
        self._stamps.extend(batch.stamps)
        self._sources.extend(batch.sources)
        self._indexes.extend(batch.indexes)
        self._plain.extend([None] * len(batch))
        excess = len(self._texts) - self.capacity
        if excess > 0:
            # One slice delete per column and batch: a memmove of pointers, cheap at 100k lines.
            for column in self._columns():
                del column[:excess]
            self.first_seq += excess
            evicted += excess
        return evicted

    def clear(self) -> None:
        """Forget every line (seqs keep counting up so old ones never alias new ones)."""
        self.first_seq = self.next_seq
        for column in self._columns():
            column.clear()

    def _offset(self, seq: int) -> int:
        offset = seq - self.first_seq
        if offset < 0:
            raise IndexError(seq)
        return offset

    def text(self, seq: int) -> str:
        """The raw remote text of line `seq` (untrusted: escapes and all)."""
        return self._texts[self._offset(seq)]

    def timestamp(self, seq: int) -> str:
        """The Hub's timestamp of line `seq` (remote text too)."""
        return self._stamps[self._offset(seq)]

    def source(self, seq: int) -> str:
        """The Space line `seq` came from."""
        return self._sources[self._offset(seq)]

    def index(self, seq: int) -> int:
        """The stream's own event index of line `seq` (counts from the start of its log)."""
        return self._indexes[self._offset(seq)]

    def sources(self) -> set[str]:
        """Every Space with a line in the store."""
        return set(self._sources)

    def indexes(self, source: str) -> list[int]:
        """The event indexes stored for one Space, oldest first."""
        return [i for i, s in zip(self._indexes, self._sources, strict=True) if s == source]

    def plain(self, seq: int) -> str:
        """The text of line `seq` without any escape sequence or control character."""
        offset = self._offset(seq)
        text = self._plain[offset]
        if text is None:
            text = self._plain[offset] = plain_text(self._texts[offset])
        return text

    def matching(self, query: LineQuery, start_seq: int | None = None) -> list[int]:
        """Seqs from `start_seq` on (default: all) whose plain text the query selects."""
        start = 0 if start_seq is None else max(0, start_seq - self.first_seq)
        base = self.first_seq
        plain = self.plain
        regex_search = query.regex.search
        stop = len(self._texts)
        if query.invert:
            return [base + i for i in range(start, stop) if regex_search(plain(base + i)) is None]
        return [base + i for i in range(start, stop) if regex_search(plain(base + i)) is not None]


def plain_text(text: str) -> str:
    """`text` without escapes or control characters (`strip_ansi`, which has the colour fast path)."""
    return strip_ansi(text)


class WrapIndex:
    """Prefix sums of display rows per row, so a display row maps to (row, sub-row) by bisection.

    Sums are kept absolute (including rows already dropped from the front) so that dropping
    rows is a slice delete plus one base update, never a rewrite of every sum.
    """

    def __init__(self, width: int) -> None:
        self.width = max(1, width)
        self._ends: list[int] = []
        self._base = 0

    def rows_for(self, cells: int) -> int:
        """Display rows a row of `cells` cells needs at this width (an empty row still takes one)."""
        return max(1, math.ceil(cells / self.width))

    def extend(self, cells: Iterable[int]) -> None:
        """Add rows at the end."""
        total = self._ends[-1] if self._ends else self._base
        ends = self._ends
        width = self.width
        for count in cells:
            total += max(1, -(-count // width))
            ends.append(total)

    def drop_front(self, rows: int) -> int:
        """Drop the first `rows` rows; return how many display rows they took."""
        if rows <= 0:
            return 0
        rows = min(rows, len(self._ends))
        old_base = self._base
        self._base = self._ends[rows - 1]
        del self._ends[:rows]
        return self._base - old_base

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def total(self) -> int:
        """Display rows of every row together."""
        return (self._ends[-1] - self._base) if self._ends else 0

    def start_of(self, row: int) -> int:
        """The first display row of `row`."""
        return (self._ends[row - 1] if row > 0 else self._base) - self._base

    def locate(self, display_row: int) -> tuple[int, int]:
        """The (row, sub-row) shown at `display_row` (clamped to the last row)."""
        if not self._ends:
            return (0, 0)
        absolute = self._base + min(max(0, display_row), self.total - 1)
        row = bisect_right(self._ends, absolute)
        return row, absolute - (self._ends[row - 1] if row > 0 else self._base)


class LogModel:
    """What a log view shows: the store, seen through an optional filter, with search and wrap."""

    def __init__(self, capacity: int = 100_000, measure: Measure | None = None) -> None:
        self.store = LogStore(capacity)
        self.filter: LineQuery | None = None
        self.search: LineQuery | None = None
        self._filtered: list[int] = []
        self._found: list[int] = []
        self._measure: Measure = measure or (lambda _seq, plain: len(plain))
        self._wrap: WrapIndex | None = None

    # ---- rows -------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Rows in the view: every stored line, or the filter's matches."""
        return len(self._filtered) if self.filter else len(self.store)

    def seq_at(self, row: int) -> int:
        """The seq of the line shown at `row`."""
        if self.filter:
            return self._filtered[row]
        return self.store.first_seq + row

    def row_of(self, seq: int) -> int | None:
        """The row that shows line `seq`, or None if it is evicted or filtered out."""
        if self.filter:
            row = bisect_left(self._filtered, seq)
            if row < len(self._filtered) and self._filtered[row] == seq:
                return row
            return None
        row = seq - self.store.first_seq
        return row if 0 <= row < len(self.store) else None

    def nearest_row(self, seq: int) -> int | None:
        """The row of line `seq`, or of the first shown line after it; None if there is none."""
        if self.filter:
            row = bisect_left(self._filtered, seq)
        else:
            row = max(0, seq - self.store.first_seq)
        return row if row < self.row_count else (self.row_count - 1 if self.row_count else None)

    def row_seqs(self, start: int = 0, stop: int | None = None) -> list[int]:
        """The seqs of rows `start` to `stop` (default: to the end), in order."""
        stop = self.row_count if stop is None else min(stop, self.row_count)
        if self.filter:
            return self._filtered[start:stop]
        first = self.store.first_seq
        return list(range(first + start, first + stop))

    # ---- feeding ----------------------------------------------------------------------------

    def append(self, events: Sequence[LogEvent]) -> AppendResult:
        """Add a batch; report the rows it added and the rows eviction removed from the front."""
        return self.append_lines(LineBatch.of(events))

    def append_lines(self, batch: LineBatch) -> AppendResult:
        """`append` for lines already in columns."""
        before_rows = self.row_count
        start_seq = self.store.next_seq
        evicted = self.store.append_lines(batch)
        first = self.store.first_seq
        start_seq = max(start_seq, first)
        if self.filter:
            dropped = bisect_left(self._filtered, first)
            del self._filtered[:dropped]
            new_seqs = self.store.matching(self.filter, start_seq)
            self._filtered.extend(new_seqs)
        else:
            dropped = min(evicted, before_rows)
            new_seqs = list(range(start_seq, self.store.next_seq))
        if self.search:
            del self._found[: bisect_left(self._found, first)]
            search = self.search
            plain = self.store.plain
            self._found.extend(seq for seq in new_seqs if search.matches(plain(seq)))
        dropped_display = dropped
        if self._wrap is not None:
            dropped_display = self._wrap.drop_front(dropped)
            self._wrap.extend(self._measure(seq, self.store.plain(seq)) for seq in new_seqs)
        return AppendResult(len(new_seqs), dropped, dropped_display)

    def clear(self) -> None:
        """Forget every line (filter and search stay set)."""
        self.store.clear()
        self._filtered.clear()
        self._found.clear()
        if self._wrap is not None:
            self._wrap = WrapIndex(self._wrap.width)

    # ---- filter and search ------------------------------------------------------------------

    def set_filter(self, query: LineQuery | None) -> None:
        """Show only the lines `query` selects (None: show all)."""
        self.filter = query
        self._filtered = self.store.matching(query) if query else []
        self._refresh_search()
        self._rewrap()

    def set_search(self, query: LineQuery | None) -> None:
        """Mark the rows `query` matches (None: no search)."""
        self.search = query
        self._refresh_search()

    def _refresh_search(self) -> None:
        if self.search is None:
            self._found = []
            return
        search = self.search
        plain = self.store.plain
        self._found = [seq for seq in self.row_seqs() if search.matches(plain(seq))]

    @property
    def match_count(self) -> int:
        """How many rows of the view the search matches."""
        return len(self._found)

    def match_number(self, seq: int) -> int | None:
        """1-based position of line `seq` among the search matches, or None."""
        index = bisect_left(self._found, seq)
        if index < len(self._found) and self._found[index] == seq:
            return index + 1
        return None

    def next_match(self, after_seq: int | None, forward: bool = True) -> int | None:
        """The seq of the next (or previous) match after `after_seq`, wrapping around; None if none.

        With `after_seq` None the search starts from the top (forward) or the bottom (backward).
        """
        found = self._found
        if not found:
            return None
        if after_seq is None:
            return found[0] if forward else found[-1]
        if forward:
            index = bisect_right(found, after_seq)
            return found[index] if index < len(found) else found[0]
        index = bisect_left(found, after_seq) - 1
        return found[index] if index >= 0 else found[-1]

    def first_error(self) -> int | None:
        """The seq of the first error line in the view, or None."""
        errors = LineQuery.errors()
        plain = self.store.plain
        for seq in self.row_seqs():
            if errors.matches(plain(seq)):
                return seq
        return None

    # ---- wrap -------------------------------------------------------------------------------

    @property
    def wrap_width(self) -> int | None:
        """The width lines are wrapped at, or None when wrapping is off."""
        return self._wrap.width if self._wrap is not None else None  # an empty index is falsy

    def set_wrap(self, width: int | None) -> None:
        """Wrap rows at `width` cells (None: no wrapping)."""
        if width is None:
            self._wrap = None
            return
        if self._wrap is None or self._wrap.width != max(1, width):
            self._wrap = WrapIndex(width)
            self._rewrap()

    def set_measure(self, measure: Measure) -> None:
        """Change how a row's cells are counted (e.g. timestamps shown), re-wrapping if needed."""
        self._measure = measure
        self._rewrap()

    def _rewrap(self) -> None:
        if self._wrap is None:
            return
        self._wrap = WrapIndex(self._wrap.width)
        plain = self.store.plain
        measure = self._measure
        self._wrap.extend(measure(seq, plain(seq)) for seq in self.row_seqs())

    @property
    def display_rows(self) -> int:
        """Terminal rows the whole view needs."""
        return self._wrap.total if self._wrap else self.row_count

    def locate(self, display_row: int) -> tuple[int, int]:
        """The (row, sub-row) at `display_row`; without wrap it is (display_row, 0)."""
        if self._wrap is None:
            return display_row, 0
        return self._wrap.locate(display_row)

    def display_row_of(self, row: int) -> int:
        """The first display row of `row`."""
        return self._wrap.start_of(row) if self._wrap else row

    # ---- export -----------------------------------------------------------------------------

    def export_lines(
        self,
        seqs: Iterable[int],
        *,
        timestamps: bool = False,
        sources: bool = False,
    ) -> list[str]:
        """Plain text lines for saving or copying: no escapes, no borders, optional prefixes."""
        out: list[str] = []
        store = self.store
        for seq in seqs:
            parts = []
            if timestamps and (stamp := store.timestamp(seq)):
                parts.append(plain_text(stamp))
            if sources and (source := store.source(seq)):
                parts.append(plain_text(source))
            parts.append(store.plain(seq))
            out.append(" ".join(parts))
        return out
