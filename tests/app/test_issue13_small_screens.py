"""Issue 13, every screen usable at 80x24: the welcome box fits 80 columns, the create and
choice dialogs show their keys in 24 rows, and the checks' file view shows the start of the
finding's line and names Help (it had only Back, and ? did nothing there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.helpers.app import Hub, MakeApp, screen_text, settled, wait_for
from tui.domain.config import Config, UiPreferences, WatchedSpace
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.space_table import SpaceTable

SMALL = (80, 24)
NO_SIDE_LOG = Config(ui=UiPreferences(side_log_from=0))


def rows(app) -> list[str]:  # noqa: ANN001
    return screen_text(app).splitlines()


async def test_the_welcome_box_fits_80_columns(varied: Hub, make_app: MakeApp) -> None:
    app = make_app(demo=True, missing_token_for="https://huggingface.co", config=NO_SIDE_LOG)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WelcomeScreen")
        await settled(pilot)
        box = app.screen.query_one("#welcome-box").region
        assert box.x >= 0 and box.right <= SMALL[0]  # 84 wide before: its right edge was cut
        assert any("Enter: continue with the demo    q: quit" in row for row in rows(app))


@pytest.mark.parametrize(
    ("key", "dialog", "hints"),
    [
        ("n", "CreateSpaceDialog", "Tab next field  ·  Enter create (in the id field)"),
        ("h", "ChoiceDialog", "↑/↓ move  ·  Enter choose  ·  Esc cancel"),
    ],
    ids=["create", "choice"],
)
async def test_a_dialog_shows_its_keys_and_buttons_in_24_rows(
    varied: Hub, make_app: MakeApp, key: str, dialog: str, hints: str
) -> None:
    app = make_app(demo=True, config=NO_SIDE_LOG)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids))
        await pilot.press(key)
        await wait_for(pilot, lambda: type(app.screen).__name__ == dialog)
        await settled(pilot)
        shown = rows(app)
        # Before: the box's blank lines pushed its keys (and the create dialog's buttons'
        # lower edge) below the 90 % it may take.
        assert any(hints in row for row in shown), "\n".join(shown)
        if dialog == "CreateSpaceDialog":
            assert any("Create" in row and "Cancel" in row for row in shown)


@pytest.fixture
def linked(tmp_path: Path) -> Config:
    """alice/api linked to a folder with uv without --system (DOCKER012, on a long line)."""
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    dockerfile = folder / "Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text().replace("RUN pip install", "RUN pip install uv && uv pip install")
    )
    return Config(
        path=tmp_path / "spacetui.yaml",
        spaces=(WatchedSpace("alice/api", folder=folder),),
        ui=UiPreferences(side_log_from=0),
    )


async def test_the_file_view_shows_the_start_of_a_long_line_and_names_help(
    varied: Hub, make_app: MakeApp, linked: Config
) -> None:
    app = make_app(demo=True, config=linked)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: app.board.get("alice/api") is not None)
        await app.push_screen(SpaceScreen("alice/api"))
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query_one("#checks").report is not None)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FileView")
        area = app.screen.query_one(TextArea)
        await wait_for(pilot, lambda: "uv pip install" in area.selected_text)
        await settled(pilot)
        # Selected forwards, the cursor ended the line and the view scrolled right: the line's
        # start ("RUN pip install uv") and the first columns of every line were cut.
        assert area.scroll_offset.x == 0
        assert any("14  RUN pip install uv && uv pip install" in row for row in rows(app))
        assert area.selected_text.startswith("RUN pip install uv && uv pip install")
        footer = rows(app)[-1]
        assert "Back" in footer and "Help" in footer, footer
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")


async def test_the_settings_footer_says_back_like_every_other_screen(
    varied: Hub, make_app: MakeApp
) -> None:
    app = make_app(demo=True, config=NO_SIDE_LOG)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids))
        await pilot.press("S")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        await settled(pilot)
        footer = rows(app)[-1]
        # Esc is Back everywhere (issue 13); here it was labelled Close.
        assert "esc Back" in footer and "? Help" in footer, footer


async def test_the_history_table_shows_each_outcome_whole_at_80_columns(
    varied: Hub, make_app: MakeApp
) -> None:
    """The outcome came last and was cut ("current (RUNNING"); now it follows the revision and
    the title (repeated in full below the table) is what a narrow terminal cuts."""
    app = make_app(demo=True, config=NO_SIDE_LOG)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: app.board.get("alice/api") is not None)
        await app.push_screen(SpaceScreen("alice/api"))
        await pilot.press("H")
        await wait_for(pilot, lambda: app.screen.query_one("#history-table").row_count > 0)
        await settled(pilot)
        current = next(row for row in rows(app) if " ● " in row)
        assert "current (RUNNING)" in current, "\n".join(rows(app))
