"""The Space list: a DataTable keyed by Space id whose cells are updated in place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import DataTable

from tui.domain.models import Stage
from tui.ui.board import BoardRow
from tui.ui.keymap import LIST_CURSOR_BINDINGS
from tui.ui.widgets.space_cells import (
    NOTE_WIDTH,
    age_cell,
    hardware_cell,
    note_cell,
    safe,
    since_cell,
    stage_badge,
)

#: (column key, label) in display order; the first six are sortable with keys 1-6.
COLUMNS = (
    ("space", "Space"),
    ("sdk", "SDK"),
    ("stage", "Stage"),
    ("age", "In stage"),
    ("hardware", "Hardware"),
    ("changed", "Last change"),
    ("note", "Note"),
)


class SpaceTable(DataTable[Text]):
    """One row per watched Space; rows keyed by Space id so live updates keep the cursor."""

    # Home/End (g/G) move the cursor to the first/last Space; DataTable's own scroll sideways.
    BINDINGS: ClassVar[list[BindingType]] = [*LIST_CURSOR_BINDINGS]

    DEFAULT_CSS = """
    SpaceTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._shown: dict[str, tuple[Text, ...]] = {}
        #: The note's width the rows were built for.
        self._note_limit = NOTE_WIDTH

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    @property
    def selected_space_id(self) -> str | None:
        """The Space under the cursor, if the table has rows."""
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(row_key.value)

    @property
    def space_ids(self) -> list[str]:
        """The Space ids in display order."""
        return [str(row.key.value) for row in self.ordered_rows]

    def show(
        self,
        rows: Iterable[BoardRow],
        *,
        now: float,
        stuck_after: Mapping[Stage, float],
        marked: frozenset[str] = frozenset(),
    ) -> None:
        """Show exactly `rows` in this order: cells update in place when the order is unchanged,
        otherwise the rows are rebuilt; either way the cursor stays on the same Space."""
        rows = list(rows)
        wanted = [row.space_id for row in rows]
        fixed = {
            row.space_id: self._cells(row, now, stuck_after, row.space_id in marked) for row in rows
        }
        note_width = self._note_width(fixed.values())
        cells = {row.space_id: (*fixed[row.space_id], note_cell(row, note_width)) for row in rows}
        if note_width != self._note_limit:
            # Columns only ever widen in place: a narrower terminal needs the rows rebuilt.
            self._note_limit = note_width
            self._shown = {}
            wanted_rebuild = True
        else:
            wanted_rebuild = False
        if wanted == self.space_ids and not wanted_rebuild:
            # Only cells whose text or style changed are touched: each update_cell repaints.
            for space_id, values in cells.items():
                shown = self._shown.get(space_id, ())
                for index, ((column, _), value) in enumerate(zip(COLUMNS, values, strict=True)):
                    if index >= len(shown) or shown[index] != value:
                        # A cell that grew (`cpu-basic` -> `cpu-basic → t4-small`) widens its
                        # column; at the old width the new text was cut back to the old one.
                        # Only then: measuring the columns again every second (the "in stage"
                        # ticks) was a good part of the idle app's CPU.
                        grew = index >= len(shown) or value.cell_len > shown[index].cell_len
                        self.update_cell(space_id, column, value, update_width=grew)
                self._shown[space_id] = values
            return
        selected = self.selected_space_id
        self.clear(columns=True)
        for key, label in COLUMNS:
            self.add_column(label, key=key)
        for space_id in wanted:
            self.add_row(*cells[space_id], key=space_id)
        self._shown = cells
        if selected in cells:
            self.move_cursor(row=wanted.index(selected), animate=False)

    def _note_width(self, fixed: Iterable[tuple[Text, ...]]) -> int:
        """Characters of note that fit beside the other columns (never fewer than NOTE_WIDTH):
        a wide terminal shows the whole error message instead of empty columns."""
        if not self.size.width:
            return NOTE_WIDTH  # not laid out yet
        fixed = list(fixed)
        padding = 2 * self.cell_padding
        used = sum(
            max([len(label), *(values[index].cell_len for values in fixed)]) + padding
            for index, (_, label) in enumerate(COLUMNS[:-1])
        )
        return max(NOTE_WIDTH, self.size.width - used - padding - 2)  # 2: a scrollbar's room

    @staticmethod
    def _cells(
        row: BoardRow, now: float, stuck_after: Mapping[Stage, float], marked: bool
    ) -> tuple[Text, ...]:
        status = row.status
        space = Text(("✓ " if marked else "  ") + status.space_id, style="bold" if marked else "")
        if status.private:
            space.append(" 🔒", style="dim")
        return (
            space,
            Text(safe(status.sdk, 16) or "-"),
            stage_badge(status.stage, status.raw_stage),
            age_cell(row, now, stuck_after),
            hardware_cell(row),
            since_cell(status.last_modified, now),
        )
