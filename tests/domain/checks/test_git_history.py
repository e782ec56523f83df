"""SECRET004: a git checkout's history can hold secrets that only a git push would publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.checks import write_tree
from tui.domain.checks.engine import run_checks
from tui.domain.checks.registry import ALL_CHECKS, REPORT_ONLY_CHECKS

README = "---\ntitle: T\nemoji: 🚀\nsdk: static\n---\n"


def secret004(root: Path) -> list:
    report = run_checks(root, checks=[*ALL_CHECKS, *REPORT_ONLY_CHECKS])
    return [f for f in report.findings if f.id == "SECRET004"]


@pytest.mark.parametrize(
    "git",
    [{".git/HEAD": "ref: refs/heads/main\n"}, {".git": "gitdir: ../.git/worktrees/space\n"}],
    ids=["clone", "worktree"],
)
def test_git_checkout(tmp_path: Path, git: dict) -> None:
    write_tree(tmp_path, {"README.md": README, "index.html": "<p/>", **git})
    (finding,) = secret004(tmp_path)
    assert finding.severity.value == "info" and finding.file is None
    assert "gitleaks" in finding.message and "trufflehog" in finding.message
    assert ".git/HEAD" not in run_checks(tmp_path).upload_set  # never uploaded


def test_plain_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": README, "index.html": "<p/>", "sub/.git/HEAD": "x"})
    assert secret004(tmp_path) == []


def test_deploy_engine_never_runs_it(tmp_path: Path) -> None:
    # The deploy stops on every SECRET* finding whatever its severity; SECRET004 is advice.
    write_tree(tmp_path, {"README.md": README, "index.html": "<p/>", ".git/HEAD": "x"})
    assert not [f for f in run_checks(tmp_path).findings if f.id.startswith("SECRET")]
