"""The app as `spacetui web` starts it (SPACETUI_WEB=1): browser links, downloads, hidden
server-file actions, the own Space asked twice, its own token never stored in another Space."""

from __future__ import annotations

import webbrowser

import pytest

from tests.app.conftest import (  # noqa: F401 - fixtures used by name
    ALICE_TOKEN,
    SIZE,
    Hub,
    MakeApp,
    hub,
    make_app,
    notifications,
    wait_for,
)
from tui.ui.commands import SpaceCommands
from tui.ui.screens.dialogs import ConfirmDialog, TextPrompt
from tui.ui.widgets.space_table import SpaceTable


def _rows(app) -> list[str]:  # noqa: ANN001
    return app.screen.query_one("#spaces", SpaceTable).space_ids


@pytest.fixture(autouse=True)
def _web(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPACETUI_WEB", "1")

    def no_server_browser(*_args: object, **_kwargs: object) -> bool:
        raise AssertionError("webbrowser.open ran on the server")

    monkeypatch.setattr(webbrowser, "open", no_server_browser)


async def test_o_opens_the_users_browser_and_server_file_actions_are_hidden(
    hub: Hub,  # noqa: F811
    make_app: MakeApp,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hub.running("alice/app")
    app = make_app()
    opened: list[str] = []
    # The browser itself is not part of a Pilot test: record what the driver would be sent.
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _rows(app) == ["alice/app"])
        await pilot.press("o")
        await wait_for(pilot, lambda: opened)
        assert opened == [f"{app.target.endpoint}/spaces/alice/app"]
        for action in ("link_folder", "checks", "deploy"):
            assert app.screen.check_action("space", (action,)) is False, action
        assert app.screen.check_action("space", ("logs",)) is True
        app.actions.run("deploy", ("alice/app",))
        await wait_for(pilot, lambda: any("off in the browser" in n for n in notifications(app)))
        titles = [title for title, _, _ in SpaceCommands(app.screen)._commands()]
        assert titles and not [
            t for t in titles if t.startswith(("deploy:", "checks:", "space: link"))
        ]
        # The watch list is the server's spacetui.yaml, and the prompt says so.
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        assert "on the server" in app.screen.prompt


async def test_the_dashboards_own_space_is_confirmed_twice(
    hub: Hub,  # noqa: F811
    make_app: MakeApp,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPACE_ID", "alice/app")
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _rows(app) == ["alice/app"])
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "serves this dashboard" in app.screen.title_text
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ConfirmDialog)
                and "Restart alice/app?" in app.screen.title_text
            ),
        )
        assert hub.stage("alice/app") == "RUNNING"  # nothing sent yet
        await pilot.press("y")
        await wait_for(pilot, lambda: hub.stage("alice/app") == "APP_STARTING")


async def test_a_space_dashboard_never_stores_its_own_token_in_another_space(
    hub: Hub,  # noqa: F811
    make_app: MakeApp,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.ui.screens.settings import SettingsScreen

    monkeypatch.setenv("SPACE_ID", "alice/dash")
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: _rows(app) == ["alice/app"])
        screen = SettingsScreen("alice/app")
        await app.push_screen(screen)
        screen.change("secret", "HF_TOKEN", ALICE_TOKEN)
        await wait_for(pilot, lambda: any("never stored" in n for n in notifications(app)))
        screen.change("secret", "OTHER", "a-different-value")
        await wait_for(pilot, lambda: "OTHER" in hub.emu.state.get_space("alice/app").secrets)
        assert "HF_TOKEN" not in hub.emu.state.get_space("alice/app").secrets
