"""The Docker and deps checks through the real engine: registry wiring, upload set, .hfignore."""

from __future__ import annotations

from pathlib import Path

from tui.domain.checks.deps_checks import DEPS_CHECKS
from tui.domain.checks.docker_checks import DOCKER_CHECKS
from tui.domain.checks.engine import run_checks
from tui.domain.checks.registry import load_checks

README = "---\ntitle: Demo\nemoji: 🚀\ncolorFrom: blue\ncolorTo: green\nsdk: docker\napp_port: 7860\n---\n"

SEEDED = """\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN uv pip install -r requirements.txt
COPY models/ ./models/
COPY . .
CMD ["uvicorn", "app:app", "--host", "127.0.0.1", "--port", "7860"]
"""


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def test_registry_runs_every_docker_and_deps_check() -> None:
    loaded = load_checks()
    assert all(check in loaded for check in [*DOCKER_CHECKS, *DEPS_CHECKS])


def test_seeded_mistakes_are_named_with_file_and_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "README.md": README,
            "Dockerfile": SEEDED,
            "requirements.txt": "fastapi\nuvicorn\n",
            "app.py": "app = None\n",
            "models/weights.bin": "x",
            ".hfignore": "models/\n",
        },
    )
    report = run_checks(tmp_path)
    found = {(f.id, f.file, f.line) for f in report.findings}
    assert ("DOCKER012", "Dockerfile", 4) in found  # uv without --system
    assert ("DOCKER018", "Dockerfile", 7) in found  # 127.0.0.1
    assert ("DOCKER021", "Dockerfile", 5) in found  # models/ dropped by .hfignore
    assert ("DOCKER004", "Dockerfile", 1) in found  # no uid 1000 user
    (copy,) = [f for f in report.findings if f.id == "DOCKER021"]
    assert ".hfignore" in copy.message
    assert not [f for f in report.findings if f.id == "INTERNAL"]


def test_dockerignore_through_the_engine(tmp_path: Path) -> None:
    dockerfile = SEEDED.replace("RUN uv pip install", "RUN uv pip install --system").replace(
        "127.0.0.1", "0.0.0.0"
    )
    write(
        tmp_path,
        {
            "README.md": README,
            "Dockerfile": dockerfile,
            "requirements.txt": "fastapi\n",
            "app.py": "app = None\n",
            "models/weights.bin": "x",
            ".dockerignore": "**/*.bin\n",
        },
    )
    report = run_checks(tmp_path)
    assert [(f.file, f.line) for f in report.findings if f.id == "IGNORE004"] == [
        (".dockerignore", 1)
    ]
