"""The emulator's own Dockerfile and front-matter readers, and how the app is told from the command."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.emulator.clock import ManualClock
from tui.emulator.life_config import SpaceConfig, read_config
from tui.emulator.life_dockerfile import (
    canonical_image,
    logical_lines,
    parse_dockerfile,
    parse_env_args,
)
from tui.emulator.life_steps import ImageFacts
from tui.emulator.lifecycle import INTERMEDIATE, SpaceLife
from tui.emulator.runlogs import detect_app


def test_continuations_keep_indentation_and_drop_comment_lines() -> None:
    text = "FROM python:3.11\nRUN apt-get update && \\\n    # a comment inside\n    apt-get install -y git\n\n# trailing\nCMD python app.py\n"
    assert logical_lines(text) == [
        (1, "FROM python:3.11"),
        (2, "RUN apt-get update &&     apt-get install -y git"),
        (7, "CMD python app.py"),
    ]


def test_escape_directive_switches_the_continuation_character() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n    c:\\\n"
    assert logical_lines(text)[-1] == (3, "RUN dir     c:\\")


def test_stages_flags_and_exec_forms() -> None:
    dockerfile = parse_dockerfile(
        "ARG PY=3.12\nFROM python:${PY}-slim AS builder\nRUN --mount=type=cache,target=/root/.cache pip install x\n"
        'FROM python:3.12-slim\nCOPY --from=builder --chown=1000 /app /app\nENTRYPOINT ["python"]\nCMD ["app.py"]\n'
    )
    assert [stage.base for stage in dockerfile.stages] == ["python:3.12-slim", "python:3.12-slim"]
    assert dockerfile.stages[0].name == "builder"
    run = dockerfile.stages[0].steps[0]
    assert run.flags_and_rest() == ({"mount": "type=cache,target=/root/.cache"}, "pip install x")
    assert run.shell_command() == "pip install x"
    copy = dockerfile.stages[1].steps[0]
    assert copy.flags_and_rest()[0] == {"from": "builder", "chown": "1000"}
    assert copy.argv() == ["/app", "/app"]
    cmd = dockerfile.last("CMD")
    assert cmd is not None and cmd.exec_form() == ["app.py"]


def test_env_forms() -> None:
    assert parse_env_args('A=1 B="two words"') == {"A": "1", "B": "two words"}
    assert parse_env_args("LEGACY some value") == {"LEGACY": "some value"}


@pytest.mark.parametrize(
    ("base", "echoed"),
    [
        ("python:3.11-slim", "docker.io/library/python:3.11-slim"),
        ("python", "docker.io/library/python:latest"),
        ("nginx:alpine", "docker.io/library/nginx:alpine"),
        ("user/image:1", "docker.io/user/image:1"),
        ("ghcr.io/org/img:latest", "ghcr.io/org/img:latest"),
        ("python:3.10@sha256:abc", "docker.io/library/python:3.10@sha256:abc"),
    ],
)
def test_images_are_echoed_the_way_buildkit_names_them(base: str, echoed: str) -> None:
    assert canonical_image(base) == echoed


def test_front_matter_settings() -> None:
    config = read_config(
        {
            "README.md": b"---\nsdk: gradio\napp_port: 8080\nsdk_version: 5.0.1\nstartup_duration_timeout: 1h\n---\n"
        }
    )
    assert config == SpaceConfig(
        sdk="gradio", app_port=8080, sdk_version="5.0.1", startup_timeout=3600.0
    )
    assert isinstance(config, SpaceConfig) and config.startup_timeout_text == "60 min"


def image(*argv: str, **env: str) -> ImageFacts:
    return ImageFacts(cmd=list(argv), env=dict(env), workdir="/app")


@pytest.mark.parametrize(
    ("argv", "kind", "host", "port"),
    [
        (("uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"), "uvicorn", "0.0.0.0", 7860),
        (("uvicorn", "app:app"), "uvicorn", "127.0.0.1", 8000),
        (("fastapi", "run", "app.py", "--port", "7860"), "uvicorn", "0.0.0.0", 7860),
        (("gunicorn", "-b", "0.0.0.0:7860", "app:app"), "gunicorn", "0.0.0.0", 7860),
        (
            ("streamlit", "run", "app.py", "--server.port=7860", "--server.address=0.0.0.0"),
            "streamlit",
            "0.0.0.0",
            7860,
        ),
        (("python", "-m", "http.server", "7860"), "http.server", "0.0.0.0", 7860),
        (
            ("/bin/sh", "-c", "uvicorn app:app --host 0.0.0.0 --port ${PORT:-7860}"),
            "uvicorn",
            "0.0.0.0",
            7860,
        ),
    ],
)
def test_the_app_and_its_address_come_from_the_command(
    argv: tuple[str, ...], kind: str, host: str, port: int
) -> None:
    app = detect_app(image(*argv), SpaceConfig(sdk="docker"), {"app.py": b""})
    assert (app.kind, app.host, app.port) == (kind, host, port)


def test_a_python_script_is_read_for_what_it_serves() -> None:
    files = {
        "app.py": b'import gradio as gr\ngr.Interface(f, "text", "text").launch(server_name="0.0.0.0")\n'
    }
    app = detect_app(image("python", "app.py"), SpaceConfig(sdk="docker"), files)
    assert (app.kind, app.host, app.port) == ("gradio", "0.0.0.0", 7860)
    files = {"main.py": b'import uvicorn\nuvicorn.run(app, host="0.0.0.0", port=7860)\n'}
    app = detect_app(image("python", "main.py"), SpaceConfig(sdk="docker"), files)
    assert (app.kind, app.port) == ("uvicorn", 7860) and app.reachable(7860)
    assert (
        detect_app(image("python", "gone.py"), SpaceConfig(sdk="docker"), files).kind
        == "missing-file"
    )
    assert detect_app(image(), SpaceConfig(sdk="docker"), files).kind == "repl"


_WORDS = st.sampled_from(
    [
        "FROM",
        "RUN",
        "COPY",
        "CMD",
        "ENTRYPOINT",
        "USER",
        "ENV",
        "WORKDIR",
        "ARG",
        "ADD",
        "python:3.11",
        "uv",
        "pip",
        "install",
        "-r",
        "requirements.txt",
        "--system",
        "venv",
        ".",
        "app.py",
        "\\\n",
        "&&",
        '"',
        "'",
        "[",
        "]",
        "$X",
        "${Y:-7}",
        "--port",
        "8000",
        "uvicorn",
        "-b",
        "apt-get",
        "-y",
        "\n",
        "#",
        "=",
        "--mount=target=a,source=b",
        "-m",
        "http.server",
        "--from=x",
        "\x1b[31m",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    dockerfile=st.lists(_WORDS, max_size=40).map(" ".join),
    readme=st.one_of(st.just("---\nsdk: docker\n---\n"), st.text(max_size=60)),
    requirements=st.text(max_size=60),
)
def test_any_repo_content_ends_in_a_stage_without_raising(
    dockerfile: str, readme: str, requirements: str
) -> None:
    """Malformed Dockerfiles, READMEs and requirements become stages and logs, never exceptions."""
    clock = ManualClock()
    life = SpaceLife("alice/fuzz", "docker", clock, 1000.0)
    files = {"README.md": readme, "Dockerfile": dockerfile, "requirements.txt": requirements}
    life.on_commit(
        {name: text.encode("utf-8", "surrogatepass") for name, text in files.items()}, "f" * 40
    )
    clock.advance(120)
    assert life.runtime()["stage"] not in INTERMEDIATE
    for kind in ("build", "run"):
        assert all(line.text.endswith("\n") for line in life.log(kind).events_until(clock.now()))
    life.restart(factory=True)
    life.pause()
    assert life.runtime()["stage"] == "PAUSED"
