"""`.dockerignore` with Docker's rules, and IGNORE004 when it hides a COPY source or the app file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks.context import CheckContext
from tui.domain.checks.dockerignore import DockerIgnore, check_dockerignore
from tui.domain.checks.findings import Severity

# (patterns, path, excluded?) — each row is a documented Docker behaviour that differs from
# gitignore or is easy to get wrong.
MATCHING = [
    ("*.pyc", "a.pyc", True),
    ("*.pyc", "pkg/a.pyc", False),  # anchored at the root, unlike gitignore
    ("**/*.pyc", "pkg/sub/a.pyc", True),
    ("**/*.pyc", "a.pyc", True),  # `**/` also matches zero directories
    ("/secret.txt", "secret.txt", True),  # a leading slash is the same as none
    ("data", "data/big/file.bin", True),  # a matched parent excludes what is inside
    ("data/*", "data/x", True),
    ("data/*", "data/x/y", True),  # via its parent data/x
    ("*", "anything/deep.txt", True),
    ("*\n!app.py", "app.py", False),  # an exception re-includes
    ("*\n!app.py", "lib.py", True),
    ("!app.py\n*", "app.py", True),  # the last match wins
    ("src/?.py", "src/a.py", True),
    ("src/?.py", "src/ab.py", False),
    ("src/[ab].py", "src/b.py", True),
    ("src/[^ab].py", "src/c.py", True),  # Go negates a class with ^ ...
    ("src/[^ab].py", "src/a.py", False),
    ("src/[!ab].py", "src/c.py", False),  # ... and `!` is just a character there
    ("src/[a-c].py", "src/b.py", True),
    ("# comment\n", "# comment", False),
    ("  spaced.txt  ", "spaced.txt", True),  # surrounding whitespace is trimmed
    ("./build/../dist", "dist/x.js", True),  # patterns are cleaned
    ("models/**", "models/a/b.bin", True),
    ("models/**", "modelsx", False),
    ("**", "x/y", True),
    ("a*/b", "abc/b", True),
    ("a*/b", "a/x/b", False),  # `*` never crosses a slash
]


@pytest.mark.parametrize(("patterns", "path", "excluded"), MATCHING)
def test_docker_matching_rules(patterns: str, path: str, excluded: bool) -> None:
    assert DockerIgnore.from_text(patterns).excludes(path) is excluded


def test_match_returns_the_deciding_line() -> None:
    ignore = DockerIgnore.from_text("# comment\n*.md\n\ndocs\n")
    rule = ignore.match("docs/index.md")
    assert rule is not None and (rule.line, rule.pattern) == (4, "docs")


def make_ctx(root: Path, files: dict[str, str], sdk: str = "docker") -> CheckContext:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return CheckContext(root=root, files={p: len(t) for p, t in files.items()}, sdk=sdk)


DOCKERFILE = (
    "FROM python:3.12-slim\n"
    "WORKDIR /app\n"
    "COPY requirements.txt .\n"
    "COPY src/ ./src/\n"
    "COPY . .\n"
    'CMD ["python", "app.py"]\n'
)
FILES = {
    "Dockerfile": DOCKERFILE,
    "requirements.txt": "flask\n",
    "src/a.py": "",
    "src/b.py": "",
    "app.py": "",
    "notes.md": "",
}


@pytest.mark.parametrize(
    ("dockerignore", "expected_lines"),
    [
        ("*.txt\n", [1]),  # drops requirements.txt, a COPY source
        ("src\n", [1]),  # drops the whole src/ directory
        ("*.py\n", [1]),  # drops app.py, which CMD runs
        ("*.md\n**/*.pyc\n", []),  # harmless
        ("src/a.py\n", []),  # src/ still has b.py
        ("*.txt\n!requirements.txt\n", []),  # the exception keeps it
        ("*\n!Dockerfile\n!requirements.txt\n!src\n!app.py\n", []),  # allow-list style
    ],
)
def test_ignore004(tmp_path: Path, dockerignore: str, expected_lines: list[int]) -> None:
    ctx = make_ctx(tmp_path, {**FILES, ".dockerignore": dockerignore})
    found = list(check_dockerignore(ctx))
    assert sorted({f.line for f in found}) == expected_lines, found
    assert all(
        f.id == "IGNORE004" and f.severity is Severity.ERROR and f.file == ".dockerignore"
        for f in found
    )


def test_ignore004_message_names_the_pattern_and_the_fix(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**FILES, ".dockerignore": "# keep small\n*.txt\n"})
    (finding,) = list(check_dockerignore(ctx))
    assert "line 2 (*.txt)" in finding.message and "!requirements.txt" in finding.message


def test_ignore004_without_a_dockerignore_or_for_other_sdks(tmp_path: Path) -> None:
    assert list(check_dockerignore(make_ctx(tmp_path, FILES))) == []
    ctx = make_ctx(tmp_path, {**FILES, ".dockerignore": "*.txt\n"}, sdk="gradio")
    assert list(check_dockerignore(ctx)) == []


def test_ignore004_a_lone_exclamation_mark_breaks_the_build(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**FILES, ".dockerignore": "*.md\n!\n"})
    found = list(check_dockerignore(ctx))
    assert [(f.line, f.severity) for f in found] == [(2, Severity.ERROR)]
    assert "illegal exclusion pattern" in found[0].message
