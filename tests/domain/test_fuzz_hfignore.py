"""Property: any `.hfignore` is applied without raising, every exclusion names a real line, and on
top-level paths the verdict equals pathspec's GitIgnoreSpec."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pathspec import GitIgnoreSpec

from tui.domain.checks.engine import run_checks
from tui.domain.hfignore import IgnoreFile
from tui.domain.upload_set import collect_upload_set

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATTERN_TOKENS = st.sampled_from(list("*?[]!/#\\ ab.-") + ["**", "a/", "b/", "\r"])
pattern = st.lists(PATTERN_TOKENS, max_size=8).map("".join)
lines = st.lists(pattern, max_size=8)
TREE = ["a", "b.txt", "a.b", "ab/a", "ab/b.txt", "b/a/b", "b/b/ab.txt", ".a/b", "a b/x"]
NAMES = st.text(alphabet=st.sampled_from(list("ab.-! #")), min_size=1, max_size=6)


@SETTINGS
@given(lines)
def test_any_hfignore_is_applied_without_error(patterns: list[str]) -> None:
    text = "\n".join(patterns) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel in TREE:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text("x")
        (root / ".hfignore").write_text(text)
        result = collect_upload_set(root)
        report = run_checks(root, upload_set=result)
    assert not [f for f in report.findings if f.id == "INTERNAL"]
    number_of_lines = len(text.splitlines())
    ignore = IgnoreFile.from_text(text, source=".hfignore")
    for entry in result.excluded:
        assert entry.source == ".hfignore"
        assert entry.line is not None and 1 <= entry.line <= number_of_lines
        assert entry.reason.startswith(f".hfignore line {entry.line}: ")
    for upload in result.files:
        assert ignore.excludes_path(upload.path) is None
    seen = {f.path for f in result.files} | {e.path.rstrip("/") for e in result.excluded}
    for rel in TREE:
        parts = rel.split("/")
        assert any("/".join(parts[:i]) in seen for i in range(1, len(parts) + 1)), rel


def _accepted(line: str) -> bool:
    try:
        GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True


@SETTINGS
@given(lines, NAMES)
def test_top_level_verdict_matches_pathspec(patterns: list[str], name: str) -> None:
    # pathspec refuses a few degenerate lines (a lone "\\"); git and we skip them.
    valid = [line for line in patterns if _accepted(line)]
    ours = IgnoreFile(patterns, source=".hfignore").excludes(name) is not None
    theirs = GitIgnoreSpec.from_lines(valid).match_file(name)
    assert ours == theirs
