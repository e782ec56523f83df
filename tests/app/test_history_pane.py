"""The History pane and rollback in the running app, against the emulator over loopback (speed 50):
revisions newest first with outcomes and plain remote text, the default target, a confirmation
that names what changes, the rollback shown in the Deploy pane, recorded once; app deploys are
recorded like the CLI's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
from textual.widgets import Checkbox, DataTable

from tests.helpers.app import fast_monitor, notifications, screen_text, settled, wait_for
from tests.helpers.cli import fast_deploy_polls
from tests.helpers.hub import ALICE_TOKEN
from tui.cli import build_parser
from tui.commands.deploy_run import deploy_main
from tui.domain.auth import HubTarget
from tui.domain.config import load_config
from tui.domain.deploy_records import load_records, record_deploy
from tui.emulator.faults import MAX_LATENCY
from tui.emulator.server import RunningEmulator
from tui.ui.app import SpacesApp
from tui.ui.controllers.deploy import DeployController
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.deploy_pane import DeployPane
from tui.ui.widgets.history_pane import HistoryPane

SPACE = "alice/site"
README = b"---\ntitle: Site\nsdk: static\n---\n"
#: A commit title with Rich markup and an escape sequence: both must show as plain text.
HOSTILE_TITLE = "[b]v3[/b] \x1b[31mbroken"


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runtime polls every 50 ms while following a build (the emulator runs 50x faster)."""
    monkeypatch.setattr(DeployController, "poll_interval", 0.05)


def _commit(api: HfApi, files: dict[str, bytes | None], message: str) -> str:
    ops: list[CommitOperationAdd | CommitOperationDelete] = [
        CommitOperationDelete(path) if data is None else CommitOperationAdd(path, data)
        for path, data in files.items()
    ]
    return api.create_commit(SPACE, operations=ops, commit_message=message, repo_type="space").oid


@pytest.fixture
def site(alice_api: HfApi) -> dict[str, str]:
    """v1 (recorded working), v2 (RUNNING but its probe failed), v3 at the head (failed)."""
    alice_api.create_repo(SPACE, repo_type="space", space_sdk="static")
    good = _commit(
        alice_api,
        {"README.md": README, "index.html": b"<h1>v1</h1>\n", "old.txt": b"only in v1\n"},
        "v1",
    )
    second = _commit(alice_api, {"index.html": b"<h1>v2</h1>\n"}, "v2")
    bad = _commit(
        alice_api,
        {"index.html": b"<h1>broken\n", "old.txt": None, "extra.js": b"console.log(1)\n"},
        HOSTILE_TITLE,
    )
    record_deploy(
        SPACE,
        endpoint=alice_api.endpoint,
        sha=good,
        outcome="running",
        ok=True,
        stage="RUNNING",
        now=1.0,
    )
    record_deploy(
        SPACE,
        endpoint=alice_api.endpoint,
        sha=second,
        outcome="running",
        ok=True,
        stage="RUNNING",
        now=2.0,
        extra={"probe": {"ok": False}},  # RUNNING, but the app did not answer: not "good"
    )
    record_deploy(
        SPACE,
        endpoint=alice_api.endpoint,
        sha=bad,
        outcome="build_failed",
        ok=False,
        stage="BUILD_ERROR",
        now=3.0,
    )
    return {"good": good, "second": second, "bad": bad}


def make_app(emulator: RunningEmulator, tmp_path: Path, folder: Path | None = None) -> SpacesApp:
    config_path = tmp_path / "spacetui.yaml"
    linked = f"\n    folder: {folder}" if folder else ""
    config_path.write_text(f"spaces:\n  - id: {SPACE}{linked}\n")
    return SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )


def flat(app: SpacesApp) -> str:
    return " ".join(screen_text(app).split())


async def open_history(app: SpacesApp, pilot) -> HistoryPane:  # noqa: ANN001
    await app.push_screen(SpaceScreen(SPACE))
    await pilot.press("H")
    history = app.screen.query_one(HistoryPane)
    await wait_for(pilot, lambda: history.display and history.revisions)
    return history


async def test_the_history_pane_lists_revisions_with_outcomes_and_plain_titles(
    emulator: RunningEmulator, tmp_path: Path, site: dict[str, str]
) -> None:
    app = make_app(emulator, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        history = await open_history(app, pilot)
        shas = [revision.sha for revision in history.revisions]
        assert shas[:3] == [site["bad"], site["second"], site["good"]]  # newest first
        text = flat(app)
        assert site["bad"][:7] in text and site["good"][:7] in text
        assert "build_failed" in text and "app failed" in text
        # Remote text is shown as typed: markup literal, the escape sequence stripped.
        assert "[b]v3[/b] broken" in text
        assert "\x1b" not in screen_text(app)
        assert "+1 ~1 -1" in text  # the head added extra.js, changed index.html, deleted old.txt
        # The default target: the newest revision below the head recorded as working (v1, not
        # v2 whose app failed its probe).
        table = history.query_one("#history-table", DataTable)
        assert history.revisions[table.cursor_row].sha == site["good"]
        assert "only in v1" not in text and "v1" in text


async def test_rollback_from_the_history_asks_then_restores_the_tree_as_a_deploy(
    emulator: RunningEmulator, tmp_path: Path, site: dict[str, str], alice_api: HfApi
) -> None:
    app = make_app(emulator, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_history(app, pilot)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        question = flat(app)
        assert f"back to {site['good'][:7]}" in question
        assert "restored (added back) (1): old.txt" in question
        assert "changed back (1): index.html" in question
        assert "deleted (1): extra.js" in question
        head_before = alice_api.space_info(SPACE).sha
        await pilot.press("n")  # no: nothing is committed
        await wait_for(pilot, lambda: "Rollback not started" in flat(app))
        assert alice_api.space_info(SPACE).sha == head_before

        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        deploy = app.screen.query_one(DeployPane)
        await wait_for(pilot, lambda: deploy.display)  # the rollback is shown like a deploy
        await wait_for(pilot, lambda: deploy.result is not None, timeout=20)
        result = deploy.result
        assert result is not None and result.ok and result.outcome == "running", result.message
        # The pane and the toast follow the result a moment later: wait for them, then check.
        await wait_for(pilot, lambda: "rolled back to" in flat(app))
        await wait_for(pilot, lambda: any("is RUNNING" in n for n in notifications(app)))
        assert any(n.title == "Rollback finished" for n in app._notifications)

        # The history reloads: the rollback commit is the new head, recorded as working.
        await pilot.press("H")
        history = app.screen.query_one(HistoryPane)
        await wait_for(pilot, lambda: history.revisions and history.revisions[0].sha == result.sha)
        assert history.revisions[0].title == f"Roll back to {site['good'][:7]}"

    files = {
        entry.path
        for entry in alice_api.list_repo_tree(SPACE, recursive=True, repo_type="space")
        if hasattr(entry, "blob_id")
    }
    assert {"index.html", "old.txt", "README.md"} <= files and "extra.js" not in files
    content = Path(
        alice_api.hf_hub_download(SPACE, "index.html", repo_type="space", cache_dir=tmp_path)
    )
    assert content.read_bytes() == b"<h1>v1</h1>\n"
    rollbacks = [r for r in load_records(SPACE, endpoint=emulator.url) if r.kind == "rollback"]
    assert len(rollbacks) == 1 and rollbacks[0].sha == result.sha and rollbacks[0].reached_running


async def test_a_deploy_from_the_app_is_recorded_once(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_bytes(README)
    (folder / "index.html").write_text("<h1>hello</h1>\n")
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(140, 48)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("d")
        deploy = app.screen.query_one(DeployPane)
        await wait_for(pilot, lambda: deploy.query_one("#opt-create", Checkbox).value)
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in flat(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: deploy.result is not None, timeout=20)
        assert deploy.result is not None and deploy.result.ok, deploy.result.message
        sha = deploy.result.sha
    records = load_records(SPACE, endpoint=emulator.url)
    assert [(r.sha, r.kind, r.outcome, r.probe) for r in records] == [
        (sha, "deploy", "running", "passed")
    ]


def test_a_cli_deploy_is_recorded_once(
    emulator: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    fast_deploy_polls(monkeypatch)  # a static Space settles after five polls
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_bytes(README)
    (folder / "index.html").write_text("<h1>hello</h1>\n")
    args = build_parser().parse_args(
        ["deploy", str(folder), "--space", SPACE, "--create", "--yes", "--no-probe"]
    )
    out, err = io.StringIO(), io.StringIO()
    assert deploy_main(args, stdout=out, stderr=err, stdin=io.StringIO()) == 0, err.getvalue()
    records = load_records(SPACE, endpoint=emulator.url)
    assert len(records) == 1 and records[0].kind == "deploy" and records[0].stage == "RUNNING"


async def test_the_history_of_a_missing_space_is_one_sentence(
    emulator: RunningEmulator, tmp_path: Path
) -> None:
    app = make_app(emulator, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("H")
        history = app.screen.query_one(HistoryPane)
        await wait_for(pilot, lambda: history.display and not history.loading)
        status = str(history.query_one("#history-status").render())
        assert SPACE in status and "Traceback" not in status and "Error" not in status, status
        assert history.revisions == ()
        await pilot.press("U")  # nothing to roll back to: the key does nothing, asks nothing
        assert not isinstance(app.screen, ConfirmDialog)


async def test_a_slow_history_ends_with_u_in_the_footer(
    emulator: RunningEmulator, tmp_path: Path, site: dict[str, str]
) -> None:
    """While the history loads, `loading` (Textual's reactive) covers the pane; the focus the
    pane gave its table when it showed did not bring the table's keys into the footer once the
    cover went, so U (roll back) was not offered (seen at 80x24 in a terminal, 1 run in 2). The
    commit list is held until the pane is covered, then released."""
    emulator.faults.set(route="/commits/", latency=MAX_LATENCY, count=1)
    app = make_app(emulator, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("H")
        history = app.screen.query_one(HistoryPane)
        await wait_for(pilot, lambda: emulator.faults.caught == 1)
        await wait_for(pilot, lambda: history.loading)  # covered while the request is held
        emulator.faults.release()
        await wait_for(pilot, lambda: bool(history.revisions))
        await settled(pilot)  # the history's worker ended and what it posted was handled
        footer = screen_text(app).rstrip("\n").split("\n")[-1]
        assert "U Roll back" in footer, footer
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
