"""The log viewer inside the real app: from the Space list to a failing build's error, and three
marked Spaces side by side (the issue's "done when" path, driven from the keyboard)."""

from __future__ import annotations

from tests.helpers.app import BROKEN_FILES, SIZE, Hub, MakeApp, wait_for
from tui.ui.screens.logs import LogsScreen
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.space_table import SpaceTable


def plain_rows(pane: LogPane) -> list[str]:
    model = pane.view.model
    return [model.store.plain(seq) for seq in model.row_seqs()]


async def test_open_a_failing_build_log_and_find_the_error_with_slash(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.emu.state.create_space("alice/broken", sdk="docker")
    hub.emu.state.commit("alice/broken", BROKEN_FILES)
    hub.clock.advance(3600)
    assert hub.stage("alice/broken") == "BUILD_ERROR"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "alice/broken" in app.screen.query_one(SpaceTable).space_ids)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen))
        pane = app.screen.query_one(LogPane)
        await wait_for(pilot, lambda: "ended" in pane.status.build_text().plain)
        assert "alice/broken · build log" in pane.status.build_text().plain
        await pilot.press("g", "slash", *"virtual environment", "enter")
        view = pane.view
        assert view.cursor_seq is not None
        assert "No virtual environment found" in view.model.store.plain(view.cursor_seq)
        # The error line is on screen.
        shown = "".join(strip.text for strip in view.rendered_strips())
        assert "No virtual environment found" in shown
        await pilot.press("E")
        first_error = view.model.store.plain(view.cursor_seq)
        assert "error" in first_error.lower()
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LogsScreen))


async def test_three_marked_spaces_open_side_by_side(hub: Hub, make_app: MakeApp) -> None:
    spaces = ["alice/a", "alice/b", "alice/c"]
    hub.running(*spaces)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.screen.query_one(SpaceTable)
        await wait_for(pilot, lambda: len(table.space_ids) == 3)
        for row in range(3):
            table.move_cursor(row=row)
            await pilot.press("space")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen))
        panes = list(app.screen.query(LogPane))
        assert sorted(p.sources[0] for p in panes) == spaces
        for pane in panes:
            await wait_for(
                pilot, lambda pane=pane: any("Uvicorn running" in t for t in plain_rows(pane))
            )
            assert "● live" in pane.status.build_text().plain


async def test_the_logs_footer_fits_150_columns_and_hidden_keys_still_work(
    hub: Hub, make_app: MakeApp
) -> None:
    # QA: at 150 columns the footer ended "… m Merge/split q Back ? Hel".
    from tests.helpers.app import screen_text

    hub.running("alice/a")
    app = make_app()
    async with app.run_test(size=(150, 30)) as pilot:
        await wait_for(pilot, lambda: "alice/a" in app.screen.query_one(SpaceTable).space_ids)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogsScreen))
        pane = app.screen.query_one(LogPane)
        await wait_for(pilot, lambda: any("Uvicorn running" in t for t in plain_rows(pane)))
        footer = screen_text(app).splitlines()[-1]
        for key in ("/ Search", "e Errors", "b Build log", "r Run log", "q Back", "? Help"):
            assert key in footer, footer
        # Keys left out of the footer are still bound (they are listed in ? help).
        await pilot.press("w")
        assert pane.view.model.wrap_width is not None
        await pilot.press("t")
        assert pane.view.show_timestamps
