"""Property: the parser, every Docker/deps check and the failure explainer only report, never crash."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.domain.checks.context import CheckContext
from tui.domain.checks.deps_checks import DEPS_CHECKS
from tui.domain.checks.docker_checks import DOCKER_CHECKS
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import parse_dockerfile
from tui.domain.failures import explain_failure

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments real Dockerfiles are made of, so the structured strategy reaches the deep paths
# (user tracking, uv/pip/apt rules, port inference, COPY sources) rather than only parse errors.
KEYWORDS = (
    "FROM RUN CMD ENTRYPOINT COPY ADD USER ENV ARG WORKDIR EXPOSE SHELL HEALTHCHECK ONBUILD "
    "LABEL VOLUME from BOGUS"
).split()
WORDS = [
    "python:3.12",
    "node:22",
    "ubuntu:24.04",
    "AS",
    "base",
    "--platform=linux/arm64",
    "--chown=user",
    "--from=base",
    "--chmod=755",
    "--mount=type=cache,target=/x",
    "uv",
    "pip",
    "install",
    "--system",
    "--user",
    "-y",
    "apt-get",
    "update",
    "&&",
    "||",
    ";",
    "|",
    "useradd",
    "-m",
    "-u",
    "1000",
    "user",
    "root",
    "uvicorn",
    "gunicorn",
    "streamlit",
    "run",
    "flask",
    "--host",
    "0.0.0.0",
    "127.0.0.1",
    "--port",
    "7860",
    "$PORT",
    "${PORT:-80}",
    "-b",
    ":8000",
    "sh",
    "-c",
    '"',
    "'",
    "[",
    "]",
    '["a"',
    "\\",
    "<<EOF",
    "EOF",
    ".",
    "./start.sh",
    "app.py",
    "requirements.txt",
    "*.py",
    "HF_TOKEN=hf_x",
    "KEY",
    "chmod",
    "+x",
    "chown",
    "-R",
    "/app",
    "$HOME",
    "${X}",
    "python",
    "-m",
    "http.server",
    "venv",
    "sync",
    "#",
    "\t",
    "é",
    "\x1b[31m",
    "npm",
    "start",
    "next",
    "vite",
    "preview",
    "bash",
    "start.sh",
    "nginx",
    "jupyter",
    "--ip",
]

line = st.builds(
    lambda kw, words: " ".join([kw, *words]),
    st.sampled_from(KEYWORDS),
    st.lists(st.sampled_from(WORDS), max_size=8),
)
structured = st.lists(line, min_size=0, max_size=14).map("\n".join)
dockerfiles = st.one_of(st.text(max_size=400), structured)


@dataclass
class MemoryContext(CheckContext):
    """A CheckContext whose files live in memory: the checks only read through `read_text`."""

    texts: dict[str, str] = field(default_factory=dict)

    def _read(self, path: str) -> str | None:
        return self.texts.get(path)


def context(
    files: dict[str, str], sdk: str | None = "docker", app_port: int = 7860
) -> CheckContext:
    sizes = {p: len(t) for p, t in files.items()}
    return MemoryContext(
        root=Path("/nonexistent"), files=sizes, sdk=sdk, app_port=app_port, texts=files
    )


def assert_reports(findings: list[Finding]) -> None:
    for finding in findings:
        assert isinstance(finding.severity, Severity)
        assert finding.message and finding.id[:4] in ("DOCK", "DEPS", "IGNO")
        assert finding.line is None or finding.line >= 1


@FUZZ
@given(dockerfiles)
def test_parser_never_raises(text: str) -> None:
    df = parse_dockerfile(text)
    assert df.stages or df.errors
    for stage in df.stages:
        assert stage.instructions[0].keyword == "FROM"
        for ins in stage.instructions:
            assert 1 <= ins.line <= ins.end_line


@FUZZ
@given(
    dockerfile=dockerfiles,
    start=st.text(max_size=120) | structured,
    dockerignore=st.text(max_size=80)
    | st.lists(
        st.sampled_from(["*", "!app.py", "**/*.py", "src", "[", "\\", "/", ".."]), max_size=5
    ).map("\n".join),
    port=st.integers(min_value=1, max_value=70000),
)
def test_docker_checks_never_raise(
    dockerfile: str, start: str, dockerignore: str, port: int
) -> None:
    files = {
        "Dockerfile": dockerfile,
        "start.sh": start,
        "app.py": start,
        ".dockerignore": dockerignore,
        "requirements.txt": "flask\n",
        "nginx.conf": start,
        "package.json": json.dumps({"scripts": {"start": start}}),
    }
    ctx = context(files, app_port=port)
    assert_reports([f for check in DOCKER_CHECKS for f in check(ctx)])


requirement_lines = st.lists(
    st.sampled_from(
        [
            "flask",
            "-r",
            "-e",
            ".",
            "--hash=sha256:x",
            "numpy>=1,<2",
            "; python_version<'3'",
            "git+https://x/y",
            "./w.whl",
            "-c",
            "c.txt",
            "#",
            "\\",
            "--index-url",
            "x @ https://a/b.whl",
            "[extra]",
            "==",
            "\n",
            "-rreq.txt",
            "../up",
        ]
    ),
    max_size=12,
).map(" ".join)


@FUZZ
@given(
    requirements=st.text(max_size=200) | requirement_lines,
    packages=st.text(max_size=100),
    sdk=st.sampled_from(["docker", "gradio", None]),
)
def test_deps_checks_never_raise(requirements: str, packages: str, sdk: str | None) -> None:
    files = {
        "requirements.txt": requirements,
        "req.txt": requirements,
        "c.txt": requirements,
        "packages.txt": packages,
        "pre-requirements.txt": packages,
        "Dockerfile": "FROM python:3.12\nRUN pip install -r req.txt\n",
    }
    assert_reports([f for check in DEPS_CHECKS for f in check(context(files, sdk=sdk))])


@FUZZ
@given(
    stage=st.sampled_from(["BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", ""]),
    build=st.lists(st.text(max_size=120), max_size=20),
    run=st.lists(st.text(max_size=120), max_size=20),
    message=st.none() | st.text(max_size=80),
)
def test_explain_failure_never_raises(
    stage: str, build: list[str], run: list[str], message: str | None
) -> None:
    explanation = explain_failure(stage, build, run, message)
    assert explanation.summary
    assert len(explanation.lines) <= 8
