"""Issue 13 bugs 5 and 6 in the secrets and variables editor: a name's refused characters are
named (never dropped in silence); a token-shaped value is refused as a public variable before
anything is sent, with the fix."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers.app import SIZE, Hub, MakeApp, screen_text, wait_for
from tests.helpers.settings import open_entry_dialog

#: The shape of a real Hugging Face token (made up, random enough not to read as a placeholder).
TOKEN_SHAPED = "hf_" + "ZqWnTrKvLpXsMdJbHcFyGuEoIaRtPwQmVk"


def flat(text: str) -> str:
    return " ".join(text.split())


def problem(app) -> str:  # noqa: ANN001
    """The dialog's problem line (the screen wraps it inside the dialog's box)."""
    return str(app.screen.query_one("#problem", Static).render())


async def test_a_name_keeps_what_was_typed_and_names_the_refused_characters(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "S")
        await pilot.press(*"my-key")
        assert app.screen.query_one("#key").value == "my-key"  # not "mykey"
        await wait_for(pilot, lambda: "Not allowed in a name: '-'" in flat(screen_text(app)))
        await pilot.press("backspace", "backspace", "backspace", "backspace", "_", *"key")
        await wait_for(pilot, lambda: "Not allowed" not in screen_text(app))


async def test_a_token_shaped_variable_is_refused_before_it_is_sent(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "v")
        app.screen.query_one("#key").value = "MODEL_REF"
        app.screen.query_one("#value").value = TOKEN_SHAPED
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: "variables are public" in problem(app))
        text = problem(app)
        assert "looks like a token" in text and "Add it as a secret instead" in text
        assert type(app.screen).__name__ == "EntryDialog"  # still open: nothing lost
        assert hub.emu.state.get_space("alice/app").variables == {}


async def test_the_updated_column_says_how_long_ago(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    hub.emu.state.get_space("alice/app")  # exists
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_entry_dialog(app, pilot, "v")
        app.screen.query_one("#key").value = "MODEL"
        app.screen.query_one("#value").value = "gpt2"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: "gpt2" in screen_text(app))
        hub.clock.advance(3 * 3600 + 60)  # the app's clock is the emulator's (make_app)
        app.screen.load()
        await wait_for(pilot, lambda: "3h ago" in screen_text(app))
        row = next(line for line in screen_text(app).splitlines() if "MODEL" in line)
        assert "T" not in row.split("gpt2")[1]  # no ISO timestamp left
