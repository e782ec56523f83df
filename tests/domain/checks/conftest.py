"""Fixtures for check tests: build a small Space folder in tmp_path and run the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

# Re-exported for test files not yet importing from tests.helpers.checks.
from tests.helpers.checks import Runner, write_tree
from tui.domain.checks.engine import CheckReport, run_checks

__all__ = ["Runner", "write_tree"]


@pytest.fixture
def check_tree(tmp_path: Path) -> Runner:
    """`check_tree(files, remote_gitignore=None)` writes a folder and runs every check on it."""

    def run(files: dict[str, str | bytes], **kwargs: object) -> CheckReport:
        root = tmp_path / "space"
        root.mkdir(exist_ok=True)
        write_tree(root, files)
        return run_checks(root, **kwargs)  # type: ignore[arg-type]

    return run
