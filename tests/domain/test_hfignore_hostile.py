"""Hostile `.hfignore`/`.gitignore` inputs end in bounded time and without a traceback (issue 14)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.domain.hfignore import IgnoreFile
from tui.domain.upload_set import collect_upload_set

#: Python's `re` backtracks exponentially on this line (38 s for a 35-character name before).
EVIL = "*a" * 17 + "*b"


@pytest.mark.timeout(20)
def test_a_backtracking_pattern_answers_at_once() -> None:
    ignore = IgnoreFile([EVIL], source=".hfignore")
    assert ignore.excludes("a" * 35) is None
    assert ignore.excludes("a" * 34 + "b") is not None
    assert ignore.excludes_path("x/" + "a" * 40 + "/" + "a" * 35) is None


@pytest.mark.timeout(20)
def test_a_backtracking_pattern_next_to_one_re2_reads_otherwise() -> None:
    # `[[:alpha:]]` stays on `re` (RE2 reads it as a POSIX class); the evil line must not.
    ignore = IgnoreFile(["[[:alpha:]]", EVIL, "!keep"], source=".hfignore")
    assert ignore.excludes("a" * 35) is None
    assert ignore.excludes("keep") is None


def test_a_deep_path_needs_no_deep_stack() -> None:
    ignore = IgnoreFile(["deep/", "!d/"], source=".gitignore")
    path = "/".join(["d"] * 5000) + "/file.txt"
    assert ignore.excludes_path(path) is None
    assert ignore.excludes_path("/".join(["d"] * 3000) + "/deep/x") is not None


@pytest.fixture
def deep_tree(tmp_path: Path) -> Iterator[Path]:
    """`d/d/…/d` 1,500 levels under tmp_path, removed bottom-up afterwards (rmtree recurses)."""
    levels = [str(tmp_path)]
    for _ in range(1500):  # one level at a time: pathlib's mkdir(parents=True) itself recurses
        levels.append(levels[-1] + "/d")
        os.mkdir(levels[-1])
    yield Path(levels[-1])
    for level in reversed(levels[1:]):
        for entry in os.scandir(level):
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
        os.rmdir(level)


def test_a_1500_deep_tree_with_a_root_gitignore_is_walked(tmp_path: Path, deep_tree: Path) -> None:
    (tmp_path / "README.md").write_text("x")
    (tmp_path / ".gitignore").write_text("*.log\n")
    deep = deep_tree
    (deep / "kept.txt").write_text("x")
    (deep / "dropped.log").write_text("x")
    result = collect_upload_set(tmp_path)
    uploaded = {f.path for f in result.files}
    assert "/".join(["d"] * 1500) + "/kept.txt" in uploaded
    assert not [p for p in uploaded if p.endswith(".log")]
    assert [e.path for e in result.excluded if e.path.endswith("dropped.log")]


def test_a_name_that_is_not_utf8_is_matched_like_any_other() -> None:
    name = "caf\udce9.txt"  # os.fsdecode(b"caf\xe9.txt")
    ignore = IgnoreFile(["*.txt", "!caf?.txt", "[!c]*"], source=".hfignore")
    rule = ignore.excludes("x/" + name)
    assert rule is None
    assert ignore.match("x/" + name) is not None
    assert ignore.excludes("d\udce9") is not None
