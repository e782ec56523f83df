"""IGNORE002, IGNORE003, IGNORE005 and IGNORE006 on real folders (the upload set computes the exclusions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks.engine import run_checks

DOCKER_README = "---\ntitle: T\nemoji: 🚀\nsdk: docker\n---\n"
GRADIO_README = '---\ntitle: T\nemoji: 🚀\nsdk: gradio\nsdk_version: "5.49.1"\n---\n'
DOCKER = 'FROM python:3.12\nCMD ["python", "-m", "http.server", "7860"]\n'
BASE = {"README.md": DOCKER_README, "Dockerfile": DOCKER}
GRADIO = {"README.md": GRADIO_README, "app.py": "import gradio\n"}

# (rule, expected severity or None, files, remote .gitignore)
ROWS = [
    ("IGNORE002", "error", {**BASE, ".hfignore": "Dockerfile\n"}, None),
    ("IGNORE002", "error", {**BASE, ".hfignore": "*.md\n"}, None),
    ("IGNORE002", "error", {**GRADIO, ".hfignore": "*.py\n"}, None),
    (
        "IGNORE002",
        "error",
        {
            **GRADIO,
            "requirements.txt": "-r base.txt\n",
            "base.txt": "x\n",
            ".hfignore": "base.txt\n",
        },
        None,
    ),
    ("IGNORE002", None, {**BASE, ".hfignore": "*.log\n", "x.log": ""}, None),
    ("IGNORE002", None, {**GRADIO, ".hfignore": "*.py\n!app.py\n"}, None),
    ("IGNORE003", "error", {**BASE, ".gitignore": "Dockerfile\n"}, None),
    ("IGNORE003", "error", {**GRADIO}, "app.py\n"),
    ("IGNORE003", "info", {**BASE, ".gitignore": "data/\n", "data/a.csv": "1"}, None),
    ("IGNORE003", "info", {**BASE, "models/w.bin": "1"}, "models/\n"),
    ("IGNORE003", None, {**BASE, ".gitignore": "*.tmp\n", "a.csv": ""}, None),
    ("IGNORE003", None, {**BASE, ".gitignore": "", "models/w.bin": "1"}, "models/\n"),
    ("IGNORE006", "info", {**BASE, ".gitignore": "*.tmp\n"}, None),
    ("IGNORE006", None, {**BASE, ".hfignore": ".gitignore\n", ".gitignore": "*.tmp\n"}, None),
    ("IGNORE005", "warning", {**BASE, ".hfignore": "*.log\n!keep.log\n", "keep.log": ""}, None),
    ("IGNORE005", "warning", {**BASE, ".hfignore": "/secret.txt\n", "secret.txt": ""}, None),
    (
        "IGNORE005",
        "warning",
        {**BASE, ".hfignore": "__pycache__/\n", "pkg/__pycache__/x.pyc": ""},
        None,
    ),
    ("IGNORE005", None, {**BASE, ".hfignore": "__pycache__/\n*.log\n", "x.log": ""}, None),
    ("IGNORE005", None, {**BASE, ".hfignore": "/secret.txt\n"}, None),
]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("rule", "severity", "files", "remote"),
    ROWS,
    ids=[f"{r}-{s}-{i}" for i, (r, s, _, _) in enumerate(ROWS)],
)
def test_ignore_rule(
    tmp_path: Path, rule: str, severity: str | None, files: dict, remote: str | None
) -> None:
    _write(tmp_path, files)
    found = [f for f in run_checks(tmp_path, remote_gitignore=remote).findings if f.id == rule]
    if severity is None:
        assert found == [], found
    else:
        assert found and severity in {f.severity.value for f in found}, found


def test_ignore002_points_at_the_hfignore_line(tmp_path: Path) -> None:
    _write(tmp_path, {**BASE, ".hfignore": "# keep it small\n*.log\nDockerfile\n"})
    report = run_checks(tmp_path)
    (finding,) = [f for f in report.findings if f.id == "IGNORE002"]
    assert (finding.file, finding.line) == (".hfignore", 3)
    assert "Dockerfile" in finding.message and "!Dockerfile" in finding.message
    # The dropped Dockerfile is reported once, as IGNORE002, not also as a missing Dockerfile
    # by the README checks.
    assert not [f for f in report.findings if f.id == "README001"]


def test_ignore003_lists_the_skipped_files(tmp_path: Path) -> None:
    _write(tmp_path, {**BASE, ".gitignore": "*.csv\n", "a.csv": "", "b.csv": ""})
    (finding,) = [f for f in run_checks(tmp_path).findings if f.id == "IGNORE003"]
    assert "2 files" in finding.message and "a.csv, b.csv" in finding.message
    assert (finding.file, finding.line) == (".gitignore", 1)
