"""Keys typed in one burst (paste, password managers, tmux send-keys) land where the user meant:
a secret's value never ends up in the name field, a prefilled path is extended, not replaced."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import SIZE, Hub, MakeApp, screen_text, wait_for
from tests.helpers.keys import burst
from tests.helpers.settings import open_entry_dialog, screen_is
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.widgets.space_table import SpaceTable


async def test_a_secret_typed_in_one_burst_lands_in_the_value_field(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "S")
        burst(app, [*"MY_KEY", "tab", *"supersecret123"])
        # The burst is handled once its last key has reached the value field.
        await wait_for(pilot, lambda: app.screen.query_one("#value").value == "supersecret123")
        assert app.screen.query_one("#key").value == "MY_KEY"
        assert "supersecret" not in screen_text(app)
        burst(app, ["enter"])
        await wait_for(pilot, lambda: "MY_KEY" in hub.emu.state.get_space("alice/app").secrets)
        assert hub.emu.state.get_space("alice/app").secrets["MY_KEY"]["value"] == "supersecret123"
        assert "supersecret" not in screen_text(app)


async def test_enter_after_the_name_moves_to_the_value_even_in_a_burst(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "S")
        burst(app, [*"TOKEN", "enter", *"hunter2", "enter"])
        await wait_for(pilot, lambda: "TOKEN" in hub.emu.state.get_space("alice/app").secrets)
        assert hub.emu.state.get_space("alice/app").secrets["TOKEN"]["value"] == "hunter2"


async def test_the_entry_dialog_refuses_an_empty_value_and_a_bad_name(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "S")
        await pilot.press(*"MY-KEY!")  # typed as is, and named at once
        assert app.screen.query_one("#key").value == "MY-KEY!"
        await wait_for(pilot, lambda: "Not allowed in a name: '-', '!'" in screen_text(app))
        await pilot.press("enter", "enter")
        assert screen_is(app, "EntryDialog")
        assert app.screen.focused is app.screen.query_one("#key")  # back to the name to fix it
        app.screen.query_one("#key").value = "MYKEY"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: "empty secret is not saved" in screen_text(app))
        assert screen_is(app, "EntryDialog")
        app.screen.query_one("#key").value = "9LIVES"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "does not start with a digit" in screen_text(app))
        assert screen_is(app, "EntryDialog")
        assert hub.emu.state.get_space("alice/app").secrets == {}


async def test_end_then_text_in_a_burst_extends_a_prefilled_path(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 1
        )
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        prefilled = app.screen.query_one("#answer").value
        assert prefilled  # the current folder, selected when the field got focus
        burst(app, ["end", *"/sub"])
        await wait_for(pilot, lambda: app.screen.query_one("#answer").value.endswith("/sub"))
        assert app.screen.query_one("#answer").value == prefilled + "/sub"


async def test_editing_keys_in_a_burst_apply_in_the_order_they_were_typed(
    hub: Hub, make_app: MakeApp
) -> None:
    # Textual issue #6605: an Input's bound keys (backspace, arrows) used to run after the
    # characters typed behind them.
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "v")
        burst(app, [*"ABX", "backspace", "C", "left", "left", "_", "home", "Z"])
        # "Z" is the last key: once it is in, the burst is handled.
        await wait_for(pilot, lambda: "Z" in app.screen.query_one("#key").value)
        assert app.screen.query_one("#key").value == "ZA_BC"


async def test_a_dialog_field_does_not_swallow_ctrl_q(hub: Hub, make_app: MakeApp) -> None:
    # Keys the typed-ahead path does not settle take Textual's own path: quit still quits.
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "v")
        burst(app, [*"AB", "ctrl+q"])
        await wait_for(pilot, lambda: app.return_code is not None or not app.is_running)


def test_the_app_uses_no_private_textual_binding_lookup() -> None:
    sources = Path(__file__).resolve().parents[2] / "tui" / "ui"
    for path in sources.rglob("*.py"):
        assert "_check_bindings" not in path.read_text(), path
