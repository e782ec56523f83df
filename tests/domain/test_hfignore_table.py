"""The `.hfignore` semantics table of the README, row by row, cross-checked against git itself.

Each row is (.hfignore text, path, uploaded?). The same rows are the table in README section
"Config checks and .hfignore". When git is installed, every row is also checked against
`git status --ignored` on the same tree, so "gitignore semantics" means git's, not ours.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tui.domain.upload_set import collect_upload_set

# (case, .hfignore lines, path, uploaded)
ROWS: list[tuple[str, str, str, bool]] = [
    ("glob without slash matches at the root", "*.log", "debug.log", False),
    ("glob without slash matches at any depth", "*.log", "logs/app/debug.log", False),
    ("leading slash anchors to the root", "/todo.txt", "todo.txt", False),
    ("anchored pattern does not match deeper", "/todo.txt", "docs/todo.txt", True),
    ("a middle slash anchors too", "docs/*.md", "docs/a.md", False),
    ("`*` does not cross a slash", "docs/*.md", "docs/sub/b.md", True),
    ("trailing slash: a folder at any depth", "build/", "src/build/out.o", False),
    ("trailing slash never matches a file", "build/", "build", True),
    ("name without slash matches folders too", "node_modules", "web/node_modules/x.js", False),
    ("`!` re-includes a file", "*.log\n!keep.log", "keep.log", True),
    ("last matching line wins", "!keep.log\n*.log", "keep.log", False),
    (
        "nothing comes back from an excluded folder",
        "build/\n!build/keep.txt",
        "build/keep.txt",
        False,
    ),
    ("exclude the contents, then re-include", "build/*\n!build/keep.txt", "build/keep.txt", True),
    ("`dir/**` excludes the contents only", "docs/**\n!docs/keep.md", "docs/keep.md", True),
    ("`dir/**` excludes deeper folders", "docs/**\n!docs/keep.md", "docs/sub/x.md", False),
    ("`**/` matches at the root", "**/cache", "cache/x", False),
    ("`**/` matches at any depth", "**/cache", "a/b/cache/x", False),
    ("`/**/` matches zero folders", "a/**/z.txt", "a/z.txt", False),
    ("`/**/` matches many folders", "a/**/z.txt", "a/b/c/z.txt", False),
    ("`?` matches one character", "?.txt", "a.txt", False),
    ("`?` does not match two", "?.txt", "ab.txt", True),
    ("`[]` matches a set", "[ab].py", "b.py", False),
    ("`#` starts a comment", "# app.py", "app.py", True),
    ("`\\#` matches a literal `#`", "\\#notes", "#notes", False),
    ("`\\!` matches a literal `!`", "\\!important", "!important", False),
    ("trailing spaces are ignored", "*.tmp   ", "a.tmp", False),
    ("a reversed range never matches", "[z-a].py\n", "b.py", True),
    ("everything except Python files", "*\n!*/\n!*.py", "src/a.py", True),
    ("everything except Python files (the rest)", "*\n!*/\n!*.py", "src/b.txt", False),
]


def _tree(root: Path, hfignore: str, path: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("x")
    (root / "README.md").write_text("x")


@pytest.mark.parametrize(("case", "hfignore", "path", "uploaded"), ROWS, ids=[r[0] for r in ROWS])
def test_hfignore_row(tmp_path: Path, case: str, hfignore: str, path: str, uploaded: bool) -> None:
    _tree(tmp_path, hfignore, path)
    (tmp_path / ".hfignore").write_text(hfignore + "\n")
    result = collect_upload_set(tmp_path)
    assert (path in result) is uploaded, case
    if not uploaded:
        entry = result.exclusion_of(path)
        assert entry is not None and entry.source == ".hfignore"
        assert entry.reason.startswith(f".hfignore line {entry.line}: ")


GIT = shutil.which("git")


@pytest.mark.skipif(GIT is None, reason="git is not installed")
@pytest.mark.parametrize(("case", "hfignore", "path", "uploaded"), ROWS, ids=[r[0] for r in ROWS])
def test_git_agrees_with_the_row(
    tmp_path: Path, case: str, hfignore: str, path: str, uploaded: bool
) -> None:
    _tree(tmp_path, hfignore, path)
    (tmp_path / ".gitignore").write_text(hfignore + "\n")
    subprocess.run([GIT, "init", "-q", str(tmp_path)], check=True)
    out = subprocess.run(
        [GIT, "-C", str(tmp_path), "status", "--porcelain", "--ignored", "-uall"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    ignored = {line[3:].strip('"') for line in out.splitlines() if line.startswith("!! ")}
    assert (path not in ignored) is uploaded, case
