"""DOCKER012 first of all: a RUN that calls uv where the image has none fails with exit code 127.

QA case: `spacetui init`'s Dockerfile (python:3.12-slim, no uv) with `RUN uv pip install -r
requirements.txt` was told "No virtual environment found" and to add --system, which would still
fail: a real build stops earlier with `/bin/sh: 1: uv: not found`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_checks import DOCKER_CHECKS
from tui.domain.checks.engine import run_checks
from tui.domain.checks.findings import Finding, Severity
from tui.domain.scaffold import ScaffoldOptions, write_scaffold

FILES = {"README.md": "---\nsdk: docker\n---\n", "requirements.txt": "fastapi\n", "app.py": ""}
TAIL = 'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'


def uv_findings(root: Path, dockerfile: str) -> list[Finding]:
    files = {**FILES, "Dockerfile": dockerfile}
    for path, text in files.items():
        (root / path).write_text(text)
    ctx = CheckContext(root=root, files={p: len(t) for p, t in files.items()}, sdk="docker")
    return [f for check in DOCKER_CHECKS for f in check(ctx) if f.id == "DOCKER012"]


def test_the_init_dockerfile_with_uv_pip_install_is_told_uv_is_missing(tmp_path: Path) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="QA"))
    dockerfile = (tmp_path / "Dockerfile").read_text()
    old = "RUN pip install --no-cache-dir --upgrade -r requirements.txt"
    assert old in dockerfile
    (tmp_path / "Dockerfile").write_text(
        dockerfile.replace(old, "RUN uv pip install -r requirements.txt")
    )
    line = 1 + (tmp_path / "Dockerfile").read_text().splitlines().index(
        "RUN uv pip install -r requirements.txt"
    )
    (finding,) = [f for f in run_checks(tmp_path).findings if f.id == "DOCKER012"]
    assert (finding.severity, finding.line) == (Severity.ERROR, line)
    message = finding.message
    assert '"/bin/sh: 1: uv: not found" (exit code 127)' in message
    assert "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/" in message
    assert "No virtual environment found" not in message
    # The next step is named too, and it is the one that works after USER (a move, not a flag).
    assert message.index("not found") < message.index("before USER user")


@pytest.mark.parametrize(
    "dockerfile",
    [
        "FROM python:3.12-slim\nRUN pip install uv && uv pip install --system -r r.txt\n",
        "FROM python:3.12-slim\nRUN python -m pip install 'uv==0.5.11'\nRUN uv pip install --system x\n",
        "FROM python:3.12-slim\nRUN pipx install uv\nRUN uv pip install --system x\n",
        "FROM python:3.12-slim\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh && uv venv\n",
        "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nRUN uv venv\n",
        "FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv "
        "uv pip install --system x\n",
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nRUN uv pip install --system x\n",
        "FROM python:3.12-slim AS tools\nRUN pip install uv\n"
        "FROM tools\nRUN uv pip install --system x\n",
        "FROM python:3.12-slim AS b\nRUN pip install uv\nFROM python:3.12-slim\n"
        "COPY --from=b /usr/local/bin/uv /usr/local/bin/uv\nRUN uv pip install --system x\n",
    ],
)
def test_uv_installed_any_documented_way_is_not_missing(tmp_path: Path, dockerfile: str) -> None:
    found = uv_findings(tmp_path, dockerfile + TAIL)
    assert not [f for f in found if "not found" in f.message], found


@pytest.mark.parametrize(
    ("dockerfile", "line", "program"),
    [
        # a cache mount for uv's downloads is not uv itself
        (
            "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install "
            "--system x\n",
            2,
            "uv",
        ),
        ("FROM python:3.12-slim\nRUN uvx ruff check .\n", 2, "uvx"),
        # installed in a sibling stage that the final one is not built on
        (
            "FROM python:3.12-slim AS other\nRUN pip install uv\nFROM python:3.12-slim\n"
            "RUN uv sync\n",
            4,
            "uv",
        ),
        # used before the step that installs it
        ("FROM python:3.12-slim\nRUN uv pip install --system x\nRUN pip install uv\n", 2, "uv"),
    ],
)
def test_uv_used_without_being_installed(
    tmp_path: Path, dockerfile: str, line: int, program: str
) -> None:
    found = [f for f in uv_findings(tmp_path, dockerfile + TAIL) if "not found" in f.message]
    assert [(f.line, f.severity) for f in found] == [(line, Severity.ERROR)]
    assert f"{program}: not found" in found[0].message


def test_one_missing_uv_finding_per_stage_then_the_usual_rules(tmp_path: Path) -> None:
    dockerfile = "FROM python:3.12-slim\nRUN uv venv\nRUN uv pip install x\nRUN uv pip install y\n"
    found = uv_findings(tmp_path, dockerfile + TAIL)
    assert [f.line for f in found if "not found" in f.message] == [2]
    # uv venv made a venv: the later installs have a target, so nothing else is reported.
    assert len(found) == 1
