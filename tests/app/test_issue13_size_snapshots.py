"""Issue 13, every screen usable at 80x24 and at 200x60: the list, the Space screen (its Deploy
pane: the runtime panel shows the emulator's random port) and the help, as snapshots."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.helpers.app import Hub, MakeApp, loaded, settled, wait_for
from tui.domain.config import Config, UiPreferences
from tui.ui.keymap import GROUPS
from tui.ui.screens import help as help_screen

SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])


@SIZES
def test_dashboard_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001, F811
    """The list: every column, the notice, and a footer with Help. The side log of a wide
    terminal is turned off here: its lines arrive at their own pace (test_issue13_side_log)."""
    app = make_app(demo=True, config=Config(ui=UiPreferences(side_log_from=0)))
    assert snap_compare(app, terminal_size=size, run_before=loaded(app))


@SIZES
def test_space_screen_deploy_pane_at(varied: Hub, make_app: MakeApp, snap_compare, size) -> None:  # noqa: ANN001, F811
    """The Space screen's Deploy pane: its toggles and its Deploy button, Back and Help."""
    app = make_app(demo=True)
    inner = loaded(app, "enter", until=lambda: type(app.screen).__name__ == "SpaceScreen")

    async def run_before(pilot: Pilot) -> None:
        await inner(pilot)
        await pilot.press("d")
        await wait_for(
            pilot, lambda: "Deploy (D)" in str(app.screen.query_one("#deploy-start").label)
        )
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_help_at(
    varied: Hub,
    make_app: MakeApp,
    snap_compare,
    size,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001, F811
) -> None:
    """The help box fits the screen (it scrolls at 80x24)."""
    monkeypatch.setattr(help_screen, "all_groups", lambda: GROUPS)
    app = make_app(demo=True, config=Config(ui=UiPreferences(side_log_from=0)))  # see above
    run_before = loaded(
        app, "question_mark", until=lambda: type(app.screen).__name__ == "HelpScreen"
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)
