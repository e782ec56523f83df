"""The Deploy pane while the deploy asks for a value (a secret or variable not in the environment),
against the emulator over loopback: the pane says what the deploy waits for, not "Checking",
until the values are in; Enter on an empty value keeps the prompt open and says a value is
needed; a typed value goes on to the deploy; Esc cancels it before anything is checked or sent.
No value is ever drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static

from tests.conftest import ALICE_TOKEN
from tests.helpers.app import Hub, notifications, wait_for
from tests.helpers.deploy_pane import (
    SECRET_VALUE,
    SPACE,
    Screens,
    flat,
    make_app,
    open_deploy,
    pane,
    scaffold,
    wait_result,
)
from tui.emulator.faults import MAX_LATENCY
from tui.emulator.server import RunningEmulator
from tui.ui.app import SpacesApp
from tui.ui.controllers.deploy import DeployController
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.widgets.deploy_pane import DeployPane

SECRET = "DB_PASSWORD"
VARIABLE = "MODE"
CHECKING = "Checking the folder and comparing it with the Space …"
NEEDED = "A value is needed: type it, or press Esc to cancel the deploy."


@pytest.fixture(autouse=True)
def _asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither value is in the environment (the deploy asks for both); fast runtime polls."""
    monkeypatch.delenv(SECRET, raising=False)
    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.setattr(DeployController, "poll_interval", 0.05)


def space_pane(app: SpacesApp) -> DeployPane:
    """The Deploy pane, with or without the prompt over its Space screen."""
    screen = app.screen_stack[-2] if isinstance(app.screen, TextPrompt) else app.screen
    return screen.query_one(DeployPane)


def stage(app: SpacesApp) -> str:
    """The Deploy pane's stage line, as it reads now."""
    return str(space_pane(app).query_one("#deploy-stage", Static).content)


def prompt_problem(app: SpacesApp) -> str:
    return str(app.screen.query_one("#problem", Static).content)


async def press_deploy(app: SpacesApp, pilot) -> None:  # noqa: ANN001
    """The Deploy pane of the missing Space ("Create if missing" ticked), D, the first prompt."""
    deploy = await open_deploy(app, pilot)
    await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
    await pilot.press("D")
    await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))


async def type_answer(app: SpacesApp, pilot, value: str) -> None:  # noqa: ANN001
    app.screen.query_one("#answer", Input).value = value
    await pilot.press("enter")


async def test_the_pane_says_which_value_the_deploy_waits_for_then_that_it_checks(
    hub: Hub, tmp_path: Path
) -> None:
    extra = f"    secrets: [{SECRET}]\n    variables: [{VARIABLE}]\n"
    app = make_app(hub.emu, tmp_path, scaffold(tmp_path), extra)
    async with app.run_test(size=(120, 48)) as pilot:
        screens = Screens(app)
        await press_deploy(app, pilot)
        # Behind the secret's prompt: what the deploy waits for, not "Checking" (nothing is).
        await wait_for(pilot, lambda: f"Waiting for the value of secret {SECRET} …" in stage(app))
        assert f"Waiting for the value of secret {SECRET} …" in " ".join(screens().split())
        assert "Checking" not in flat(app)
        assert space_pane(app).running  # D stays off: the deploy is under way, waiting on the user
        await type_answer(app, pilot, SECRET_VALUE)
        await wait_for(pilot, lambda: f"variable {VARIABLE}" in app.screen.title_text)
        await wait_for(pilot, lambda: f"value of variable {VARIABLE} …" in stage(app))
        assert "Checking" not in flat(app)
        # The engine's first Hub request (the plan gate's whoami, before the checks) is held:
        # while it is, the deploy is checking, and the pane says so.
        await wait_for(pilot, lambda: app.account is not None)  # the app's own whoami is done
        hub.emu.faults.set(route="whoami", latency=MAX_LATENCY, count=1)
        await type_answer(app, pilot, "prod")
        await wait_for(pilot, lambda: hub.emu.faults.caught == 1)
        await wait_for(pilot, lambda: not isinstance(app.screen, TextPrompt))
        await wait_for(pilot, lambda: stage(app) == CHECKING)
        assert CHECKING in flat(app) and "Waiting for the value" not in flat(app)
        hub.emu.faults.release()
        await wait_for(pilot, lambda: "Review the changes" in screens())
        await pilot.press("n")
        await wait_result(pilot, app)
        assert pane(app).result.outcome == "cancelled"
        screens()
        assert screens.never_showed(SECRET_VALUE, ALICE_TOKEN)
    assert hub.emu.state.get_space(SPACE) is None  # declined at the review: nothing created


async def test_enter_on_an_empty_secret_keeps_the_prompt_then_a_typed_value_is_deployed(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    app = make_app(emulator, tmp_path, scaffold(tmp_path), f"    secrets: [{SECRET}]\n")
    async with app.run_test(size=(120, 48)) as pilot:
        screens = Screens(app)
        await press_deploy(app, pilot)
        prompt = app.screen
        for empty in ("", "   "):  # nothing, or only blanks (the answer is stripped)
            await type_answer(app, pilot, empty)
            await wait_for(pilot, lambda: NEEDED in prompt_problem(app))
            assert app.screen is prompt  # still asking: Enter did not end the deploy
        assert NEEDED in " ".join(screens().split())
        assert space_pane(app).running and space_pane(app).result is None
        assert f"Waiting for the value of secret {SECRET} …" in stage(app)
        assert not any("not started" in n for n in notifications(app))
        await pilot.press("x")  # typing again: the refusal is over, the line goes
        await wait_for(pilot, lambda: NEEDED not in prompt_problem(app))
        await type_answer(app, pilot, SECRET_VALUE)
        await wait_for(pilot, lambda: "Review the changes" in screens())
        await pilot.press("y")
        await wait_result(pilot, app)
        screens()
        assert pane(app).result.ok, pane(app).result.message
        assert screens.never_showed(SECRET_VALUE, ALICE_TOKEN)
    space = emulator.state.get_space(SPACE)
    assert space is not None and space.secrets[SECRET]["value"] == SECRET_VALUE


async def test_esc_on_the_secret_prompt_cancels_the_deploy_before_anything_is_checked(
    hub: Hub, tmp_path: Path
) -> None:
    app = make_app(hub.emu, tmp_path, scaffold(tmp_path), f"    secrets: [{SECRET}]\n")
    async with app.run_test(size=(120, 48)) as pilot:
        await press_deploy(app, pilot)
        await type_answer(app, pilot, "")  # refused first: Esc still cancels after that
        await wait_for(pilot, lambda: NEEDED in prompt_problem(app))
        await pilot.press("escape")
        await wait_result(pilot, app)
        result = pane(app).result
        assert result.outcome == "cancelled"
        assert result.message == "Deploy not started: a value was not given."
        assert not isinstance(app.screen, TextPrompt)
        assert stage(app).startswith("Finished: cancelled")
        assert "Checking" not in flat(app)
        assert not pane(app).running
    assert hub.emu.state.get_space(SPACE) is None
