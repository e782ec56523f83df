"""The token is not rendered anywhere: every screen and dialog of the app is visited and its
rendered text (and the SVG screenshot) scanned, with the token planted in remote data too."""

from __future__ import annotations

from huggingface_hub import HfApi

from tests.helpers.app import SIZE, Hub, MakeApp, notifications, screen_text, settled, wait_for
from tests.helpers.hub import ALICE_TOKEN


async def test_the_token_is_never_rendered(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    # Remote text that carries the token must come back redacted.
    HfApi(endpoint=hub.emu.url, token=ALICE_TOKEN).add_space_variable(
        "alice/app", "LEAK", ALICE_TOKEN
    )
    app = make_app(demo=True, missing_token_for="https://huggingface.co")
    seen: list[str] = []

    def scan(name: str, svg: bool = False) -> None:
        # The composited strips are what the terminal gets; the SVG export is checked where the
        # Hub's data is on screen (it is slow to build).
        text = screen_text(app) + (app.export_screenshot() if svg else "")
        assert ALICE_TOKEN not in text, name
        assert "hf_alice" not in text, name
        seen.append(name)

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WelcomeScreen")
        scan("welcome")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "alice/app" in screen_text(app))
        scan("dashboard", svg=True)
        visits = [
            (("question_mark",), "HelpScreen", ("escape",)),
            (("ctrl+r",), "ConfirmDialog", ("n",)),
            (("h",), "ChoiceDialog", ("escape",)),
            (("z",), "ChoiceDialog", ("escape",)),
            (("a",), "TextPrompt", ("escape",)),
            (("F",), "TextPrompt", ("escape",)),
            (("n",), "CreateSpaceDialog", ("escape",)),
            (("colon",), "CommandPalette", ("escape",)),
            (("l",), "LogsScreen", ("escape",)),
        ]
        for keys, screen_name, back in visits:
            await pilot.press(*keys)
            await wait_for(pilot, lambda name=screen_name: type(app.screen).__name__ == name)
            await settled(pilot)  # mounted, and what it fetches has arrived
            scan(screen_name)
            await pilot.press(*back)
            await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        await pilot.press("S")
        await wait_for(pilot, lambda: "LEAK" in screen_text(app))
        assert "***" in screen_text(app)
        scan("settings", svg=True)
        await pilot.press("S")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EntryDialog")
        scan("secret entry")
        await pilot.press("escape", "escape")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SpaceScreen")
        await wait_for(pilot, lambda: "RUNNING" in screen_text(app))
        scan("space", svg=True)
        for pane, shown in (("c", "checks"), ("d", "deploy")):
            await pilot.press(pane)
            await wait_for(pilot, lambda s=shown: app.screen.query_one("#panes").current == s)
            await settled(pilot)  # its checks ran
            scan(f"space pane {pane}")
    assert all(ALICE_TOKEN not in message for message in notifications(app))
    assert len(seen) == 16
