"""Counts read as words in the app: "1 file", "5 files", "no errors", never "file(s)"."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import SIZE, MakeApp, screen_text, wait_for
from tui.domain.checks.findings import Finding, Severity
from tui.domain.config import load_config
from tui.domain.deploy.events import ChecksDone
from tui.domain.wording import counted
from tui.ui.controllers.deploy_messages import DeployProgressed
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.check_render import summary_text
from tui.ui.widgets.deploy_pane import DeployPane


def test_counted_says_no_one_and_many() -> None:
    assert counted(0, "file") == "no files"
    assert counted(1, "file") == "1 file"
    assert counted(5, "file") == "5 files"
    assert counted(1, "info", "info") == "1 info" and counted(3, "info", "info") == "3 info"


def test_the_checks_summary_counts_in_words() -> None:
    one = {"files": 1, "bytes": 10, "excluded": 0, "errors": 1, "warnings": 0, "infos": 2}
    assert summary_text("space", one).plain == (
        "space: 1 file, 10 B to upload, 0 excluded · 1 error, no warnings, 2 info"
    )
    many = {"files": 5, "bytes": 10, "excluded": 2, "errors": 0, "warnings": 3, "infos": 0}
    assert summary_text("space", many).plain == (
        "space: 5 files, 10 B to upload, 2 excluded · no errors, 3 warnings, no info"
    )


async def test_the_deploy_pane_counts_check_findings_in_words(
    make_app: MakeApp, tmp_path: Path
) -> None:
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text(f"spaces:\n  - id: alice/app\n    folder: {tmp_path}\n")
    app = make_app(config=load_config(config_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(SpaceScreen("alice/app", pane="deploy"))
        pane = app.screen.query_one(DeployPane)
        error = Finding("DOCKER012", Severity.ERROR, "uv needs --system", "Dockerfile", 4)
        pane.post_message(DeployProgressed(ChecksDone((error,), (error,))))
        await wait_for(pilot, lambda: "Checks:" in screen_text(app))
        assert "Checks: 1 error, no warnings" in screen_text(app)
