"""Issue 12's left-overs in the running app, against the emulator over loopback: a rollback from
the History pane probes with the app deploy's settings (the Space's probe path, the app's wait;
not `/` and 60 s), and the Deploy
pane says when the follow waits out the Hub (a 503 injected into the emulator, time injected)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, HfApi
from textual.widgets import Checkbox, Static

from tests.app.conftest import wait_for
from tests.helpers.deploy_pane import SPACE, flat, make_app, open_deploy, pane
from tui.domain.deploy.events import FollowWaiting, ProbeStarted
from tui.domain.deploy_records import record_deploy
from tui.emulator.server import RunningEmulator
from tui.ui.controllers.deploy import DeployController
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.deploy_pane import DeployPane
from tui.ui.widgets.history_pane import HistoryPane

README = b"---\ntitle: Site\nsdk: static\n---\n"


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DeployController, "poll_interval", 0.05)


def _commit(api: HfApi, html: bytes, message: str) -> str:
    ops = [CommitOperationAdd("README.md", README), CommitOperationAdd("index.html", html)]
    return api.create_commit(SPACE, operations=ops, commit_message=message, repo_type="space").oid


async def test_a_rollback_from_the_history_probes_as_the_app_s_deploys_do(
    emulator: RunningEmulator,
    tmp_path: Path,
    alice_api: HfApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The app's deploys ask a broken app for 0.3 s; a rollback must not ask it for 60 s.
    monkeypatch.setattr(DeployController, "probe_wait", 0.3)
    alice_api.create_repo(SPACE, repo_type="space", space_sdk="static")
    good = _commit(alice_api, b"<h1>v1</h1>", "v1")
    _commit(alice_api, b"<h1>broken", "v2")
    record_deploy(
        SPACE, endpoint=emulator.url, sha=good, outcome="running", ok=True, stage="RUNNING"
    )
    emulator.app_faults.set(SPACE, status=500)  # RUNNING, but the app answers 500
    # The Space's probe path in spacetui.yaml, which the app's deploys use.
    app = make_app(emulator, tmp_path, tmp_path, extra="    probe_path: /health\n")
    async with app.run_test(size=(140, 40)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("H")
        history = app.screen.query_one(HistoryPane)
        await wait_for(pilot, lambda: history.display and history.revisions)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        deploy = app.screen.query_one(DeployPane)
        await wait_for(pilot, lambda: deploy.result is not None, timeout=20)
        result = deploy.result
        assert result is not None and result.outcome == "probe_failed", result.message
        assert result.probe is not None and result.probe.wait == 0.3
        assert result.probe.url == f"https://{SPACE.replace('/', '-')}.hf.space/health"
        run = app.deploys.runs[SPACE]
        started = [e for _, e in run.milestones if isinstance(e, ProbeStarted)]
        assert [e.wait for e in started] == [0.3]
        settings = app.deploys.probe_settings(SPACE)  # the app deploy's own settings
        assert (settings.path, settings.wait) == ("/health", 0.3)
        # The pane draws the result a moment after it is set: wait for its words, then check them.
        await wait_for(pilot, lambda: "untick 'Probe app'" in flat(app))
        assert "--no-probe" not in flat(app)


async def test_the_deploy_pane_says_while_the_follow_waits_out_the_hub(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_bytes(README)
    (folder / "index.html").write_text("<h1>hello</h1>\n")
    app = make_app(emulator, tmp_path, folder)
    waits: list[float] = []
    shown: list[str] = []

    async def sleep(seconds: float) -> None:
        """The follow's waits are recorded, not spent; each backoff is read off the pane."""
        if seconds >= 1.0:
            waits.append(seconds)
            stage = pane(app).query_one("#deploy-stage", Static)
            # The pane draws the event on the same loop, a moment later: up to 10 s on a loaded
            # machine, and no longer than it takes.
            for _ in range(1000):
                if f"Asking again in {seconds:.0f} s" in str(stage.render()):
                    break
                await asyncio.sleep(0.01)
            shown.append(" ".join(str(stage.render()).split()))
        else:
            await asyncio.sleep(seconds)

    app.deploys.sleep = sleep
    async with app.run_test(size=(140, 48)) as pilot:
        deploy = await open_deploy(app, pilot)
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        deploy.query_one("#opt-probe", Checkbox).value = False
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in flat(app))
        # Only the follow reads the runtime: its first two polls meet a 503.
        emulator.faults.set(route="/runtime", status=503, count=2)
        await pilot.press("y")
        await wait_for(pilot, lambda: deploy.result is not None, timeout=20)
        assert deploy.result is not None and deploy.result.ok, deploy.result.message
    assert waits == [1.0, 2.0]
    assert len(shown) == 2 and all(
        "Waiting for the Hub: The Hub is unavailable right now (HTTP 503)" in line for line in shown
    ), shown
    assert shown[0].endswith("Asking again in 1 s …") and shown[1].endswith("Asking again in 2 s …")
    kept = [e for _, e in app.deploys.runs[SPACE].milestones if isinstance(e, FollowWaiting)]
    assert [e.retry_in_s for e in kept] == [1.0, 2.0]  # a pane opened later replays them
