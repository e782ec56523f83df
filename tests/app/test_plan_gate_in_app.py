"""The plan gate and the health probe in the running app, against the emulator over loopback:
the create dialog says the Hub's rule in one sentence and stays open; the Deploy pane words
`plan_refused` and `probe_failed` with the app's ways out, and its probe toggle is honoured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input, Select

from tests.app.conftest import fast_monitor, screen_text, wait_for
from tests.conftest import ALICE, ALICE_TOKEN
from tests.helpers.app import FILES
from tests.helpers.hub import TEST_SPEED
from tui.commands.deploy_render import cli_message
from tui.domain.auth import HubTarget
from tui.domain.config import load_config
from tui.domain.deploy.events import DeployResult
from tui.domain.deploy_records import load_records
from tui.domain.plan_gate import Payer, PlanRefusal, PlanRefused, PlanRule, WayOut, check_plan
from tui.emulator.server import RunningEmulator, serve_emulator
from tui.ui.app import SpacesApp
from tui.ui.controllers.deploy import DeployController
from tui.ui.deploy_wording import app_refusal
from tui.ui.screens.create import CreateSpaceDialog
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.deploy_pane import DeployPane

SPACE = "alice/app"
STATIC_README = b"---\ntitle: Site\nsdk: static\n---\n"


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DeployController, "poll_interval", 0.05)


@pytest.fixture
def free_hub() -> Iterator[RunningEmulator]:
    """alice on the free plan: the Hub refuses her Gradio and Docker Spaces (402)."""
    with serve_emulator(
        seed="empty", users={ALICE: ALICE_TOKEN}, plans={ALICE: "free"}, speed=TEST_SPEED
    ) as emu:
        yield emu


def make_app(emulator: RunningEmulator, tmp_path: Path, folder: Path | None = None) -> SpacesApp:
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text(
        f"spaces:\n  - id: {SPACE}\n    folder: {folder}\n" if folder else "spaces: []\n"
    )
    return SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )


def flat(app: SpacesApp) -> str:
    return " ".join(screen_text(app).split())


def write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


async def test_the_create_dialog_says_the_plan_rule_and_stays_open(
    free_hub: RunningEmulator, tmp_path: Path
) -> None:
    app = make_app(free_hub, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CreateSpaceDialog))
        dialog = app.screen
        dialog.query_one("#space-id", Input).value = SPACE
        await pilot.click("#create")
        await wait_for(pilot, lambda: "cannot create a Docker Space" in flat(app))
        text = flat(app)
        assert "subscribe to PRO (https://huggingface.co/pro)" in text
        assert "--hardware" not in text  # the app's words, not the CLI's flag
        assert app.screen is dialog and not dialog.query_one("#create", Button).disabled
        assert free_hub.state.get_space(SPACE) is None

        dialog.query_one("#sdk", Select).value = "static"  # static Spaces are free for everyone
        await pilot.pause()  # the Select's change is handled before the button is pressed
        # Pressed directly: a pointer click can land while the loaded machine still lays out.
        dialog.query_one("#create", Button).press()
        await wait_for(pilot, lambda: free_hub.state.get_space(SPACE) is not None, timeout=20)
        assert app.screen is not dialog


async def test_the_deploy_pane_words_a_plan_refusal_before_any_work(
    free_hub: RunningEmulator, tmp_path: Path
) -> None:
    folder = write(tmp_path / "space", FILES)  # a Docker Space
    app = make_app(free_hub, tmp_path, folder)
    async with app.run_test(size=(140, 48)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("d")
        deploy = app.screen.query_one(DeployPane)
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: deploy.result is not None)
        assert deploy.result is not None and deploy.result.outcome == "plan_refused"
        await wait_for(pilot, lambda: "cannot create a Docker Space" in flat(app))  # drawn
        text = flat(app)
        assert "alice (a free account) cannot create a Docker Space" in text
        assert "--hardware" not in text and "(hardware zero-a10g: h on the Space screen" in text
        assert any(n.title == "Plan required" for n in app._notifications)
        assert "Review the changes" not in text  # refused before checks, hashing or review
    assert free_hub.state.get_space(SPACE) is None


async def test_a_failed_probe_is_worded_for_the_app_and_the_toggle_skips_it(
    emulator: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DeployController, "probe_wait", 0.3)  # the broken app answers 500 at once
    folder = write(tmp_path / "space", {"README.md": STATIC_README, "index.html": b"<h1>hi</h1>"})
    emulator.app_faults.set(SPACE, status=500)  # RUNNING, but the app answers 500
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(140, 48)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("d")
        deploy = app.screen.query_one(DeployPane)
        assert deploy.query_one("#opt-probe", Checkbox).value  # on by default, as on the CLI
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in flat(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: deploy.result is not None, timeout=20)
        first = deploy.result
        assert first is not None and first.outcome == "probe_failed", first.message
        await wait_for(pilot, lambda: "reads RUNNING, but its app at" in flat(app))  # drawn
        text = flat(app)
        assert "reads RUNNING, but its app at" in text and "HTTP 500" in text
        assert "untick 'Probe app'" in text and "--no-probe" not in text
        assert any(n.title == "Deploy failed: the app does not answer" for n in app._notifications)

        # Unticked, the next deploy does not ask the app: RUNNING is enough.
        deploy.query_one("#opt-probe", Checkbox).value = False
        (folder / "index.html").write_text("<h1>hi again</h1>")
        await pilot.press("D")
        await wait_for(pilot, lambda: deploy.result is None)
        await wait_for(pilot, lambda: "Review the changes" in flat(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: deploy.result is not None, timeout=20)
        second = deploy.result
        assert second is not None and second.ok and second.outcome == "running", second.message
        assert "probe" not in second.extra
    probes = [(r.outcome, r.probe) for r in load_records(SPACE, endpoint=emulator.url)]
    assert probes == [("probe_failed", "failed"), ("running", None)]


@pytest.mark.parametrize(
    ("payer", "sdk", "hardware", "used", "rule"),
    [
        (Payer("alice", "free", False, False), "gradio", None, 0, PlanRule.PAID_SDK),
        (Payer("alice", "free", False, False), "docker", "zero-a10g", 0, PlanRule.ZERO_GPU_SDK),
        (Payer("alice", "free", False, False), "gradio", "zero-a10g", 2, PlanRule.ZERO_GPU_CAP),
        (Payer("alice", "pro", False, False), "gradio", "t4-small", 0, PlanRule.NO_PAYMENT_METHOD),
        (Payer("acme", "free", True, True), "docker", None, 0, PlanRule.PAID_SDK),
    ],
)
def test_every_plan_refusal_is_data_worded_by_each_front_end(
    payer: Payer, sdk: str, hardware: str | None, used: int, rule: PlanRule
) -> None:
    with pytest.raises(PlanRefused) as refused:
        check_plan(payer, sdk=sdk, hardware=hardware, creating=True, zero_gpu_used=lambda: used)
    refusal = refused.value.refusal
    assert refusal.rule is rule and refusal.ways_out
    app, cli = app_refusal(refusal), cli_message(_refused_result(refusal))
    # The same rule, the same ways out, each in its own front end's words.
    assert app.startswith(refusal.reason()) and cli.startswith(refusal.reason())
    assert " --" not in app and "(--" not in app, app
    if WayOut.ZERO_GPU in refusal.ways_out:
        assert "--hardware zero-a10g" in cli and "hardware zero-a10g: h on the Space screen" in app
    if WayOut.CPU_BASIC in refusal.ways_out:
        assert "(no --hardware)" in cli and "(its default hardware)" in app


def _refused_result(refusal: PlanRefusal) -> DeployResult:
    return DeployResult(
        ok=False, outcome="plan_refused", message="", space_id="alice/app", refusal=refusal
    )
