"""Issue 13 bug 9: "Never" as the sleep time of a Space on free hardware is refused, with why."""

from __future__ import annotations

from tests.helpers.app import SIZE, Hub, MakeApp, notifications, screen_text, wait_for
from tui.ui.screens.dialogs import ChoiceDialog


async def test_never_sleeping_on_cpu_basic_is_refused_with_the_reason(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    assert hub.runtime("alice/app")["hardware"]["current"] == "cpu-basic"
    before = hub.runtime("alice/app").get("gcTimeout")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "RUNNING" in screen_text(app))
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        never = [value for _, value in dialog.options].index(-1)
        dialog.query_one("#choices").highlighted = never
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("needs paid hardware" in n for n in notifications(app)))
        toast = next(n for n in notifications(app) if "needs paid hardware" in n)
        assert "cpu-basic" in toast and "alice/app" in toast
        assert hub.runtime("alice/app").get("gcTimeout") == before  # nothing was sent
