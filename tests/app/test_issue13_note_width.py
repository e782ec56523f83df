"""Issue 13 bug 8: the Note column takes the width a wide terminal has, and gives it back."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets.data_table import ColumnKey

from tui.domain.config import DEFAULT_STUCK_AFTER
from tui.domain.models import SpaceStatus, Stage
from tui.ui.board import BoardRow
from tui.ui.widgets.space_table import SpaceTable

MESSAGE = "Launch timed out, workload was not healthy after 30 min: " + "x" * 60 + " END"
ROW = BoardRow(
    SpaceStatus(
        "alice/app", Stage.RUNTIME_ERROR, sdk="docker", hardware="cpu-basic", error_message=MESSAGE
    ),
    entered_at=0.0,
    entered_known=True,
)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SpaceTable(id="spaces")

    def show(self) -> None:
        self.query_one(SpaceTable).show([ROW], now=10.0, stuck_after=DEFAULT_STUCK_AFTER)


def note(app: TableApp) -> str:
    return str(app.query_one(SpaceTable).get_cell("alice/app", "note"))


async def test_the_note_takes_the_width_of_a_wide_terminal() -> None:
    app = TableApp()
    async with app.run_test(size=(200, 20)) as pilot:
        app.show()
        await pilot.pause()
        assert note(app) == MESSAGE  # 122 characters: whole at 200 columns
        await pilot.resize_terminal(100, 20)
        app.show()
        await pilot.pause()
        cut = note(app)
        assert cut.endswith("…") and len(cut) == 44  # the narrowest cut
        table = app.query_one(SpaceTable)
        assert table.columns[ColumnKey("note")].get_render_width(table) <= 46
