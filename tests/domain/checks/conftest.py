"""Helpers for check tests: build a small Space folder in tmp_path and run the real engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tui.domain.checks.engine import CheckReport, run_checks


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Create `files` (relative path -> text or bytes) under `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


Runner = Callable[..., CheckReport]


@pytest.fixture
def check_tree(tmp_path: Path) -> Runner:
    """`check_tree(files, remote_gitignore=None)` writes a folder and runs every check on it."""

    def run(files: dict[str, str | bytes], **kwargs: object) -> CheckReport:
        root = tmp_path / "space"
        root.mkdir(exist_ok=True)
        write_tree(root, files)
        return run_checks(root, **kwargs)  # type: ignore[arg-type]

    return run
