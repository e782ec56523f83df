"""Build a small Space folder for check tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.domain.checks.engine import CheckReport


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Create `files` (relative path -> text or bytes) under `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


#: The `check_tree` fixture: `check_tree(files, remote_gitignore=None)` -> the report.
Runner = Callable[..., CheckReport]
