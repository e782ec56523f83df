"""Actions from the keyboard against the emulator: destructive ones ask first (no → no request,
yes → the stage changes), settings, secrets and variables, create, URL, watch list edits."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from tests.helpers.app import (
    SETTLE,
    SIZE,
    Hub,
    MakeApp,
    notifications,
    screen_text,
    table_stage,
    wait_for,
)
from tui._compat.textual import notifications_of
from tui.domain.config import load_config
from tui.domain.monitor import SpaceMonitor
from tui.ui.app import SpacesApp
from tui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextPrompt
from tui.ui.widgets.space_table import SpaceTable


def rows(app) -> list[str]:  # noqa: ANN001
    return app.screen.query_one("#spaces", SpaceTable).space_ids


def screen_is(app, name: str) -> bool:  # noqa: ANN001
    return type(app.screen).__name__ == name


async def started(app, pilot, count: int = 1) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: len(rows(app)) == count)


@pytest.mark.parametrize(
    ("key", "expected_stage"),
    [("ctrl+r", "APP_STARTING"), ("R", "BUILDING"), ("p", "PAUSED")],
    ids=["restart", "factory-rebuild", "pause"],
)
async def test_destructive_actions_need_confirmation(
    hub: Hub, make_app: MakeApp, key: str, expected_stage: str
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_is(app, "DashboardScreen"))
        # The request's worker would be registered by the dismissal itself: none was.
        assert not [w for w in app.workers if w.group == "action:alice/app"]
        assert hub.stage("alice/app") == "RUNNING"  # no confirmation, no request
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")  # Enter lands on Cancel, the focused default
        await wait_for(pilot, lambda: screen_is(app, "DashboardScreen"))
        assert not [w for w in app.workers if w.group == "action:alice/app"]
        assert hub.stage("alice/app") == "RUNNING"
        await pilot.press(key, "y")
        await wait_for(pilot, lambda: hub.stage("alice/app") == expected_stage)
        await wait_for(pilot, lambda: expected_stage in table_stage(app, "alice/app"))


async def test_resume_needs_no_confirmation(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("p", "y")
        await wait_for(pilot, lambda: "PAUSED" in table_stage(app, "alice/app"))
        await pilot.press("p")
        await wait_for(pilot, lambda: hub.stage("alice/app") != "PAUSED")
        assert any("Resuming alice/app" in n for n in notifications(app))


def choices_ready(app: SpacesApp) -> bool:
    """The choice dialog is up and its on_mount has highlighted the current value.

    `app.screen` is the dialog as soon as it is pushed, before it is mounted: a highlight the
    test set then was overwritten by on_mount, and Enter chose the current value (nothing
    happened), which a loaded machine made likely enough to fail a run.
    """
    screen = app.screen
    if not isinstance(screen, ChoiceDialog):
        return False
    found = screen.query("#choices")
    return bool(found) and found.first().highlighted is not None


async def test_hardware_and_sleep_time(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: choices_ready(app))
        dialog = app.screen
        target = [value for _, value in dialog.options].index("t4-small")
        dialog.query_one("#choices").highlighted = target
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "t4-small" in screen_text(app)
        await pilot.press("y")
        await wait_for(
            pilot, lambda: hub.runtime("alice/app")["hardware"]["requested"] == "t4-small"
        )
        await pilot.press("z")
        await wait_for(pilot, lambda: choices_ready(app))
        app.screen.query_one("#choices").highlighted = 1  # 1 hour
        await pilot.press("enter")
        await wait_for(pilot, lambda: hub.runtime("alice/app")["gcTimeout"] == 3600)
        await pilot.press("enter")  # the Space screen shows it as people say it
        await wait_for(pilot, lambda: "1 h" in screen_text(app))
        assert "3600" not in screen_text(app)


async def test_a_failed_action_is_a_notification_with_the_typed_message(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        hub.emu.faults.set(status=503, route="/restart")
        await pilot.press("ctrl+r", "y")
        await wait_for(pilot, lambda: any("unavailable" in n.lower() for n in notifications(app)))
        failure = next(n for n in notifications_of(app) if "unavailable" in n.message.lower())
        assert failure.severity == "error"
        assert "Traceback" not in failure.message and "hf_" not in failure.message
        assert hub.stage("alice/app") == "RUNNING"


async def test_secrets_are_masked_and_never_shown_variables_are(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/app")
    secret_value = "s3cr3t!x"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: screen_is(app, "SettingsScreen"))
        await wait_for(pilot, lambda: "no secrets or variables yet" in screen_text(app))
        await pilot.press("S")
        await wait_for(pilot, lambda: screen_is(app, "EntryDialog"))
        app.screen.query_one("#key").value = "API_KEY"
        await pilot.press("enter", *secret_value)
        assert secret_value not in screen_text(app)  # masked while typed
        assert "•" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "API_KEY" in hub.emu.state.get_space("alice/app").secrets)
        await wait_for(pilot, lambda: "API_KEY" in screen_text(app))
        assert secret_value not in screen_text(app)
        assert "write-only" in screen_text(app)
        await pilot.press("v")
        await wait_for(pilot, lambda: screen_is(app, "EntryDialog"))
        app.screen.query_one("#key").value = "MODEL"
        app.screen.query_one("#value").value = "gpt2"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: "gpt2" in screen_text(app))
        # Delete the secret (first row) after confirming.
        table = app.screen.query_one("#settings-table")
        table.move_cursor(row=0)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: "API_KEY" not in hub.emu.state.get_space("alice/app").secrets)


async def test_create_a_space(hub: Hub, make_app: MakeApp, tmp_path: Path) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await wait_for(pilot, lambda: app.account is not None)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_is(app, "CreateSpaceDialog"))
        await pilot.press(*"fresh", "enter")
        await wait_for(pilot, lambda: hub.emu.state.get_space("alice/fresh") is not None)
        assert hub.emu.state.get_space("alice/fresh").private is True
        await wait_for(pilot, lambda: "alice/fresh" in rows(app))
        assert any("Created alice/fresh" in n for n in notifications(app))


async def test_create_refuses_a_bad_id(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_is(app, "CreateSpaceDialog"))
        app.screen.query_one("#space-id").value = "bad id"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "namespace/name" in screen_text(app))
        assert screen_is(app, "CreateSpaceDialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_is(app, "DashboardScreen"))


async def test_create_in_an_org_watches_the_new_space(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.emu.state.add_user("carol", "hf_carol_test_token", orgs=["team"])
    app = make_app(token="hf_carol_test_token")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.account is not None and app.first_round_done)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen_is(app, "CreateSpaceDialog"))
        app.screen.query_one("#space-id").value = "team/new-app"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "team/new-app" in rows(app))
        assert (tmp_path / "spacetui.yaml").read_text() == "spaces:\n  - team/new-app\n"
        # The app's config follows the file: the new Space counts as watched (unwatch works).
        await wait_for(pilot, lambda: "team/new-app" in app.config.space_ids)


async def test_copy_url_and_open_in_browser(
    hub: Hub, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.running("alice/app")
    opened: list[str] = []
    # A real browser cannot run here; what matters is the URL handed to it.
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.clipboard == f"{hub.emu.url}/spaces/alice/app")
        await pilot.press("o")
        await wait_for(pilot, lambda: opened == [f"{hub.emu.url}/spaces/alice/app"])


async def test_watch_unwatch_and_link_folder_edit_the_config(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    hub.running("alice/app", "bob/public")
    path = tmp_path / "spacetui.yaml"
    path.write_text("# mine\nui:\n  bell: false  # quiet\n")
    app = make_app(config=load_config(path))
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"nope", "enter")
        await wait_for(pilot, lambda: "namespace/name" in screen_text(app))
        app.screen.query_one("#answer").value = "bob/public"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "bob/public" in rows(app))
        assert path.read_text() == "# mine\nui:\n  bell: false  # quiet\nspaces:\n  - bob/public\n"
        # Link a folder to it.
        app.screen.query_one("#spaces").move_cursor(row=rows(app).index("bob/public"))
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one("#answer").value = str(tmp_path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: f'folder: "{tmp_path}"' in path.read_text())
        assert app.config.space("bob/public").folder == tmp_path
        # A Space watched through its author cannot be unwatched one by one.
        app.screen.query_one("#spaces").move_cursor(row=rows(app).index("alice/app"))
        await pilot.press("x")
        await wait_for(
            pilot, lambda: any("all Spaces of alice are watched" in n for n in notifications(app))
        )
        app.screen.query_one("#spaces").move_cursor(row=rows(app).index("bob/public"))
        await pilot.press("x")
        await wait_for(pilot, lambda: "bob/public" not in rows(app))
        assert path.read_text() == "# mine\nui:\n  bell: false  # quiet\nspaces:\n"


async def test_palette_commands_post_the_same_actions(hub: Hub, make_app: MakeApp) -> None:
    hub.running("alice/app")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("colon", *"restart")
        await wait_for(pilot, lambda: "space: restart alice/app" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: hub.stage("alice/app") == "APP_STARTING")


async def test_remote_text_is_shown_literally_never_as_markup_or_escapes(
    hub: Hub, make_app: MakeApp
) -> None:
    from huggingface_hub import HfApi

    hub.running("alice/app")
    HfApi(endpoint=hub.emu.url, token="hf_alice_test_token").add_space_variable(
        "alice/app", "GREETING", "[bold red]hi[/] \x1b[31mred\x1b]0;title\x07"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: "GREETING" in screen_text(app))
        text = screen_text(app)
        assert "[bold red]hi[/] red" in text
        assert "\x1b" not in text and "title" not in text


async def test_a_watched_space_the_hub_does_not_know_can_be_unwatched_from_the_palette(
    hub: Hub, make_app: MakeApp, tmp_path: Path
) -> None:
    from tui.domain.config_edit import watch_space

    hub.running("alice/app")
    path = tmp_path / "spacetui.yaml"
    config = watch_space(path, "bob/typo")
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Watched but not shown" in screen_text(app))
        assert "bob/typo" not in rows(app)  # no row to press `x` on
        await pilot.press("colon", *"unwatch bob/typo")
        await wait_for(pilot, lambda: "space: unwatch bob/typo" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "bob/typo" not in path.read_text())
        assert "bob/typo" not in app.config.space_ids
        await wait_for(pilot, lambda: "Watched but not shown" not in screen_text(app))


async def test_the_demo_palette_does_not_claim_to_save_in_the_users_config(
    hub: Hub, make_app: MakeApp
) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"space: watch")
        await wait_for(pilot, lambda: "Watch a Space by id" in screen_text(app))
        assert "for this demo only" in screen_text(app)
        assert "spacetui.yaml" not in screen_text(app)


# -- QA pass: static Spaces, a hardware request shown at once -------------


SPACE = "alice/app"


def slow_monitor(hub_client, space_ids, authors) -> SpaceMonitor:  # noqa: ANN001
    """Rounds a minute apart: a row can only change soon through the action's own answer."""
    return SpaceMonitor(
        hub_client, space_ids=space_ids, authors=authors, fast_interval=60, slow_interval=60
    )


def table(app: SpacesApp) -> SpaceTable:
    return app.screen.query_one("#spaces", SpaceTable)


async def test_a_static_space_refuses_pause_restart_and_rebuild_saying_why(
    hub: Hub, make_app: MakeApp
) -> None:
    # QA: p paused a static Space, and then nothing could resume it (HTTP 400 on restart).
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit(
        "alice/site", {"README.md": b"---\nsdk: static\n---\n", "index.html": b"<h1>hi</h1>"}
    )
    hub.clock.advance(SETTLE)
    before = hub.stage("alice/site")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 1)
        for key in ("p", "ctrl+r", "R"):
            await pilot.press(key)  # returns once the key is handled: a dialog would be up
            assert not isinstance(app.screen, ConfirmDialog), key
        said = [n for n in notifications(app) if "static Space" in n]
        assert len(said) == 3 and "nothing to pause, restart or rebuild" in said[0]
        assert hub.stage("alice/site") == before


async def test_a_hardware_request_shows_current_to_requested_at_once(
    hub: Hub, make_app: MakeApp
) -> None:
    # QA: the Hardware column kept `cpu-basic` until the next slow round: the cell was updated
    # but its column kept the old width, so `cpu-basic → t4-small` was cut back to `cpu-basic`.
    hub.running(SPACE)
    app = make_app(monitor_factory=slow_monitor)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 1)
        await pilot.press("h")
        await wait_for(pilot, lambda: choices_ready(app))
        dialog = app.screen
        dialog.query_one("#choices").highlighted = [v for _, v in dialog.options].index("t4-small")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        # At once: the monitor's next round is a minute away (slow_monitor), so only the answer
        # to the request can change the row. (A 3 s limit here failed once on a loaded machine.)
        await wait_for(pilot, lambda: "cpu-basic → t4-small" in screen_text(app))


def test_every_action_name_has_exactly_one_handler() -> None:
    from tui.ui.actions import ACTIONS, SpaceActions

    actions = SpaceActions(app=None)  # type: ignore[arg-type]  # the table needs no app
    assert sorted(actions.handlers) == sorted(ACTIONS)
