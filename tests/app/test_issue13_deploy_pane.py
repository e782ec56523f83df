"""Issue 13 in the Deploy pane: a cancelled upload leaves no bars or "Uploading …" behind."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.helpers.app import wait_for
from tests.helpers.deploy_pane import SPACE, make_app, open_deploy, scaffold
from tui.domain.deploy.cancel import CancelToken
from tui.domain.deploy.events import DeployResult, UploadProgress
from tui.emulator.server import RunningEmulator
from tui.ui.controllers.deploy_messages import DeployFinished, DeployStarted
from tui.ui.deploy_run import DeployRun
from tui.ui.widgets.deploy_progress import DeployProgress


def progress(done: int) -> UploadProgress:
    return UploadProgress(
        path="big.bin",
        file_bytes=done,
        file_total=1000,
        bytes_done=done,
        bytes_total=1000,
        files_done=0,
        files_total=1,
        throughput=10.0,
        eta=(1000 - done) / 10,
    )


async def test_a_cancel_before_the_commit_ends_on_the_result_not_on_uploading(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    """The engine's upload thread counts its last slice after the cancel and after the result:
    those late bytes must not put "Uploading …" and frozen bars back over "Finished"."""
    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        controller = app.deploys
        run = DeployRun(SPACE, CancelToken(), folder=tmp_path)
        controller.runs[SPACE] = run
        controller._post(SPACE, lambda: DeployStarted(run))
        controller._emit(run, progress(300))  # noqa: SLF001 - the engine's own callback
        await pilot.pause()
        assert deploy.has_class("-uploading")
        run.cancel.cancel()
        controller._emit(run, progress(400))  # in flight when the cancel came  # noqa: SLF001
        result = DeployResult(
            ok=False, outcome="cancelled", message="Nothing was committed.", space_id=SPACE
        )
        run.record(result)
        controller._post(SPACE, lambda: DeployFinished(result))
        controller._emit(run, progress(500))  # the thread's last slice  # noqa: SLF001
        await pilot.pause()
        await pilot.pause()
        stage = str(deploy.query_one("#deploy-stage", Static).render())
        assert "Finished: cancelled" in stage and "Uploading" not in stage
        assert not deploy.has_class("-uploading")
        assert (
            not deploy.query_one(DeployProgress).display
            or not deploy.query_one(DeployProgress).region.height
        )


async def test_no_ready_when_the_checks_found_errors(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    from tests.helpers.deploy_pane import scaffold_with_uv_mistake
    from tui.ui.screens.space import SpaceScreen
    from tui.ui.widgets.checks_pane import ChecksPane

    app = make_app(emulator, tmp_path, scaffold_with_uv_mistake(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("c")
        checks = app.screen.query_one(ChecksPane)
        await wait_for(pilot, lambda: checks.report is not None, timeout=20)
        assert checks.report.errors
        await pilot.press("d")
        deploy = app.screen.query_one("#deploy-stage", Static)
        await wait_for(pilot, lambda: "The checks found 1 error" in str(deploy.render()))
        assert "Ready" not in str(deploy.render())


async def test_the_build_time_counts_from_the_commit(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    from tui.domain.deploy.events import Committed, StageReached

    app = make_app(emulator, tmp_path, scaffold(tmp_path))
    async with app.run_test(size=(120, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        controller = app.deploys
        now = [100.0]
        controller.clock = lambda: now[0]
        run = DeployRun(SPACE, CancelToken(), folder=tmp_path)
        controller.runs[SPACE] = run
        controller._post(SPACE, lambda: DeployStarted(run))  # noqa: SLF001
        controller._emit(run, Committed(sha="a" * 40, url=None, changed=True))  # noqa: SLF001
        now[0] += 65
        controller._emit(run, StageReached(stage="BUILDING"))  # noqa: SLF001
        await wait_for(pilot, lambda: "1m 05s since the commit" in stage_text(deploy))
        now[0] += 65
        result = DeployResult(
            ok=True,
            outcome="running",
            stage="RUNNING",
            space_id=SPACE,
            message="alice/app is RUNNING.",
        )
        controller._finish(run, result)  # noqa: SLF001
        await wait_for(pilot, lambda: "Finished" in stage_text(deploy))
        assert "RUNNING · 2m 10s after the commit" in stage_text(deploy)
        # Where to see it, once RUNNING.
        shown = " ".join(str(deploy.query_one("#deploy-result", Static).render()).split())
        assert f"Open it: {emulator.url}/spaces/{SPACE}" in shown


def stage_text(deploy) -> str:  # noqa: ANN001
    return str(deploy.query_one("#deploy-stage", Static).render())
