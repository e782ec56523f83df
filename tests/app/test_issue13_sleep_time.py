"""Issue 13 bugs 9 and 12: "Never" sleeping on free hardware is refused with why; a static
Space has no logs to open."""

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
        # Mounted, not only pushed: on_mount's highlight would overwrite the one set below.
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ChoiceDialog)
                and any(c.highlighted is not None for c in app.screen.query("#choices"))
            ),
        )
        dialog = app.screen
        never = [value for _, value in dialog.options].index(-1)
        dialog.query_one("#choices").highlighted = never
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("needs paid hardware" in n for n in notifications(app)))
        toast = next(n for n in notifications(app) if "needs paid hardware" in n)
        assert "cpu-basic" in toast and "alice/app" in toast
        assert hub.runtime("alice/app").get("gcTimeout") == before  # nothing was sent


async def test_a_static_space_has_no_logs_to_open(hub: Hub, make_app: MakeApp) -> None:
    """Issue 13 bug 12: `l` on a static Space opened a log screen offering "r: run log" for
    logs that do not exist; it now says there are none."""
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit(
        "alice/site", {"README.md": b"---\nsdk: static\n---\n", "index.html": b"<h1>hi</h1>"}
    )
    hub.clock.advance(3600)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "alice/site" in screen_text(app))
        for key in ("l", "b"):
            await pilot.press(key)
            assert type(app.screen).__name__ == "DashboardScreen", key
        said = [n for n in notifications(app) if "no build or run log" in n]
        assert len(said) == 2 and said[0].startswith("alice/site: static Space")
