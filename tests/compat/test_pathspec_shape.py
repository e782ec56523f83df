"""pathspec still has the shape tui._compat.pathspec relies on (fails loudly after an upgrade)."""

from __future__ import annotations

import re

from pathspec import PathSpec
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from tui._compat.pathspec import LINEAR_BACKEND, dir_mark_end


def test_a_directory_pattern_marks_where_the_directory_ended() -> None:
    regex = GitIgnoreSpecPattern("build/").regex
    assert regex is not None
    found = regex.search("src/build/out.o")
    assert found is not None
    assert dir_mark_end(found, dict(regex.groupindex)) == len("src/build/")


def test_a_file_match_leaves_the_directory_mark_out() -> None:
    regex = GitIgnoreSpecPattern("*.log").regex
    assert regex is not None
    found = regex.search("logs/a.log")
    assert found is not None
    assert dir_mark_end(found, dict(regex.groupindex)) == -1


def test_the_linear_backend_exists_and_names_the_deciding_line() -> None:
    patterns = [GitIgnoreSpecPattern(line) for line in ("*.log", "!keep.log", "a/")]
    spec = PathSpec(patterns, backend=LINEAR_BACKEND)
    result = spec.check_file("keep.log")
    assert (result.include, result.index) == (False, 1)
    assert spec.check_file("x.txt").index is None


def test_the_compiled_regex_is_stdlib_re() -> None:
    assert isinstance(GitIgnoreSpecPattern("a").regex, re.Pattern)
