"""DOCKER001-021 and DOCKER025: for every id a Space that trips it and a close one that does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_checks import DOCKER_CHECKS
from tui.domain.checks.findings import Finding, Severity

GOOD = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd -m -u 1000 user
USER user
ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH
WORKDIR $HOME/app
COPY --chown=user requirements.txt .
RUN pip install --no-cache-dir --user -r requirements.txt
COPY --chown=user . .
EXPOSE 7860
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]
"""

BASE_FILES = {
    "README.md": "---\nsdk: docker\n---\n",
    "requirements.txt": "fastapi\nuvicorn\n",
    "app.py": "app = None\n",
}


def make_ctx(
    root: Path,
    files: dict[str, str],
    *,
    sdk: str | None = "docker",
    app_port: int = 7860,
    excluded: dict[str, str] | None = None,
) -> CheckContext:
    for path, text in files.items():
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(text)
    sizes = {path: len(text.encode()) for path, text in files.items()}
    return CheckContext(root=root, files=sizes, excluded=excluded or {}, sdk=sdk, app_port=app_port)


def run_all(ctx: CheckContext) -> list[Finding]:
    return [f for check in DOCKER_CHECKS for f in check(ctx)]


def good_with(*replacements: tuple[str, str]) -> str:
    text = GOOD
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def uv_image(*replacements: tuple[str, str]) -> str:
    """good_with(...) plus uv copied in right after FROM (line 2), as uv's docs suggest."""
    return good_with(
        ("FROM python:3.12-slim\n", f"FROM python:3.12-slim\n{UV_COPY}\n"), *replacements
    )


UV_COPY = "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/"


def test_the_good_dockerfile_is_clean(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": GOOD})
    assert run_all(ctx) == []


USER_LINE = "RUN useradd -m -u 1000 user\n"

# (id, Dockerfile text, extra files, expected severity or None for "must not report", line)
CASES = [
    # DOCKER002: parses, has a FROM
    ("DOCKER002", "RUN echo hi\n", {}, Severity.ERROR, 1),
    ("DOCKER002", good_with(("EXPOSE 7860\n", "EXPOSE 7860\nINSTALL x\n")), {}, Severity.ERROR, 11),
    ("DOCKER002", GOOD, {}, None, None),
    # DOCKER003: base image
    ("DOCKER003", good_with(("python:3.12-slim", "python")), {}, Severity.INFO, 1),
    ("DOCKER003", good_with(("python:3.12-slim", "python:3.8-slim")), {}, Severity.WARNING, 1),
    (
        "DOCKER003",
        good_with(("FROM python", "FROM --platform=linux/arm64 python")),
        {},
        Severity.ERROR,
        1,
    ),
    ("DOCKER003", good_with(("FROM python", "FROM --platform=linux/amd64 python")), {}, None, None),
    # DOCKER004: uid 1000 user
    ("DOCKER004", good_with((USER_LINE, "RUN useradd -m user\n")), {}, Severity.INFO, 4),
    ("DOCKER004", good_with(("python:3.12-slim", "node:22-slim")), {}, Severity.ERROR, 3),
    (
        "DOCKER004",
        good_with(
            ("python:3.12-slim", "node:22-slim"),
            (USER_LINE, "RUN userdel -r node && useradd -m -u 1000 user\n"),
        ),
        {},
        None,
        None,
    ),
    (
        "DOCKER004",
        good_with((USER_LINE, "RUN adduser --uid 1000 --disabled-password user\n")),
        {},
        None,
        None,
    ),
    # DOCKER005: last USER non-root
    (
        "DOCKER005",
        good_with(("EXPOSE 7860\n", "USER root\nEXPOSE 7860\n")),
        {},
        Severity.WARNING,
        10,
    ),
    (
        "DOCKER005",
        'FROM python:3.12-slim\nCOPY . .\nCMD ["python", "app.py"]\n',
        {},
        Severity.INFO,
        1,
    ),
    ("DOCKER005", good_with(("USER user\n", "USER 1000\n")), {}, None, None),
    # DOCKER006: USER / --chown names an existing user
    ("DOCKER006", good_with(("USER user\n", "USER appuser\n")), {}, Severity.ERROR, 4),
    (
        "DOCKER006",
        good_with(("COPY --chown=user requirements", "COPY --chown=app:app requirements")),
        {},
        Severity.ERROR,
        7,
    ),
    (
        "DOCKER006",
        good_with(("COPY --chown=user requirements", "COPY --chown=1000:1000 requirements")),
        {},
        None,
        None,
    ),
    # DOCKER007: COPY without --chown once the user exists
    ("DOCKER007", good_with(("COPY --chown=user . .", "COPY . .")), {}, Severity.INFO, 9),
    ("DOCKER007", GOOD, {}, None, None),
    # DOCKER008: chown -R after COPY
    (
        "DOCKER008",
        good_with(
            (
                "COPY --chown=user . .",
                "COPY --chown=user . .\nRUN chown -R user:user /home/user/app",
            )
        ),
        {},
        Severity.INFO,
        10,
    ),
    (
        "DOCKER008",
        good_with(
            ("EXPOSE 7860\n", "RUN mkdir -p /tmp/cache && chmod -R 777 /tmp/cache\nEXPOSE 7860\n")
        ),
        {},
        None,
        None,
    ),
    # DOCKER009: HOME and ~/.local/bin on PATH
    (
        "DOCKER009",
        good_with(("ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH\n", "")),
        {},
        Severity.WARNING,
        7,
    ),
    (
        "DOCKER009",
        good_with(("PATH=/home/user/.local/bin:$PATH", "PATH=/usr/local/bin:$PATH")),
        {},
        Severity.WARNING,
        8,
    ),
    ("DOCKER009", GOOD, {}, None, None),
    # DOCKER010: WORKDIR owned by the user
    (
        "DOCKER010",
        good_with(("WORKDIR $HOME/app\n", ""), ("USER user\n", "WORKDIR /app\nUSER user\n")),
        {},
        Severity.INFO,
        4,
    ),
    (
        "DOCKER010",
        good_with(
            ("WORKDIR $HOME/app\n", ""),
            ("USER user\n", "WORKDIR /app\nRUN chown user /app\nUSER user\n"),
        ),
        {},
        None,
        None,
    ),
    # DOCKER011: pip --user as root
    (
        "DOCKER011",
        good_with(("USER user\n", ""), ("EXPOSE", "USER user\nEXPOSE")),
        {},
        Severity.ERROR,
        7,
    ),
    ("DOCKER011", GOOD, {}, None, None),
    # DOCKER012: uv pip install without a target; after USER; uv sync without its venv
    # (uv_image: GOOD with uv copied in at line 2, so the RUN lines move down by one)
    (
        "DOCKER012",
        uv_image(("RUN pip install --no-cache-dir --user", "RUN uv pip install --no-cache")),
        {},
        Severity.ERROR,
        9,
    ),
    (
        "DOCKER012",
        uv_image(
            ("RUN pip install --no-cache-dir --user", "RUN uv pip install --system --no-cache")
        ),
        {},
        Severity.ERROR,
        9,
    ),
    (
        "DOCKER012",
        uv_image(
            ("USER user\n", ""),
            ("RUN pip install --no-cache-dir --user", "RUN uv pip install --system --no-cache"),
            ("EXPOSE", "USER user\nEXPOSE"),
        ),
        {},
        None,
        None,
    ),
    (
        "DOCKER012",
        uv_image(("RUN pip install --no-cache-dir --user", "RUN uv venv && uv pip install")),
        {},
        None,
        None,
    ),
    (
        "DOCKER012",
        uv_image(
            ("RUN pip install --no-cache-dir --user -r requirements.txt", "RUN uv sync --frozen"),
            ('CMD ["uvicorn"', 'CMD ["python", "-m", "uvicorn"'),
        ),
        {},
        Severity.ERROR,
        12,
    ),
    (
        "DOCKER012",
        uv_image(
            ("RUN pip install --no-cache-dir --user -r requirements.txt", "RUN uv sync --frozen"),
            ('CMD ["uvicorn"', 'CMD ["uv", "run", "uvicorn"'),
        ),
        {},
        None,
        None,
    ),
    # DOCKER012 first of all: uv called where the image has none (python:3.12-slim)
    (
        "DOCKER012",
        good_with(("RUN pip install --no-cache-dir --user", "RUN uv venv && uv pip install")),
        {},
        Severity.ERROR,
        8,
    ),
    # DOCKER013: pip cache
    (
        "DOCKER013",
        good_with(("pip install --no-cache-dir --user", "pip install --user")),
        {},
        Severity.INFO,
        8,
    ),
    (
        "DOCKER013",
        good_with(
            (
                "RUN pip install --no-cache-dir --user",
                "RUN --mount=type=cache,target=/home/user/.cache/pip pip install --user",
            )
        ),
        {},
        None,
        None,
    ),
    # DOCKER014: apt-get -y
    (
        "DOCKER014",
        good_with(
            (
                "apt-get install -y --no-install-recommends",
                "apt-get install --no-install-recommends",
            )
        ),
        {},
        Severity.ERROR,
        2,
    ),
    (
        "DOCKER014",
        good_with(
            (
                "apt-get install -y --no-install-recommends",
                "apt-get install -qq --no-install-recommends",
            )
        ),
        {},
        None,
        None,
    ),
    (
        "DOCKER014",
        good_with(
            (
                "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
                "RUN <<EOF\napt-get update\napt-get install curl\nEOF",
            )
        ),
        {},
        Severity.ERROR,
        2,
    ),
    # DOCKER015: apt hygiene
    (
        "DOCKER015",
        good_with(("apt-get update && apt-get install", "apt-get install")),
        {},
        Severity.WARNING,
        2,
    ),
    (
        "DOCKER015",
        good_with(("EXPOSE", "RUN apt-get update && apt-get install -y git\nEXPOSE")),
        {},
        Severity.ERROR,
        10,
    ),
    ("DOCKER015", GOOD, {}, None, None),
    # DOCKER016: secrets in ARG/ENV
    (
        "DOCKER016",
        good_with(("FROM python:3.12-slim\n", "FROM python:3.12-slim\nARG HF_TOKEN\n")),
        {},
        Severity.WARNING,
        2,
    ),
    (
        "DOCKER016",
        good_with(
            (
                "FROM python:3.12-slim\n",
                "FROM python:3.12-slim\nENV OPENAI_API_KEY=sk-live-123456789\n",
            )
        ),
        {},
        Severity.ERROR,
        2,
    ),
    (
        "DOCKER016",
        good_with(
            (
                "FROM python:3.12-slim\n",
                "FROM python:3.12-slim\nENV KEYBOARD_LAYOUT=us MODEL_ID=gpt2\n",
            )
        ),
        {},
        None,
        None,
    ),
    # A placeholder ENV is read at run time, where the Space secret replaces it: info. The same
    # placeholder as an ARG default still means an empty build arg: warning.
    (
        "DOCKER016",
        good_with(
            (
                "FROM python:3.12-slim\n",
                'FROM python:3.12-slim\nENV API_KEY="your_api_key_here"\n',
            )
        ),
        {},
        Severity.INFO,
        2,
    ),
    (
        "DOCKER016",
        good_with(
            (
                "FROM python:3.12-slim\n",
                'FROM python:3.12-slim\nARG API_KEY="your_api_key_here"\n',
            )
        ),
        {},
        Severity.WARNING,
        2,
    ),
    # DOCKER018: host and port vs app_port
    ("DOCKER018", good_with(('"--host", "0.0.0.0", ', "")), {}, Severity.ERROR, 11),
    ("DOCKER018", good_with(('"--port", "7860"', '"--port", "8000"')), {}, Severity.ERROR, 11),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                "CMD gunicorn -b 0.0.0.0:7860 app:app",
            )
        ),
        {},
        None,
        None,
    ),
    (
        "DOCKER018",
        good_with(
            ('CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]', "CMD flask run")
        ),
        {},
        Severity.ERROR,
        11,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["streamlit", "run", "app.py"]',
            )
        ),
        {},
        Severity.ERROR,
        11,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["streamlit", "run", "app.py", "--server.port", "7860"]',
            )
        ),
        {},
        None,
        None,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                "ENV PORT=7860\nCMD uvicorn app:app --host 0.0.0.0 --port ${PORT}",
            )
        ),
        {},
        None,
        None,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["python", "app.py"]',
            )
        ),
        {"app.py": "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch()\n"},
        Severity.ERROR,
        11,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["python", "app.py"]',
            )
        ),
        {
            "app.py": "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(server_name='0.0.0.0', server_port=7860)\n"
        },
        None,
        None,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["node", "server.js"]',
            )
        ),
        {},
        Severity.INFO,
        11,
    ),
    (
        "DOCKER018",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["bash", "start.sh"]',
            )
        ),
        {"start.sh": "#!/bin/sh\n# start\nexec uvicorn app:app --host 127.0.0.1 --port 7860\n"},
        Severity.ERROR,
        11,
    ),
    # DOCKER019: EXPOSE vs app_port
    ("DOCKER019", good_with(("EXPOSE 7860", "EXPOSE 8080")), {}, Severity.WARNING, 10),
    ("DOCKER019", good_with(("EXPOSE 7860", "EXPOSE 7860/tcp 9000")), {}, None, None),
    # DOCKER020: a start command
    (
        "DOCKER020",
        good_with(('CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n', "")),
        {},
        Severity.ERROR,
        1,
    ),
    ("DOCKER020", GOOD, {}, None, None),
    # DOCKER021: COPY sources exist
    (
        "DOCKER021",
        good_with(("COPY --chown=user . .", "COPY --chown=user config.yaml .")),
        {},
        Severity.ERROR,
        9,
    ),
    (
        "DOCKER021",
        good_with(("COPY --chown=user . .", "COPY --chown=user src/*.py ./")),
        {"src/main.py": "x = 1\n"},
        None,
        None,
    ),
    (
        "DOCKER021",
        good_with(("COPY --chown=user . .", "COPY --chown=user src/*.py ./")),
        {"src/main.txt": "x\n"},
        Severity.ERROR,
        9,
    ),
    (
        "DOCKER021",
        good_with(("COPY --chown=user . .", "ADD --chown=user https://example.com/x.tar.gz .")),
        {},
        None,
        None,
    ),
    # DOCKER025: exec bit
    (
        "DOCKER025",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["./start.sh"]',
            )
        ),
        {"start.sh": "exec uvicorn app:app --host 0.0.0.0 --port 7860\n"},
        Severity.WARNING,
        11,
    ),
    (
        "DOCKER025",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'RUN chmod +x start.sh\nCMD ["./start.sh"]',
            )
        ),
        {"start.sh": "exec uvicorn app:app --host 0.0.0.0 --port 7860\n"},
        None,
        None,
    ),
    (
        "DOCKER025",
        good_with(
            (
                'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
                'CMD ["bash", "start.sh"]',
            )
        ),
        {"start.sh": "exec uvicorn app:app --host 0.0.0.0 --port 7860\n"},
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("check_id", "dockerfile", "extra", "severity", "line"),
    CASES,
    ids=[f"{c[0]}-{'fails' if c[3] else 'passes'}-{i}" for i, c in enumerate(CASES)],
)
def test_docker_check(
    tmp_path: Path,
    check_id: str,
    dockerfile: str,
    extra: dict[str, str],
    severity: Severity | None,
    line: int | None,
) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, **extra, "Dockerfile": dockerfile})
    found = [f for f in run_all(ctx) if f.id == check_id]
    if severity is None:
        assert found == []
        return
    assert [(f.severity, f.line) for f in found][:1] == [(severity, line)], found
    assert all(f.file == "Dockerfile" for f in found)


def test_every_docker_id_has_a_failing_and_a_passing_case() -> None:
    ids = {f"DOCKER{n:03d}" for n in [*range(1, 22), 25]} - {"DOCKER001", "DOCKER017"}
    failing = {c[0] for c in CASES if c[3] is not None}
    passing = {c[0] for c in CASES if c[3] is None}
    assert ids <= failing
    assert ids <= passing


# DOCKER017 (secret mount ids) is not in this engineer's list; DOCKER001 needs a folder without a
# Dockerfile, so it has its own tests.


def test_docker001_missing_dockerfile_suggests_the_near_miss(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, "docker/Dockerfile": GOOD})
    found = run_all(ctx)
    assert [(f.id, f.severity) for f in found] == [("DOCKER001", Severity.ERROR)]
    assert "docker/Dockerfile" in found[0].message


def test_docker001_names_the_exclude_that_dropped_it(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, BASE_FILES, excluded={"Dockerfile": ".hfignore line 3: Docker*"})
    found = run_all(ctx)
    assert [f.id for f in found] == ["DOCKER001"]
    assert ".hfignore line 3" in found[0].message


def test_docker001_passes_with_a_dockerfile(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": GOOD})
    assert not [f for f in run_all(ctx) if f.id == "DOCKER001"]


def test_docker_checks_skip_other_sdks(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": "RUN nonsense\n"}, sdk="gradio")
    assert run_all(ctx) == []


def test_docker_checks_run_without_sdk_when_a_dockerfile_is_there(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": "RUN nonsense\n"}, sdk=None)
    assert "DOCKER002" in {f.id for f in run_all(ctx)}


def test_app_port_from_the_card_is_used(tmp_path: Path) -> None:
    text = good_with(('"--port", "7860"', '"--port", "8000"'), ("EXPOSE 7860", "EXPOSE 8000"))
    ctx = make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text}, app_port=8000)
    assert run_all(ctx) == []


def test_secret_value_is_never_echoed(tmp_path: Path) -> None:
    secret = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"
    text = good_with(("FROM python:3.12-slim\n", f"FROM python:3.12-slim\nARG HF_TOKEN={secret}\n"))
    ctx = make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text})
    found = [f for f in run_all(ctx) if f.id == "DOCKER016"]
    assert found and all(secret not in f.message for f in found)


def test_uid_collision_on_node_base(tmp_path: Path) -> None:
    text = good_with(("python:3.12-slim", "node:22-slim"))
    found = [
        f
        for f in run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text}))
        if f.id == "DOCKER004"
    ]
    assert "not unique" in found[0].message and "USER node" in found[0].message


def test_multi_stage_only_the_final_stage_is_the_runtime(tmp_path: Path) -> None:
    builder = "FROM python:3.12 AS builder\nRUN pip install --user build\n"
    text = builder + GOOD.replace(
        "COPY --chown=user requirements.txt .", "COPY --from=builder /root/.local /opt/x"
    )
    found = {f.id for f in run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text}))}
    # pip --user as root in the builder stage is not the runtime's problem; the final stage is clean.
    assert found == set()


def test_final_stage_built_from_an_earlier_stage_inherits_its_user(tmp_path: Path) -> None:
    text = (
        "FROM python:3.12-slim AS base\n"
        "RUN useradd -m -u 1000 user\n"
        "USER user\n"
        "ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH\n"
        "WORKDIR $HOME/app\n"
        "FROM base\n"
        "COPY --chown=user . .\n"
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
    )
    assert run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text})) == []


PYTHON_CMD = good_with(
    (
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
        'CMD ["python", "app.py"]',
    )
)


@pytest.mark.parametrize(
    ("app", "severity"),
    [
        ("from flask import Flask\napp = Flask(__name__)\napp.run()\n", Severity.ERROR),
        (
            "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', port=7860)\n",
            None,
        ),
        (
            "import os, uvicorn\nuvicorn.run('app:app', host='0.0.0.0', port=int(os.environ.get('PORT', 7860)))\n",
            None,
        ),
        ("import uvicorn\nuvicorn.run('app:app', port=7860)\n", Severity.ERROR),
        # subprocess.run is not a server, even in a file that mentions flask
        ("import subprocess  # flask\nsubprocess.run(['flask', '--version'])\n", Severity.INFO),
        ("def broken(:\n", Severity.INFO),
    ],
)
def test_docker018_reads_python_app_files(
    tmp_path: Path, app: str, severity: Severity | None
) -> None:
    ctx = make_ctx(tmp_path, {**BASE_FILES, "app.py": app, "Dockerfile": PYTHON_CMD})
    found = [f.severity for f in run_all(ctx) if f.id == "DOCKER018"]
    assert found == ([severity] if severity else [])


def test_user_names_through_build_args(tmp_path: Path) -> None:
    text = GOOD.replace(
        "FROM python:3.12-slim\n", "FROM python:3.12-slim\nARG NAME=user\n"
    ).replace("USER user\n", "USER $NAME\n")
    found = {f.id for f in run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text}))}
    assert "DOCKER006" not in found
    typo = text.replace("ARG NAME=user", "ARG NAME=usr")
    found = [
        f
        for f in run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": typo}))
        if f.id == "DOCKER006"
    ]
    assert found and "USER usr" in found[0].message


def test_docker010_home_subdir_created_as_root_is_still_root_owned(tmp_path: Path) -> None:
    text = GOOD.replace("WORKDIR $HOME/app\n", "").replace(
        "USER user\n", "WORKDIR /home/user/app\nUSER user\n"
    )
    found = [
        f
        for f in run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": text}))
        if f.id == "DOCKER010"
    ]
    assert [f.line for f in found] == [4]
    # The home itself was made by `useradd -m` and belongs to the user, even if WORKDIR ran as root.
    home = GOOD.replace("WORKDIR $HOME/app\n", "").replace(
        "USER user\n", "WORKDIR /home/user\nUSER user\n"
    )
    assert not [
        f
        for f in run_all(make_ctx(tmp_path, {**BASE_FILES, "Dockerfile": home}))
        if f.id == "DOCKER010"
    ]


def test_docker018_names_the_script_it_read(tmp_path: Path) -> None:
    text = good_with(
        (
            'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
            'CMD ["bash", "scripts/run.sh"]',
        )
    )
    script = "#!/bin/bash\nset -e\npython -m uvicorn app:app --port 8000 &\nwait\n"
    ctx = make_ctx(tmp_path, {**BASE_FILES, "scripts/run.sh": script, "Dockerfile": text})
    (finding,) = [f for f in run_all(ctx) if f.id == "DOCKER018"]
    assert "uvicorn (in scripts/run.sh) listens on host 127.0.0.1" in finding.message
    assert "port 8000 while app_port is 7860" in finding.message


@pytest.mark.parametrize(
    ("start", "severity"),
    [
        ("next start -p 7860", None),
        ("next start", Severity.ERROR),  # 3000
        ("vite preview --host --port 7860", None),
        ("vite preview --port 7860", Severity.ERROR),  # localhost
        ("node server.js", Severity.INFO),
    ],
)
def test_docker018_reads_package_json_scripts(
    tmp_path: Path, start: str, severity: Severity | None
) -> None:
    dockerfile = good_with(
        (
            'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
            'CMD ["npm", "start"]',
        )
    )
    package = json.dumps({"scripts": {"start": start}})
    ctx = make_ctx(tmp_path, {**BASE_FILES, "package.json": package, "Dockerfile": dockerfile})
    found = [f for f in run_all(ctx) if f.id == "DOCKER018"]
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity is Severity.ERROR:
        assert "package.json script 'start'" in found[0].message


def test_docker012_fix_after_user_is_a_move_not_a_flag_that_fails_again(tmp_path: Path) -> None:
    """Following the suggested fix must not trade one DOCKER012 for another."""
    dockerfile = uv_image(
        ("RUN pip install --no-cache-dir --user", "RUN uv pip install --no-cache")
    )
    findings = run_all(make_ctx(tmp_path, {"Dockerfile": dockerfile, "requirements.txt": "x\n"}))
    [found] = [f for f in findings if f.id == "DOCKER012"]
    assert "before USER user" in found.message
    assert "Write RUN uv pip install --system" not in found.message
