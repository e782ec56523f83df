"""Issue 13, marks: l/b on an unmarked row open the selected Space (not the marked ones); on a
marked row every marked Space; u clears every mark."""

from __future__ import annotations

from tests.helpers.app import SIZE, Hub, MakeApp, screen_text, wait_for
from tui.ui.widgets.space_table import SpaceTable


def table(app) -> SpaceTable:  # noqa: ANN001
    return app.screen.query_one("#spaces", SpaceTable)


def logs_of(app) -> list[str]:  # noqa: ANN001
    assert type(app.screen).__name__ == "LogsScreen"
    return list(app.screen.space_ids)


async def test_logs_open_the_selected_space_unless_it_is_marked(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/one", "alice/two", "alice/three")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 3)
        assert table(app).space_ids == ["alice/one", "alice/three", "alice/two"]
        await pilot.press("space", "space")  # marks one and three; the cursor is on two
        await wait_for(pilot, lambda: "2 marked" in screen_text(app))
        assert table(app).selected_space_id == "alice/two"
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LogsScreen")
        assert logs_of(app) == ["alice/two"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        await pilot.press("up")  # alice/three: marked
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LogsScreen")
        assert logs_of(app) == ["alice/one", "alice/three"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        await pilot.press("u")
        await wait_for(pilot, lambda: "marked" not in screen_text(app))
        assert "✓" not in screen_text(app)
