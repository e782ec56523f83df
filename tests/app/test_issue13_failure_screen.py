"""Issue 13: a failed Space's screen explains the failure (cause, proving lines, check ids) for
any failed Space, not only after a deploy from the app."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers.app import BROKEN_FILES, SETTLE, SIZE, Hub, MakeApp, settled, wait_for
from tui.ui.screens.space import SpaceScreen


def failure(app) -> str:  # noqa: ANN001
    widget = app.screen.query_one("#failure", Static)
    return " ".join(str(widget.render()).split()) if widget.display else ""


async def test_a_space_that_failed_elsewhere_is_explained_on_its_screen(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.emu.state.create_space("alice/broken", sdk="docker")
    hub.emu.state.commit("alice/broken", BROKEN_FILES)  # committed outside the app
    hub.clock.advance(SETTLE)
    assert hub.stage("alice/broken") == "BUILD_ERROR"
    hub.running("alice/fine")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.board.get("alice/broken") is not None)
        await app.push_screen(SpaceScreen("alice/broken"))
        await wait_for(pilot, lambda: "From the log:" in failure(app), timeout=20)
        text = failure(app)
        assert text.startswith("Why it failed")
        assert "No virtual environment found" in text  # the proving line
        assert "Checks that predict it: DOCKER012" in text
        await app.pop_screen()
        await app.push_screen(SpaceScreen("alice/fine"))
        # No time passes to prove a negative: its on_mount read the Space's stage (an error
        # stage shows the explanation's first words at once) and no explanation runs.
        await settled(pilot)
        assert failure(app) == ""  # nothing to explain on a running Space
        assert not [w for w in app.workers if w.group == "failure:alice/fine"]
