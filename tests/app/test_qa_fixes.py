"""A QA pass's defects, each pinned: static Spaces refuse server actions, a hardware request
shows at once, Home/End move in the list, panes follow a newly linked folder, the create dialog
names what is wrong with an id, help lists every key, the merged status bar fits its width."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from tests.app.conftest import (
    SETTLE,
    SIZE,
    Hub,
    MakeApp,
    fast_monitor,
    notifications,
    screen_text,
    wait_for,
)
from tests.app.test_deploy_pane import (
    flat,
    open_deploy,
    scaffold,
    scaffold_with_uv_mistake,
    wait_result,
)
from tests.app.test_deploy_pane import make_app as deploy_app
from tests.app.test_log_view import bar_rows
from tests.conftest import ALICE_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.config import load_config
from tui.domain.logstream import StreamState
from tui.domain.monitor import SpaceMonitor
from tui.emulator.server import RunningEmulator
from tui.ui.app import SpacesApp
from tui.ui.keymap import keys_for
from tui.ui.messages import ConfigChanged
from tui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextPrompt
from tui.ui.screens.space import SpaceScreen
from tui.ui.space_id_hint import space_id_problem
from tui.ui.widgets.checks_pane import ChecksPane
from tui.ui.widgets.log_status import LogStatus
from tui.ui.widgets.log_view import ViewState
from tui.ui.widgets.space_table import SpaceTable

SPACE = "alice/app"


def slow_monitor(hub_client, space_ids, authors) -> SpaceMonitor:  # noqa: ANN001
    """Rounds a minute apart: a row can only change soon through the action's own answer."""
    return SpaceMonitor(
        hub_client, space_ids=space_ids, authors=authors, fast_interval=60, slow_interval=60
    )


def table(app: SpacesApp) -> SpaceTable:
    return app.screen.query_one("#spaces", SpaceTable)


# -- 1. static Spaces ---------------------------------------------------------------------------


async def test_a_static_space_refuses_pause_restart_and_rebuild_saying_why(
    hub: Hub, make_app: MakeApp
) -> None:
    # QA: p paused a static Space, and then nothing could resume it (HTTP 400 on restart).
    hub.emu.state.create_space("alice/site", sdk="static")
    hub.emu.state.commit("alice/site", {"README.md": b"---\nsdk: static\n---\n",
                                         "index.html": b"<h1>hi</h1>"})  # fmt: skip
    hub.clock.advance(SETTLE)
    before = hub.stage("alice/site")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 1)
        for key in ("p", "r", "R"):
            await pilot.press(key)
            await pilot.pause(0.1)
            assert not isinstance(app.screen, ConfirmDialog), key
        said = [n for n in notifications(app) if "static Space" in n]
        assert len(said) == 3 and "nothing to pause, restart or rebuild" in said[0]
        assert hub.stage("alice/site") == before


# -- 2. hardware request shown at once ------------------------------------------------------------


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
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        dialog.query_one("#choices").highlighted = [v for _, v in dialog.options].index("t4-small")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: "cpu-basic → t4-small" in screen_text(app), timeout=3)


# -- 3. Home/End in the list ----------------------------------------------------------------------


async def test_home_end_and_g_G_move_the_cursor_not_the_columns(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running("alice/a", "alice/b", "alice/c")
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:  # narrow: the table can scroll sideways
        await wait_for(pilot, lambda: table(app).row_count == 3)
        spaces = table(app)
        assert spaces.max_scroll_x > 0
        for key, expected in (("end", "alice/c"), ("home", "alice/a"), ("G", "alice/c"),
                              ("g", "alice/a")):  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert spaces.selected_space_id == expected, key
            assert spaces.scroll_x == 0, key
        assert "alice/a" in screen_text(app)


# -- 4. panes follow a newly linked folder --------------------------------------------------------


async def test_the_checks_pane_runs_for_a_folder_linked_while_it_is_shown(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text(f"spaces:\n  - id: {SPACE}\n")
    folder = scaffold(tmp_path)
    app = SpacesApp(HubTarget(emulator.url, ALICE_TOKEN), config=load_config(config_path),
                    config_path=config_path, monitor_factory=fast_monitor)  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(SpaceScreen(SPACE, pane="checks"))
        await wait_for(pilot, lambda: "No local folder is linked" in flat(app))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        checks = app.screen.query_one(ChecksPane)
        await wait_for(pilot, lambda: checks.report is not None, timeout=5)
        assert checks.folder == folder
        assert "No local folder is linked" not in flat(app)


async def test_relinking_clears_a_finished_deploy_of_the_old_folder(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold_with_uv_mistake(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    app = deploy_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_result(pilot, app)
        assert "Finished: blocked" in flat(app)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = str(other)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Ready: press D to deploy" in flat(app), timeout=3)
        assert "Finished" not in flat(app) and "DOCKER012" not in flat(app)
        assert deploy.result is None and SPACE not in app.deploy_runs
        assert f"Deploy {other} → {SPACE}" in flat(app)


async def test_a_reopened_space_does_not_replay_a_deploy_of_a_folder_relinked_meanwhile(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold_with_uv_mistake(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    app = deploy_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_result(pilot, app)
        app.pop_screen()
        app.post_message(ConfigChanged(replace_folder(app, other)))
        await wait_for(pilot, lambda: app.config.space(SPACE).folder == other)
        await open_deploy(app, pilot)
        await wait_for(pilot, lambda: "Ready: press D to deploy" in flat(app), timeout=3)
        assert "Finished" not in flat(app) and SPACE not in app.deploy_runs


def replace_folder(app: SpacesApp, folder: Path):  # noqa: ANN201
    """The app's config with the Space linked to `folder` (as `f` saves it)."""
    from tui.domain import config_edit

    return config_edit.link_folder(app.config_path, SPACE, str(folder))


async def test_relinking_the_same_folder_keeps_the_finished_deploy(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold_with_uv_mistake(tmp_path)
    app = deploy_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_result(pilot, app)
        app.post_message(ConfigChanged(load_config(app.config_path)))  # saved, same folder
        await pilot.pause(0.3)
        assert "Finished: blocked" in flat(app) and deploy.result is not None


# -- 5. the create dialog says what is wrong ------------------------------------------------------


def test_space_id_problems_name_what_is_wrong() -> None:
    assert space_id_problem("demo/ok-name_1.2") is None
    bad = space_id_problem("demo/bad name!") or ""
    assert "'bad name!'" in bad and "space, '!'" in bad and "letters, digits" in bad
    assert "exactly one /" in (space_id_problem("bad") or "")
    assert "start and end" in (space_id_problem("demo/-x") or "")
    assert "missing" in (space_id_problem("demo/") or "")
    assert "at most 96" in (space_id_problem("demo/" + "a" * 100) or "")


async def test_the_create_dialog_names_the_characters_that_are_not_allowed(
    hub: Hub, make_app: MakeApp
) -> None:
    hub.running(SPACE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 1)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreateSpaceDialog")
        app.screen.query_one("#space-id", Input).value = "alice/bad name!"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "cannot hold" in screen_text(app))
        assert "namespace/name." not in screen_text(app)


# -- 6. help lists every key -----------------------------------------------------------------------


def test_keys_for_lists_every_key_not_only_the_footer_label() -> None:
    follow = Binding("f,G,end", "follow", "Follow", key_display="f", id="log.follow")
    assert keys_for(follow, {}) == "f, G, end"
    assert keys_for(follow, {"log.follow": "F"}) == "F"


async def test_help_lists_ctrl_p_and_every_follow_key(hub: Hub, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 200)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "spacetui keys" in screen_text(app))
        lines = screen_text(app).splitlines()
        palette = next(line for line in lines if "app.palette" in line)
        follow = next(line for line in lines if "log.follow" in line)
        first = next(line for line in lines if "list.first" in line)
        assert ":, ctrl+p" in palette, palette
        assert "f, G, end" in follow, follow
        assert "home, g" in first, first


# -- 7. merged status bar fits its width -----------------------------------------------------------


async def test_a_narrow_merged_bar_keeps_every_space_s_state_on_one_row() -> None:
    names = ("demo/qa-sec", "demo/todo-api", "demo-org/internal-metrics", "demo/sentiment-bot")
    states = (StreamState("live"), StreamState("ended", reason="closed by the Hub"),
              StreamState("failed", reason="HTTP 500"), StreamState("connecting"))  # fmt: skip

    class BarApp(App[None]):
        CSS = "LogStatus { width: 36; }"

        def compose(self) -> ComposeResult:
            yield LogStatus("4 Spaces merged · run log", merged=True)

    app = BarApp()
    async with app.run_test(size=(60, 6)) as pilot:
        bar = app.query_one(LogStatus)
        for name, state in zip(names, states, strict=True):
            bar.set_stream_state(name, state)
        bar.set_view_state(ViewState(following=True, new_lines=0, rows=12, stored=12,
                                     filter_label=None, search_label=None, match_number=None,
                                     match_count=0, wrap=False, timestamps=False))  # fmt: skip
        await pilot.pause()
        sources, view = bar_rows(app, bar)
        assert len(sources) <= 34, sources
        for name, mark in zip(names, "●■✕◌", strict=True):
            assert f"{name.split('/')[1][:2]}" in sources and mark in sources, (name, sources)
        assert sources.count("…") == 4  # one ellipsis per Space, none at the row's end only
        assert "12 lines" in view
