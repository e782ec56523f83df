"""The Deploy pane in the running app, against the emulator over loopback (speed 50): review,
confirm, progress, build log, RUNNING with a toast; a failing build's error lines and check ids;
cancel leaves no commit; secret values come from the environment or a masked prompt."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import pytest
from huggingface_hub import HfApi
from textual.widgets import Checkbox, Input, ProgressBar

from tests.app.conftest import (
    SETTLE,
    SIZE,
    Hub,
    fast_monitor,
    notifications,
    screen_text,
    wait_for,
)
from tests.conftest import ALICE_TOKEN
from tests.helpers.deploy_pane import (
    SECRET_VALUE,
    SPACE,
    Screens,
    deploy_new_space,
    flat,
    make_app,
    open_deploy,
    pane,
    scaffold,
    scaffold_with_uv_mistake,
    wait_result,
)
from tui.domain.auth import HubTarget
from tui.domain.config import load_config
from tui.domain.log_model import LineQuery
from tui.emulator.faults import MAX_LATENCY
from tui.emulator.server import RunningEmulator
from tui.ui.app import SpacesApp
from tui.ui.controllers.deploy import DeployController
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.log_view import LogView


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runtime polls every 50 ms while following a build (the emulator runs 50x faster)."""
    monkeypatch.setattr(DeployController, "poll_interval", 0.05)


async def test_a_deploy_from_the_app_reaches_running_with_progress_and_a_toast(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold(tmp_path)
    app = make_app(emulator, tmp_path, folder, "ui:\n  bell: true\n")
    bells: list[str] = []  # which module rang the bell (stage changes ring it too)

    def bell() -> None:  # the terminal's bell, recorded instead of rung
        bells.append(Path(sys._getframe(1).f_code.co_filename).name)

    app.bell = bell  # type: ignore[method-assign]
    async with app.run_test(size=(120, 48)) as pilot:
        screens = Screens(app)
        deploy = await open_deploy(app, pilot)
        # The Space does not exist yet: "create if missing" is ticked for the user.
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in screens())
        review = flat(app)
        assert "Deploy to alice/app (new Space)" in review
        assert "added (5):" in review and "+ Dockerfile" in review
        assert "To send: 5 files" in review
        assert emulator.state.get_space(SPACE) is None  # nothing happens before the yes
        await pilot.press("y")
        await wait_result(pilot, app)
        screens()

        result = deploy.result
        assert result is not None and result.ok and result.outcome == "running", result.message
        text = flat(app)
        assert "RUNNING" in text and "is RUNNING at" in text
        overall = deploy.query_one("#overall-bar", ProgressBar)
        assert overall.total == overall.progress > 1000
        assert "5/5 files" in text
        # Done: the whole upload's average rate, no "0 B/s · ETA ?" of an idle window.
        assert "0 B/s" not in text and "ETA" not in text and "· sent" in text
        build_log = deploy.query_one("#deploy-log", LogView)
        build_log.flush()  # lines wait one frame timer; a loaded machine may not have run it yet
        assert build_log.model.store.next_seq > 0
        assert any(
            "--> RUN" in line for line in deploy.query_one(LogView).export_text().split("\n")
        )
        assert any("is RUNNING" in n for n in notifications(app))
        assert any(n.title == "Deploy finished" for n in app._notifications)
        assert bells.count("deploy.py") == 1  # spacetui.yaml asked for the bell (the controller)
        assert screens.never_showed(ALICE_TOKEN)
    space = emulator.state.get_space(SPACE)
    assert space is not None and "Dockerfile" in (space.files() or {})
    assert str(space.life.runtime()["stage"]) == "RUNNING"


async def test_a_failing_build_shows_the_error_lines_and_the_likely_check_ids(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold_with_uv_mistake(tmp_path)
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        # Without force the check error stops the deploy before anything is created.
        await pilot.press("D")
        await wait_result(pilot, app)
        assert deploy.result is not None and deploy.result.outcome == "blocked"
        assert "DOCKER012" in flat(app)
        # The app names its toggle, not the CLI's flag.
        assert "tick 'Force past check errors' to deploy anyway" in flat(app)
        assert "--force" not in flat(app)
        assert emulator.state.get_space(SPACE) is None
        # Said as what it was (issue 13): blocked by the checks, not a failed deploy.
        assert any(n.title == "Deploy blocked by checks" for n in app._notifications)
        assert "Blocked by checks: DOCKER012" in flat(app)
        assert not any("Deploy failed" in n.title for n in app._notifications)

        deploy.query_one("#opt-force", Checkbox).value = True
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in screen_text(app))
        review = flat(app)
        assert "flagged by the checks" in review and "DOCKER012 Dockerfile:14" in review
        await pilot.press("y")
        await wait_for(
            pilot, lambda: deploy.result is not None and deploy.result.outcome != "blocked"
        )
        await wait_result(pilot, app)
        result = deploy.result
        assert result.outcome == "build_failed" and result.stage == "BUILD_ERROR", result.message
        text = flat(app)
        assert "BUILD_ERROR" in text and "From the log:" in text
        assert "No virtual environment found" in text.split("From the log:")[1]
        assert "Likely explained by checks: DOCKER012" in text
        assert "force" in text
        assert any(
            "Deploy failed" in n.title and "BUILD_ERROR" in n.message for n in app._notifications
        )


async def test_cancel_mid_deploy_leaves_no_commit(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold(tmp_path)
    emulator.state.create_space(SPACE, sdk="docker")
    commits = len(emulator.state.get_space(SPACE).commits)
    # The pre-upload is held until the test releases it: the deploy is caught before its commit.
    emulator.faults.set(route="/preupload/", latency=MAX_LATENCY, count=1)
    earlier = set(threading.enumerate())  # upload threads of earlier tests are not waited for
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        deploy = await open_deploy(app, pilot)
        await wait_for(pilot, lambda: not deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in screen_text(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Preparing the upload" in screen_text(app))
        await wait_for(pilot, lambda: emulator.faults.caught == 1)  # inside the pre-upload
        await pilot.press("ctrl+x")
        await wait_result(pilot, app)
        assert deploy.result.outcome == "cancelled"
        assert "nothing was committed" in flat(app).lower()
        assert any("Deploy cancelled" in n.title for n in app._notifications)
        assert isinstance(app.screen, SpaceScreen)  # ctrl+x cancelled; it did not go back
        # Past the pre-upload: once it is answered and the upload thread has ended, a commit
        # that was going to come has come.
        uploads = [
            t for t in threading.enumerate() if t.name == "spacetui-deploy" and t not in earlier
        ]
        emulator.faults.release()
        assert await asyncio.to_thread(emulator.faults.wait_settled, 30)
        for thread in uploads:
            await asyncio.to_thread(thread.join, 30)
            assert not thread.is_alive()
        assert len(emulator.state.get_space(SPACE).commits) == commits
        # Idle again, Escape is the Space screen's "back".
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SpaceScreen))


async def test_secret_values_come_from_the_environment_or_a_masked_prompt(
    emulator: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = scaffold(tmp_path)
    monkeypatch.setenv("API_KEY", SECRET_VALUE)
    monkeypatch.delenv("DB_PASSWORD", raising=False)
    extra = "    secrets: [API_KEY, DB_PASSWORD]\n    variables: [MODE]\n"
    monkeypatch.setenv("MODE", "prod")
    app = make_app(emulator, tmp_path, folder, extra)
    typed = "typed-" + SECRET_VALUE
    async with app.run_test(size=(120, 48)) as pilot:
        screens = Screens(app)
        deploy = await open_deploy(app, pilot)
        text = flat(app)
        assert "secret API_KEY (from the environment)" in text
        assert "secret DB_PASSWORD (asked before the deploy)" in text
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        answer = app.screen.query_one("#answer", Input)
        assert answer.password
        answer.value = typed
        # Drawn (the mask's dots on screen), then: the value itself must not be.
        await wait_for(pilot, lambda: "•" * 8 in screen_text(app))
        assert typed not in screens()  # masked while typed
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Review the changes" in screens())
        await pilot.press("y")
        await wait_result(pilot, app)
        screens()
        assert deploy.result.ok, deploy.result.message
        assert screens.never_showed(SECRET_VALUE, typed, ALICE_TOKEN)
    api = HfApi(endpoint=emulator.url, token=ALICE_TOKEN)
    assert set(api.get_space_variables(SPACE)) == {"MODE"}
    space = emulator.state.get_space(SPACE)
    assert set(space.secrets) == {"API_KEY", "DB_PASSWORD"}
    assert space.secrets["DB_PASSWORD"]["value"] == typed
    assert space.secrets["API_KEY"]["value"] == SECRET_VALUE


async def test_leaving_the_space_screen_keeps_the_deploy_and_its_toast(
    hub: Hub, tmp_path: Path
) -> None:
    # The emulator's clock moves only by hand: the build waits while the user walks around.
    folder = scaffold(tmp_path)
    app = make_app(hub.emu, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await deploy_new_space(app, pilot, deploy)
        await wait_for(pilot, lambda: deploy.committed_sha is not None, timeout=10)
        before = deploy.query_one(LogView).export_text()
        await pilot.press("i", "escape")  # the runtime pane, then back to the list
        await wait_for(pilot, lambda: not isinstance(app.screen, SpaceScreen))
        assert deploy.result is None and hub.stage(SPACE) != "RUNNING"  # not cancelled

        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("d")
        reopened = pane(app)
        assert reopened is not deploy and reopened.running
        # The reopened pane shows the deploy so far, not only what happens from now on.
        log = reopened.query_one(LogView)
        await wait_for(pilot, lambda: log.pending_lines == 0 and "5/5 files" in flat(app))
        assert log.export_text().startswith(before)
        assert reopened.query_one("#deploy-start").disabled
        hub.clock.advance(SETTLE)
        await wait_result(pilot, app, timeout=30)
        assert reopened.result.ok and reopened.result.outcome == "running"
        assert "is RUNNING at" in flat(app)
        assert [n.title for n in app._notifications].count("Deploy finished") == 1


async def test_a_missing_space_without_create_says_how_to_create_it(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        deploy = await open_deploy(app, pilot)
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        deploy.query_one("#opt-create", Checkbox).value = False
        await pilot.press("D")
        await wait_result(pilot, app)
        assert deploy.result.outcome == "error"
        assert "tick 'Create if missing' to create it" in flat(app)
        assert not deploy.running and not deploy.query_one("#deploy-start").disabled
    assert emulator.state.get_space(SPACE) is None


def test_review_and_result_are_text_never_markup(tmp_path: Path) -> None:
    from tui.domain.checks.findings import Finding, Severity
    from tui.domain.deploy.events import DeployResult
    from tui.domain.deploy.plan import PlannedFile, RemoteFile, UploadPlan
    from tui.domain.redact import register_secret
    from tui.ui.widgets.deploy_text import result_text, review_text

    register_secret(ALICE_TOKEN)  # as SpacesApp does for the token in use
    odd = "[bold]x\x1b[2J.txt"
    plan = UploadPlan(
        SPACE,
        "abc",
        (PlannedFile(odd, tmp_path / "x", 1500, "added"),),
        (RemoteFile("old[/].bin", 3),),
        True,
    )
    finding = Finding("SECRET002", Severity.ERROR, f"token {ALICE_TOKEN} in [red]x[/red]", odd, 2)
    review = review_text(plan, [finding], delete=True).plain
    assert "+ [bold]x.txt  1.5 kB" in review and "- old[/].bin" in review
    assert "deleted (1):" in review
    assert "[bold]x.txt:2" in review and "in [red]x[/red]" in review
    assert "\x1b" not in review and ALICE_TOKEN not in review

    result = DeployResult(
        ok=False,
        outcome="build_failed",
        message="alice/app ended in BUILD_ERROR: [bold]boom",
        space_id=SPACE,
        error_lines=("\x1b[31merror:\x1b[0m [i]no[/i]",),
        check_ids=("DOCKER012",),
    )
    shown = result_text(result).plain
    assert "[bold]boom" in shown and "error: [i]no[/i]" in shown and "\x1b" not in shown
    assert "Likely explained by checks: DOCKER012" in shown


async def test_the_build_log_can_be_searched_and_saved_from_the_pane(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold(tmp_path)
    app = make_app(emulator, tmp_path, folder)
    saved = tmp_path / "build.log"
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await deploy_new_space(app, pilot, deploy)
        await wait_result(pilot, app)
        log = deploy.query_one("#deploy-log", LogView)
        assert app.focused is log  # the log took focus itself: keys only from here
        await pilot.press("slash")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TextPrompt")
        await pilot.press(*"--> RUN", "enter")
        await wait_for(pilot, lambda: log.model.search is not None)
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TextPrompt")
        prompt = app.screen.query_one("Input")
        prompt.value = str(saved)
        await pilot.press("enter")
        await wait_for(pilot, saved.exists)
    assert "--> RUN" in saved.read_text()


async def test_the_build_log_takes_the_keys_once_it_streams_and_tab_reaches_it(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    # QA: after "y" the hidden review buttons kept focus, so `e` opened the Space's secrets
    # screen and `/` did nothing. Only key presses here: no programmatic focus.
    folder = scaffold(tmp_path)
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        log = deploy.query_one("#deploy-log", LogView)
        await deploy_new_space(app, pilot, deploy)
        await wait_for(pilot, lambda: app.focused is log)  # as soon as the review hides
        await wait_result(pilot, app)
        assert deploy.result.ok, deploy.result.message
        assert app.focused is log
        # The footer redraws for the focused log a moment after the focus moves (the run's
        # last lines can come in between): wait for its keys, then they must be the log's.
        await wait_for(pilot, lambda: "Search" in flat(app) and "Errors" in flat(app))

        await pilot.press("e")
        # What `e` does on the log (its filter) decides; then no other screen may have opened.
        await wait_for(pilot, lambda: log.model.filter is not None)
        assert isinstance(app.screen, SpaceScreen)  # not the Space's "Secrets and variables"
        assert log.model.filter is not None and log.model.filter.label == LineQuery.errors().label
        await pilot.press("e")  # again: every line back
        await wait_for(pilot, lambda: log.model.filter is None)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SpaceScreen))

        # Tab walks the toggles and the Deploy button and comes back to the log.
        await pilot.press("tab")
        assert app.focused is not log
        for _ in range(8):  # four toggles, the Deploy button, the log: fewer than 8 stops
            if app.focused is log:
                break
            await pilot.press("tab")
        assert app.focused is log


async def test_without_a_linked_folder_the_pane_only_says_how_to_link_one(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text(f"spaces:\n  - id: {SPACE}\n")
    app = SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_deploy(app, pilot)
        text = flat(app)
        assert "No local folder is linked to alice/app: press F" in text
        assert "Ready" not in text and "press D to deploy" not in text


def test_review_progress_and_result_word_the_app_s_toggles(tmp_path: Path) -> None:
    from tui.domain.deploy.events import DeployResult, UploadProgress
    from tui.domain.deploy.plan import PlannedFile, RemoteFile, UploadPlan
    from tui.domain.deploy.review import review_lines
    from tui.ui.widgets.deploy_text import overall_progress_label, result_text, review_text

    plan = UploadPlan(
        SPACE,
        "abc",
        (PlannedFile("app.py", tmp_path / "x", 10, "added"),),
        (RemoteFile("old.bin", 3),),
        True,
    )
    review = review_text(plan, [], delete=False).plain
    assert "only on the Space, kept (tick 'Delete remote-only' to remove them) (1):" in review
    assert "--delete" not in review
    assert any("(use --delete to remove)" in line for line in review_lines(plan, delete=False))

    def progress(done: int, throughput: float, eta: float | None) -> UploadProgress:
        return UploadProgress("app.py", done, 3000, done, 3000, done // 1000, 3, throughput, eta)

    assert overall_progress_label(progress(1000, 500.0, 4.0)).plain == (
        "1.0 kB of 3.0 kB · 1/3 files · 500 B/s · ETA 4 s"
    )
    done = overall_progress_label(progress(3000, 0.0, None), average=1500.0).plain
    assert done == "3.0 kB of 3.0 kB · 3/3 files · 1.5 kB/s on average · sent"
    assert overall_progress_label(progress(3000, 0.0, None)).plain.endswith("3/3 files · sent")

    blocked = DeployResult(
        ok=False,
        outcome="blocked",
        space_id=SPACE,
        check_ids=("DOCKER012",),
        message="The checks found 1 error, which stop the deploy: fix them, or tick it to deploy anyway.",
    )
    lines = result_text(blocked).plain.splitlines()
    assert lines[0].endswith("deploy anyway.") and lines[1].startswith("Blocked by checks:")


async def test_linking_a_folder_from_the_pane_makes_it_ready_at_once(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    # QA: the "Ready" line and the target kept saying "no folder" until the pane was shown again.
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text(f"spaces:\n  - id: {SPACE}\n")
    folder = scaffold(tmp_path)
    app = SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        assert "No local folder is linked" in flat(app)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.config.space(SPACE).folder is not None)
        await wait_for(pilot, lambda: "Ready: press D to deploy" in flat(app), timeout=3)
        assert f"Deploy {folder} → {SPACE}" in flat(app)
        assert "No local folder is linked" not in flat(app)
        assert pane(app) is deploy and deploy.display


async def test_a_finished_deploy_shows_whole_when_the_space_is_opened_again(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold(tmp_path)
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await deploy_new_space(app, pilot, deploy)
        await wait_result(pilot, app)
        lines = deploy.query_one(LogView).export_text()
        assert "--> RUN" in lines
        await pilot.press("i", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SpaceScreen))

        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("d")
        reopened = pane(app)
        log = reopened.query_one(LogView)
        await wait_for(pilot, lambda: log.pending_lines == 0 and "is RUNNING at" in flat(app))
        assert log.export_text() == lines
        assert reopened.result == deploy.result and not reopened.running
        assert "5/5 files" in flat(app) and "Finished:" in flat(app)
        assert not reopened.query_one("#deploy-start").disabled
        assert [n.title for n in app._notifications].count("Deploy finished") == 1


def test_a_deploy_run_keeps_its_events_bounded() -> None:
    from tui.domain.deploy.cancel import CancelToken
    from tui.domain.deploy.events import BuildLogLine, Committed, UploadProgress
    from tui.ui.deploy_run import MAX_LOG_LINES, DeployRun

    run = DeployRun(SPACE, CancelToken())
    for done in range(0, 3001, 1000):
        run.record(UploadProgress("app.py", done, 3000, done, 3000, done // 1000, 3, 1.0, None))
    assert run.record(Committed("abc1234", None, True)) == 5
    for n in range(MAX_LOG_LINES + 10):
        run.record(BuildLogLine("build", f"line {n}", "2026-11-28T10:00:00Z"))
    kinds = [event.kind for _, event in run.milestones]
    assert kinds == ["upload", "commit"]  # one progress event: the latest
    assert run.milestones[0][1].bytes_done == 3000
    assert len(run.log) == MAX_LOG_LINES and run.log_total == MAX_LOG_LINES + 10
    assert run.log[0][1].text == "line 10" and run.committed_sha == "abc1234"


async def test_a_deploy_whose_worker_ended_without_a_result_says_it_stopped(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    from tui.domain.deploy.cancel import CancelToken
    from tui.domain.deploy.events import UploadProgress
    from tui.ui.deploy_run import DeployRun

    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        worker = app.run_worker(asyncio.sleep(0), group=f"deploy:{SPACE}")
        await wait_for(pilot, lambda: worker.is_finished)
        run = DeployRun(SPACE, CancelToken(), worker=worker)
        run.record(UploadProgress("app.py", 10, 30, 10, 30, 0, 3, 5.0, 4.0))
        app.deploy_runs[SPACE] = run
        deploy = await open_deploy(app, pilot)
        await wait_for(pilot, lambda: "stopped before it finished" in flat(app))
        assert "Uploading" not in flat(app) and "0/3 files" in flat(app)
        assert not deploy.running and not deploy.query_one("#deploy-start").disabled


async def test_the_stretches_without_bytes_are_said_on_the_stage_line(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    from tui.domain.checks.findings import Finding, Severity
    from tui.domain.deploy.events import ChecksDone, UploadPhase

    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        for phase, words in (
            ("preparing", "Preparing the upload"),
            ("committing", "Committing: the Hub has every byte"),
            ("too_late", "Too late to cancel"),
        ):
            deploy._show(UploadPhase(phase))
            await wait_for(pilot, lambda words=words: words in flat(app))
        # Force never gets past a possible secret: no "anyway" while one still blocks.
        secret = Finding("SECRET001", Severity.ERROR, ".env holds credentials", ".env")
        deploy._show(ChecksDone((secret,), (secret,), forced=True))
        await wait_for(pilot, lambda: "Checks: 1 error" in flat(app))
        assert "anyway" not in flat(app)


# -- QA pass: relinking a folder clears or keeps a finished deploy --------


async def test_relinking_clears_a_finished_deploy_of_the_old_folder(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold_with_uv_mistake(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_result(pilot, app)
        assert "Finished: blocked" in flat(app)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = str(other)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Ready: press D to deploy" in flat(app), timeout=3)
        assert "Finished" not in flat(app) and "DOCKER012" not in flat(app)
        assert deploy.result is None and "alice/app" not in app.deploy_runs
        assert f"Deploy {other} → alice/app" in flat(app)


async def test_a_reopened_space_does_not_replay_a_deploy_of_a_folder_relinked_meanwhile(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = scaffold_with_uv_mistake(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    from tui.ui.messages import ConfigChanged

    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_result(pilot, app)
        app.pop_screen()
        app.post_message(ConfigChanged(replace_folder(app, other)))
        await wait_for(pilot, lambda: app.config.space("alice/app").folder == other)
        await open_deploy(app, pilot)
        await wait_for(pilot, lambda: "Ready: press D to deploy" in flat(app), timeout=3)
        assert "Finished" not in flat(app) and "alice/app" not in app.deploy_runs


def replace_folder(app: SpacesApp, folder: Path):  # noqa: ANN201
    """The app's config with the Space linked to `folder` (as `f` saves it)."""
    from tui.domain import config_edit

    return config_edit.link_folder(app.config_path, "alice/app", str(folder))


async def test_relinking_the_same_folder_keeps_the_finished_deploy(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    from tui.ui.messages import ConfigChanged

    folder = scaffold_with_uv_mistake(tmp_path)
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_result(pilot, app)
        saved = load_config(app.config_path)  # saved, same folder
        app.post_message(ConfigChanged(saved))
        await wait_for(pilot, lambda: app.config is saved)  # the panes heard it synchronously
        await pilot.pause()
        assert "Finished: blocked" in flat(app) and deploy.result is not None


async def test_the_build_log_is_saved_by_the_app_and_a_failure_is_one_toast(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        log = deploy.query_one("#deploy-log", LogView)
        saved = tmp_path / "build.log"
        log.post_message(LogView.SaveRequested(log, str(saved), "line one\nline two\n"))
        await wait_for(pilot, lambda: any("Saved to" in n for n in notifications(app)))
        assert saved.read_text(encoding="utf-8") == "line one\nline two\n"
        nowhere = tmp_path / "missing-folder" / "build.log"
        log.post_message(LogView.SaveRequested(log, str(nowhere), "x"))
        await wait_for(pilot, lambda: any("Could not save" in n for n in notifications(app)))
        assert not nowhere.exists()


async def test_leaving_the_space_screen_during_the_review_declines_it(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    """Nobody is left to answer the review: the deploy stops there, nothing is created."""
    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in flat(app))
        await app.pop_screen()
        declined = "Deploy declined at the review, nothing sent"
        await wait_for(pilot, lambda: any(n.title == declined for n in app._notifications))
        result = app.deploy_runs[SPACE].result
        assert result is not None and result.outcome == "cancelled"
        assert "Deploy not confirmed" in result.message
    assert emulator.state.get_space(SPACE) is None
