"""The deploy-time secret prompt (D in the Deploy pane, a secret not in the environment) at
80x24 and 200x60: its title names the Space and the secret whole (a long title was cut at the
box's edge: `... secret HUGGING_FA`), its sentence says the value is hidden, and its keys show,
as snapshots and as plain text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.helpers.app import FILES, SETTLE, Hub, MakeApp, screen_text, settled, wait_for
from tui.domain.config import Config, UiPreferences, WatchedSpace
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.ui.app import SpacesApp
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.screens.space import SpaceScreen

SIZES = pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
#: A long but real secret name and Space id: together the title is wider than the box.
SECRET = "HUGGING_FACE_HUB_WRITE_TOKEN"
SPACE = "alice/llm-finetune-studio-staging"
TITLE = f"Deploy {SPACE}: secret {SECRET}"


@pytest.fixture
def asks_a_secret(varied: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A running Space of the demo's list linked to a clean scaffolded folder (relative path, so no temporary folder
    shows), with one secret that the environment does not hold: the deploy asks for it."""
    varied.emu.state.create_space(SPACE, sdk="docker")
    varied.emu.state.commit(SPACE, FILES)
    varied.clock.advance(SETTLE)
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(SECRET, raising=False)
    return Config(
        path=tmp_path / "spacetui.yaml",
        spaces=(WatchedSpace(SPACE, folder=Path("space"), secrets=(SECRET,)),),
        ui=UiPreferences(side_log_from=0),  # the side log's lines arrive at their own pace
    )


def prompt_open(app: SpacesApp) -> Callable[[Pilot], Awaitable[None]]:
    """A run_before: the Space's Deploy pane, D, then the secret prompt (cursor steady)."""

    async def run_before(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: app.board.get(SPACE) is not None)
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("d")
        await wait_for(
            pilot, lambda: "Deploy (D)" in str(app.screen.query_one("#deploy-start").label)
        )
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await settled(pilot)
        answer = app.screen.query_one("#answer", Input)
        answer.cursor_blink = False  # a blinking cursor made the picture depend on timing
        await pilot.pause()

    return run_before


@SIZES
def test_deploy_secret_prompt_at(
    varied: Hub, make_app: MakeApp, snap_compare, size, asks_a_secret: Config
) -> None:  # noqa: ANN001
    """The masked prompt for a secret the environment does not hold."""
    app = make_app(demo=True, config=asks_a_secret)
    assert snap_compare(app, terminal_size=size, run_before=prompt_open(app))


@SIZES
async def test_the_secret_prompt_shows_its_whole_title_and_its_keys(
    varied: Hub, make_app: MakeApp, size: tuple[int, int], asks_a_secret: Config
) -> None:
    """The title's last words were cut at the box's edge (`secret HUGGING_FA`): it wraps now."""
    app = make_app(demo=True, config=asks_a_secret)
    async with app.run_test(size=size) as pilot:
        await prompt_open(app)(pilot)
        shown = " ".join(
            " ".join(row.strip(" █▊▎─") for row in screen_text(app).splitlines()).split()
        )
        assert TITLE in shown, shown
        assert f"{SECRET} is not set in the environment." in shown
        assert "(hidden, never shown or saved):" in shown
        assert "Enter OK · Esc cancel" in shown
        assert app.screen.query_one("#answer", Input).password
