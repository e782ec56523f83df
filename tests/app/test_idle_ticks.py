"""The app at rest: 1 s ticks that find nothing new update nothing, no hidden animation (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static
from textual.widgets._progress_bar import Bar

from tests.app.conftest import FILES, SIZE, AppClock, Hub, MakeApp, screen_text, wait_for
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.banner import Banner
from tui.ui.widgets.space_table import SpaceTable


def table(app: Any) -> SpaceTable:
    return app.screen.query_one("#spaces", SpaceTable)


async def test_a_lower_bound_age_moves_by_the_minute(hub: Hub, make_app: MakeApp) -> None:
    hub.emu.state.create_space("alice/slow", sdk="docker")
    hub.emu.state.commit("alice/slow", FILES)
    clock = AppClock()
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 1)
        assert str(table(app).get_cell("alice/slow", "age")) == "≥0s"
        clock.now += 59  # still under a minute since start-up: the lower bound stays
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        dashboard.refresh_rows()
        assert str(table(app).get_cell("alice/slow", "age")) == "≥0s"
        clock.now += 19 * 60 - 17  # 19m 42s since start-up
        await wait_for(pilot, lambda: str(table(app).get_cell("alice/slow", "age")) == "≥19m 00s")


async def test_a_tick_that_changes_nothing_updates_nothing(
    hub: Hub, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.running("alice/app", "alice/other")
    app = make_app(clock=AppClock())  # a clock that stands still: no text can change
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 2)
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        dashboard.refresh_rows()  # settle whatever the last round left
        updates: list[str] = []

        def spy(name: str, original: Any) -> Any:
            def record(self: Any, *args: Any, **kwargs: Any) -> Any:
                updates.append(f"{name} {getattr(self, 'id', '')}")
                return original(self, *args, **kwargs)

            return record

        monkeypatch.setattr(Static, "update", spy("update", Static.update))
        monkeypatch.setattr(SpaceTable, "update_cell", spy("cell", SpaceTable.update_cell))
        for _ in range(3):
            dashboard.refresh_rows()  # what the 1 s interval calls
        assert updates == []
        assert isinstance(dashboard.query_one("#banner"), Banner)
        assert dashboard.query_one("#title", Static).content  # the title is still there


async def test_the_space_screen_at_rest_updates_nothing_and_animates_nothing(
    hub: Hub, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.running("alice/app")
    app = make_app(clock=AppClock())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(table(app).space_ids) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SpaceScreen))
        screen = app.screen
        assert isinstance(screen, SpaceScreen)
        await pilot.pause()
        screen.refresh_panel()
        await wait_for(
            pilot, lambda: "RUNNING" in screen_text(app) and "Sleep time" in screen_text(app)
        )
        updates: list[object] = []
        original = Static.update
        monkeypatch.setattr(
            Static,
            "update",
            lambda self, *a, **k: updates.append(self.id) or original(self, *a, **k),
        )
        for _ in range(3):
            screen.refresh_panel()  # what the 1 s interval calls
        assert updates == []
        # The deploy pane's (hidden) progress bars have a total: no 15 fps animation timer.
        bars = list(screen.query(Bar))
        assert len(bars) == 2 and all(bar.auto_refresh is None for bar in bars)
