"""SpaceLife on a ManualClock: stage sequences, each failure mode, pause/restart/factory/sleep/hardware."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tui.emulator.clock import ManualClock
from tui.emulator.lifecycle import LogFeed, LogLine, SpaceLife

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LOG_FIXTURES = FIXTURES / "logs"

README = b"---\ntitle: Demo\nemoji: \xf0\x9f\x9a\x80\ncolorFrom: blue\ncolorTo: red\nsdk: docker\n---\n\nHello\n"
APP = b'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/items/{item_id}")\ndef item(item_id: int) -> int:\n    return item_id\n'
DOCKERFILE = b"""# syntax=docker/dockerfile:1
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1
RUN useradd -m -u 1000 user
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir \\
    -r requirements.txt
COPY . .
USER user
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]
"""


def docker_files(dockerfile: bytes = DOCKERFILE, **extra: bytes) -> dict[str, bytes]:
    files = {
        "README.md": README,
        "Dockerfile": dockerfile,
        "app.py": APP,
        "requirements.txt": b"fastapi==0.115.6\nuvicorn\n",
    }
    files.update({name.replace("__", "."): data for name, data in extra.items()})
    return files


def make_life(speed: float = 1.0, sdk: str = "docker") -> tuple[SpaceLife, ManualClock]:
    clock = ManualClock()
    return SpaceLife("alice/my_space", sdk, clock, speed), clock


def stages(life: SpaceLife, clock: ManualClock, seconds: float, step: float = 0.25) -> list[str]:
    """The distinct stages seen while the clock runs `seconds`, in order."""
    seen = [life.runtime()["stage"]]
    for _ in range(int(seconds / step)):
        clock.advance(step)
        stage = life.runtime()["stage"]
        if stage != seen[-1]:
            seen.append(stage)
    return seen


def advance_until(life: SpaceLife, clock: ManualClock, stage: str, limit: float = 4000.0) -> float:
    """Advance until `stage`; returns the simulated seconds it took."""
    waited = 0.0
    while life.runtime()["stage"] != stage:
        assert waited < limit, f"still {life.runtime()['stage']} after {limit}s"
        clock.advance(0.5)
        waited += 0.5
    return waited


def texts(feed: LogFeed, t: float) -> list[str]:
    return [line.text for line in feed.events_until(t)]


def uv_error_text() -> str:
    """uv's exact message, as error-texts.md records it."""
    text = (LOG_FIXTURES / "error-texts.md").read_text()
    return next(
        line.strip()
        for line in text.splitlines()
        if line.strip().startswith("error: No virtual environment found")
    )


# -- the happy path -----------------------------------------------------------------------------


def test_new_space_has_no_app_file_and_no_hardware() -> None:
    life, _ = make_life()
    runtime = life.runtime()
    assert runtime["stage"] == "NO_APP_FILE"
    assert runtime["hardware"] == {"current": None, "requested": "cpu-basic"}


def test_commit_builds_then_starts_then_runs() -> None:
    life, clock = make_life()
    life.on_commit(docker_files(), "a" * 40)
    assert life.runtime()["stage"] == "BUILDING"
    assert life.runtime()["hardware"]["current"] is None
    build_time = advance_until(life, clock, "APP_STARTING")
    start_time = advance_until(life, clock, "RUNNING")
    # Hub-realistic at speed 1: a small Docker build takes tens of seconds, start-up a few.
    assert 15 <= build_time <= 90
    assert 2 <= start_time <= 15
    runtime = life.runtime()
    assert runtime["hardware"] == {"current": "cpu-basic", "requested": "cpu-basic"}
    assert runtime["replicas"] == {"requested": 1, "current": 1}
    assert "errorMessage" not in runtime


def test_stage_sequence_is_exactly_building_starting_running() -> None:
    life, clock = make_life(speed=50)
    life.on_commit(docker_files(), "b" * 40)
    assert stages(life, clock, 3.0, step=0.01) == ["BUILDING", "APP_STARTING", "RUNNING"]


def test_speed_divides_every_duration() -> None:
    slow, slow_clock = make_life(speed=1)
    fast, fast_clock = make_life(speed=50)
    for life in (slow, fast):
        life.on_commit(docker_files(), "c" * 40)
    slow_time = advance_until(slow, slow_clock, "RUNNING")
    fast_time = 0.0
    while fast.runtime()["stage"] != "RUNNING":
        fast_clock.advance(0.01)
        fast_time += 0.01
    assert fast_time == pytest.approx(slow_time / 50, abs=0.6)


def test_runtime_has_the_keys_and_types_of_the_real_building_payload() -> None:
    real = json.loads((FIXTURES / "hub" / "runtime.response-building.json").read_text())
    life, _ = make_life()
    life.on_commit(docker_files(), "d" * 40)
    ours = life.runtime()
    for key, value in real.items():
        assert key in ours
        assert type(ours[key]) is type(value), key
    assert ours["domains"] == [{"domain": "alice-my-space.hf.space", "stage": "READY"}]


# -- build logs ---------------------------------------------------------------------------------


def test_build_log_follows_the_dockerfile_steps_in_order() -> None:
    life, clock = make_life()
    life.on_commit(docker_files(), "e" * 40)
    advance_until(life, clock, "RUNNING")
    log = texts(life.log("build"), clock.now())
    headers = [text.rstrip("\n") for text in log if text.startswith("--> ")]
    assert headers == [
        "--> FROM docker.io/library/python:3.11-slim",
        "--> RUN useradd -m -u 1000 user",
        "--> WORKDIR /app",
        "--> COPY requirements.txt .",
        # The continuation is joined the way BuildKit echoes it: indentation kept.
        "--> RUN pip install --no-cache-dir     -r requirements.txt",
        "--> COPY . .",
        "--> Pushing image",
        "--> Exporting cache",
    ]
    assert log[0].startswith("===== Build Queued at ") and log[0].endswith(
        " / Commit SHA: eeeeeee =====\n"
    )
    assert "Collecting fastapi==0.115.6 (from -r requirements.txt (line 1))\n" in log
    assert any(
        text.startswith("Successfully installed ") and "fastapi-0.115.6" in text for text in log
    )


def test_every_build_step_ends_like_the_real_logs() -> None:
    """Each `-->` step ends with `DONE n.ns` or `CACHED` then a blank line, as in build-ok-*.txt."""
    done = re.compile(r"^ *(DONE \d+\.\d+s|CACHED)$")
    for fixture in sorted(LOG_FIXTURES.glob("build-ok-*.txt")):
        assert any(done.match(line) for line in fixture.read_text().splitlines()), fixture.name
    life, clock = make_life()
    life.on_commit(docker_files(), "f" * 40)
    advance_until(life, clock, "RUNNING")
    lines = [text.rstrip("\n") for text in texts(life.log("build"), clock.now())]
    starts = [index for index, line in enumerate(lines) if line.startswith("--> ")]
    ends = starts[1:] + [len(lines)]
    for start, end in zip(starts, ends, strict=True):
        assert done.match(lines[end - 2]), lines[start:end]
        assert lines[end - 1] == ""


def test_build_log_closes_when_the_build_ends_and_replays_identically() -> None:
    life, clock = make_life()
    life.on_commit(docker_files(), "1" * 40)
    feed = life.log("build")
    assert not feed.is_closed(clock.now())
    advance_until(life, clock, "APP_STARTING")
    assert feed.is_closed(clock.now())
    assert feed.next_time_after(clock.now()) is None
    first = feed.events_until(clock.now())
    assert first == feed.events_until(clock.now() + 1000)
    assert all(line.text.endswith("\n") for line in first)
    assert [line.time for line in first] == sorted(line.time for line in first)


def test_rebuild_reuses_cached_layers_and_factory_rebuild_does_not() -> None:
    life, clock = make_life()
    life.on_commit(docker_files(), "2" * 40)
    advance_until(life, clock, "RUNNING")
    changed = docker_files()
    changed["app.py"] = APP + b"\n# tweak\n"
    life.on_commit(changed, "3" * 40)
    advance_until(life, clock, "RUNNING")
    log = texts(life.log("build"), clock.now())
    # Steps before `COPY . .` are cached; the copy of the changed tree runs again.
    assert log.count("CACHED\n") == 4
    assert "--> Restoring cache\n" in log
    life.restart(factory=True)
    assert life.runtime()["stage"] == "BUILDING"
    advance_until(life, clock, "RUNNING")
    assert "CACHED\n" not in texts(life.log("build"), clock.now())


# -- failures -------------------------------------------------------------------------------------


UV_COPY = b"COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n"


def with_uv(dockerfile: bytes) -> bytes:
    """The Dockerfile with uv copied in after FROM, as uv's docs suggest."""
    return dockerfile.replace(b"FROM python:3.11-slim\n", b"FROM python:3.11-slim\n" + UV_COPY, 1)


def test_uv_without_system_fails_the_build_with_uvs_own_words() -> None:
    dockerfile = with_uv(
        DOCKERFILE.replace(b"pip install --no-cache-dir \\\n    -r", b"uv pip install -r")
    )
    life, clock = make_life()
    life.on_commit(docker_files(dockerfile), "4" * 40)
    advance_until(life, clock, "BUILD_ERROR")
    runtime = life.runtime()
    assert runtime["errorMessage"] == "Job failed with exit code: 2"
    assert runtime["hardware"]["current"] is None
    log = texts(life.log("build"), clock.now())
    assert uv_error_text() + "\n" in log
    assert log[-1] == (
        '--> ERROR: process "/bin/sh -c uv pip install -r requirements.txt" did not complete '
        "successfully: exit code: 2\n"
    )
    assert life.log("build").is_closed(clock.now())
    assert life.log("run").is_closed(clock.now())
    assert texts(life.log("run"), clock.now()) == []


def test_uv_with_system_after_user_switch_is_denied() -> None:
    dockerfile = with_uv(
        b'FROM python:3.11-slim\nRUN useradd -m -u 1000 user\nUSER user\nWORKDIR /home/user/app\nCOPY . .\nRUN uv pip install --system -r requirements.txt\nCMD ["python", "app.py"]\n'
    )
    life, clock = make_life()
    life.on_commit(docker_files(dockerfile), "5" * 40)
    advance_until(life, clock, "BUILD_ERROR")
    log = "".join(texts(life.log("build"), clock.now()))
    assert "Permission denied (os error 13)" in log
    assert "Using Python 3.11.11 environment at: /usr/local" in log


def test_uv_in_a_venv_or_as_root_with_system_builds() -> None:
    for step in (
        b"RUN uv venv && uv pip install -r requirements.txt",
        b"RUN uv pip install --system -r requirements.txt",
    ):
        dockerfile = with_uv(
            DOCKERFILE.replace(b"RUN pip install --no-cache-dir \\\n    -r requirements.txt", step)
        )
        life, clock = make_life(speed=50)
        life.on_commit(docker_files(dockerfile), "6" * 40)
        advance_until(life, clock, "RUNNING", limit=10)


def test_uv_that_was_never_installed_is_not_found_by_the_shell() -> None:
    # python:*-slim has no uv: the build stops before uv could say anything (QA case).
    dockerfile = DOCKERFILE.replace(b"pip install --no-cache-dir \\\n    -r", b"uv pip install -r")
    life, clock = make_life()
    life.on_commit(docker_files(dockerfile), "8" * 40)
    advance_until(life, clock, "BUILD_ERROR")
    assert life.runtime()["errorMessage"] == "Job failed with exit code: 127"
    log = texts(life.log("build"), clock.now())
    assert "/bin/sh: 1: uv: not found\n" in log
    assert not any("No virtual environment" in line for line in log)
    assert log[-1] == (
        '--> ERROR: process "/bin/sh -c uv pip install -r requirements.txt" did not complete '
        "successfully: exit code: 127\n"
    )


@pytest.mark.parametrize(
    "install",
    [
        b"RUN pip install uv && uv venv && uv pip install -r requirements.txt",
        b"RUN curl -LsSf https://astral.sh/uv/install.sh | sh && uv pip install --system -r requirements.txt",
        b"RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv pip install --system -r requirements.txt",
    ],
)
def test_uv_installed_in_the_same_step_or_mounted_builds(install: bytes) -> None:
    dockerfile = DOCKERFILE.replace(
        b"RUN pip install --no-cache-dir \\\n    -r requirements.txt", install
    )
    life, clock = make_life(speed=50)
    life.on_commit(docker_files(dockerfile), "9" * 40)
    advance_until(life, clock, "RUNNING", limit=10)


def test_a_mounted_uv_is_gone_in_the_next_step() -> None:
    mounted = b"RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv venv"
    dockerfile = DOCKERFILE.replace(
        b"RUN pip install --no-cache-dir \\\n    -r requirements.txt",
        mounted + b"\nRUN uv pip install -r requirements.txt",
    )
    life, clock = make_life()
    life.on_commit(docker_files(dockerfile), "a" * 40)
    advance_until(life, clock, "BUILD_ERROR")
    assert "/bin/sh: 1: uv: not found\n" in texts(life.log("build"), clock.now())


def test_a_stage_built_on_one_with_uv_has_it() -> None:
    dockerfile = (
        b"FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS base\n"
        b"FROM base\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system -r requirements.txt\n"
        b'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
    )
    life, clock = make_life(speed=50)
    life.on_commit(docker_files(dockerfile), "b" * 40)
    advance_until(life, clock, "RUNNING", limit=10)


def test_pip_as_non_root_installs_to_the_user_site() -> None:
    dockerfile = DOCKERFILE.replace(b"USER user\n", b"").replace(
        b"WORKDIR /app", b"USER user\nWORKDIR /app"
    )
    life, clock = make_life(speed=50)
    life.on_commit(docker_files(dockerfile), "7" * 40)
    advance_until(life, clock, "RUNNING", limit=10)
    log = texts(life.log("build"), clock.now())
    assert "Defaulting to user installation because normal site-packages is not writeable\n" in log


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (None, "Missing configuration in README"),
        (b"# Just a title\n", "Missing configuration in README"),
        (b"---\ntitle: [unclosed\n---\n", "Invalid YAML in README metadata"),
        (b"---\ntitle: x\n---\n", "Missing configuration in README"),
        (b"---\nsdk: flask\n---\n", '"sdk" must be one of'),
        (b"---\nsdk: docker\napp_port: 80\n---\n", '"app_port" must be'),
    ],
)
def test_missing_or_broken_front_matter_is_a_config_error(
    readme: bytes | None, message: str
) -> None:
    files = docker_files()
    if readme is None:
        del files["README.md"]
    else:
        files["README.md"] = readme
    life, clock = make_life()
    life.on_commit(files, "8" * 40)
    runtime = life.runtime()
    assert runtime["stage"] == "CONFIG_ERROR"
    assert str(runtime["errorMessage"]).startswith(message)
    clock.advance(3600)
    assert life.runtime()["stage"] == "CONFIG_ERROR"


def test_restart_of_an_empty_space_keeps_no_app_file() -> None:
    life, _ = make_life()
    life.on_commit({".gitattributes": b"*.bin filter=lfs diff=lfs merge=lfs -text\n"}, "9a" * 20)
    assert life.runtime()["stage"] == "NO_APP_FILE"
    life.restart(factory=False)
    assert life.runtime()["stage"] == "NO_APP_FILE"


def test_docker_space_without_dockerfile_has_no_app_file() -> None:
    files = docker_files()
    del files["Dockerfile"]
    life, clock = make_life()
    life.on_commit(files, "9" * 40)
    assert life.runtime()["stage"] == "NO_APP_FILE"
    clock.advance(600)
    assert life.runtime()["stage"] == "NO_APP_FILE"


def test_port_mismatch_times_out_after_thirty_simulated_minutes() -> None:
    dockerfile = DOCKERFILE.replace(b'"--port", "7860"', b'"--port", "8000"')
    life, clock = make_life(speed=10)
    life.on_commit(docker_files(dockerfile), "a1" * 20)
    advance_until(life, clock, "APP_STARTING")
    started = clock.now()
    waited = advance_until(life, clock, "RUNTIME_ERROR", limit=400)
    assert waited == pytest.approx(30 * 60 / 10, abs=15)
    runtime = life.runtime()
    assert runtime["errorMessage"] == "launch timed out, space was not healthy after 30 min"
    run = life.log("run")
    assert run.is_closed(clock.now())
    log = texts(run, clock.now())
    assert "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)\n" in log
    assert run.closes_at is not None and run.closes_at > started


def test_app_port_in_readme_matching_the_app_runs() -> None:
    dockerfile = DOCKERFILE.replace(b'"--port", "7860"', b'"--port", "8000"')
    files = docker_files(dockerfile)
    files["README.md"] = README.replace(b"sdk: docker\n", b"sdk: docker\napp_port: 8000\n")
    life, clock = make_life(speed=50)
    life.on_commit(files, "a2" * 20)
    advance_until(life, clock, "RUNNING", limit=10)


def test_app_bound_to_localhost_is_never_healthy() -> None:
    dockerfile = DOCKERFILE.replace(b'"--host", "0.0.0.0", ', b"")
    life, clock = make_life(speed=50)
    life.on_commit(docker_files(dockerfile), "a3" * 20)
    advance_until(life, clock, "RUNTIME_ERROR", limit=60)
    assert "Uvicorn running on http://127.0.0.1:7860" in "".join(
        texts(life.log("run"), clock.now())
    )


def test_copy_of_a_missing_file_fails_with_buildkits_cache_key_error() -> None:
    dockerfile = DOCKERFILE.replace(b"COPY . .", b"COPY config.yaml /app/config.yaml")
    life, clock = make_life()
    life.on_commit(docker_files(dockerfile), "a4" * 20)
    advance_until(life, clock, "BUILD_ERROR")
    log = texts(life.log("build"), clock.now())
    assert log[-1].startswith(
        "--> ERROR: failed to compute cache key: failed to calculate checksum of ref "
    )
    assert log[-1].endswith('"/config.yaml": not found\n')
    assert "--> COPY config.yaml /app/config.yaml\n" in log
    assert life.runtime()["errorMessage"] == "Job failed with exit code: 1"


def test_apt_install_without_yes_aborts_like_apt() -> None:
    dockerfile = DOCKERFILE.replace(
        b"RUN useradd", b"RUN apt-get update && apt-get install curl\nRUN useradd"
    )
    life, clock = make_life(speed=50)
    life.on_commit(docker_files(dockerfile), "a5" * 20)
    advance_until(life, clock, "BUILD_ERROR", limit=10)
    log = texts(life.log("build"), clock.now())
    assert "Do you want to continue? [Y/n] Abort.\n" in log
    assert log[-1].endswith("did not complete successfully: exit code: 1\n")


def test_missing_python_dependency_crashes_at_start_with_a_traceback() -> None:
    files = docker_files(
        DOCKERFILE.replace(
            b'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
            b'CMD ["python", "app.py"]',
        )
    )
    files["app.py"] = b"import os\nimport torch\n\nprint(torch.__version__)\n"
    life, clock = make_life(speed=50)
    life.on_commit(files, "a6" * 20)
    advance_until(life, clock, "RUNTIME_ERROR", limit=10)
    message = str(life.runtime()["errorMessage"])
    assert message.startswith("Exit code: 1. Reason: Traceback (most recent call last):")
    assert message.endswith("ModuleNotFoundError: No module named 'torch'")
    log = texts(life.log("run"), clock.now())
    assert log[0].startswith("===== Application Startup at ")
    assert "    import torch\n" in log


def test_missing_entry_script_exits_with_code_2() -> None:
    files = docker_files(
        DOCKERFILE.replace(
            b'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]',
            b'CMD ["python", "main.py"]',
        )
    )
    life, clock = make_life(speed=50)
    life.on_commit(files, "a7" * 20)
    advance_until(life, clock, "RUNTIME_ERROR", limit=10)
    assert life.runtime()["errorMessage"] == (
        "Exit code: 2. Reason: python: can't open file '/app/main.py': [Errno 2] No such file or directory"
    )


# -- other SDKs ---------------------------------------------------------------------------------


def test_gradio_space_builds_with_pip_and_runs_gradio() -> None:
    files = {
        "README.md": README.replace(b"sdk: docker", b"sdk: gradio\nsdk_version: 5.9.1"),
        "app.py": b'import gradio as gr\n\ngr.Interface(lambda x: x, "text", "text").launch()\n',
        "requirements.txt": b"numpy\n",
    }
    life, clock = make_life(speed=50, sdk="gradio")
    life.on_commit(files, "b1" * 20)
    advance_until(life, clock, "RUNNING", limit=10)
    build = "".join(texts(life.log("build"), clock.now()))
    assert "pip install --no-cache-dir -r /tmp/requirements.txt" in build
    assert "gradio[oauth,mcp]==5.9.1" in build
    assert "Collecting numpy (from -r /tmp/requirements.txt (line 1))" in build
    run = texts(life.log("run"), clock.now())
    assert "* Running on local URL:  http://0.0.0.0:7860\n" in run


def test_gradio_pin_conflicting_with_sdk_version_fails_like_pip() -> None:
    files = {
        "README.md": README.replace(b"sdk: docker", b"sdk: gradio\nsdk_version: 5.9.1"),
        "app.py": b"import gradio as gr\n",
        "requirements.txt": b"gradio==4.44.0\n",
    }
    life, clock = make_life(speed=50, sdk="gradio")
    life.on_commit(files, "b2" * 20)
    advance_until(life, clock, "BUILD_ERROR", limit=10)
    build = "".join(texts(life.log("build"), clock.now()))
    assert (
        "ERROR: Cannot install gradio==4.44.0 and gradio==5.9.1 because these package versions have conflicting dependencies."
        in build
    )
    assert "ERROR: ResolutionImpossible" in build


def test_static_space_runs_quickly_with_the_static_runtime_shape() -> None:
    real = json.loads((FIXTURES / "hub" / "runtime.response-static-running.json").read_text())
    files = {
        "README.md": README.replace(b"sdk: docker", b"sdk: static"),
        "index.html": b"<h1>hi</h1>",
    }
    life, clock = make_life(sdk="static")
    life.on_commit(files, "b3" * 20)
    waited = advance_until(life, clock, "RUNNING", limit=10)
    assert waited <= 3
    assert life.runtime() == real
    assert life.log("run").is_closed(clock.now())


# -- control actions ------------------------------------------------------------------------------


def running_life(speed: float = 50) -> tuple[SpaceLife, ManualClock]:
    life, clock = make_life(speed=speed)
    life.on_commit(docker_files(), "c1" * 20)
    advance_until(life, clock, "RUNNING", limit=100)
    return life, clock


def test_pause_stops_the_app_and_a_restart_rebuilds_then_runs() -> None:
    life, clock = running_life()
    run = life.log("run")
    life.pause()
    runtime = life.runtime()
    assert runtime["stage"] == "PAUSED"
    assert runtime["hardware"] == {"current": None, "requested": "cpu-basic"}
    assert run.is_closed(clock.now())
    clock.advance(3600)
    assert life.runtime()["stage"] == "PAUSED"
    life.restart(factory=False)
    assert life.runtime()["stage"] == "BUILDING"
    assert stages(life, clock, 3.0, step=0.01) == ["BUILDING", "APP_STARTING", "RUNNING"]
    assert "CACHED\n" in texts(life.log("build"), clock.now())


def test_restart_of_a_running_space_restarts_the_container_only() -> None:
    life, clock = running_life()
    build, run = life.log("build"), life.log("run")
    clock.advance(1)
    life.restart(factory=False)
    assert life.runtime()["stage"] == "APP_STARTING"
    assert run.is_closed(clock.now())
    advance_until(life, clock, "RUNNING", limit=10)
    assert life.log("build") is build
    new_run = life.log("run")
    assert new_run is not run
    assert texts(new_run, clock.now())[0].startswith("===== Application Startup at ")


def test_sleep_time_puts_a_running_space_to_sleep_and_restart_wakes_it() -> None:
    life, clock = running_life(speed=10)
    run = life.log("run")
    life.set_sleep_time(600)
    assert life.runtime()["gcTimeout"] == 600
    waited = advance_until(life, clock, "SLEEPING", limit=100)
    assert waited <= 600 / 10
    runtime = life.runtime()
    assert runtime["hardware"]["current"] is None
    assert run.is_closed(clock.now())
    life.restart(factory=False)
    assert stages(life, clock, 5.0, step=0.05) == ["APP_STARTING", "RUNNING"]


def test_never_sleeping_space_keeps_running() -> None:
    life, clock = running_life(speed=1000)
    life.set_sleep_time(-1)
    clock.advance(1000)
    assert life.runtime()["stage"] == "RUNNING"
    assert not life.log("run").is_closed(clock.now())


def test_hardware_request_changes_requested_now_and_current_after_a_restart() -> None:
    life, clock = running_life()
    life.request_hardware("t4-small", None)
    assert life.runtime()["hardware"] == {"current": "cpu-basic", "requested": "t4-small"}
    assert life.runtime()["stage"] == "RUNNING"
    seen = stages(life, clock, 2.0, step=0.01)
    assert seen == ["RUNNING", "APP_STARTING", "RUNNING"]
    assert life.runtime()["hardware"] == {"current": "t4-small", "requested": "t4-small"}


def test_commit_while_running_keeps_serving_until_the_new_container_is_up() -> None:
    life, clock = running_life()
    old_run = life.log("run")
    changed = docker_files()
    changed["app.py"] = APP + b"\n# v2\n"
    life.on_commit(changed, "c2" * 20)
    assert life.runtime()["stage"] == "RUNNING_BUILDING"
    assert life.runtime()["hardware"]["current"] == "cpu-basic"
    assert stages(life, clock, 3.0, step=0.01) == [
        "RUNNING_BUILDING",
        "RUNNING_APP_STARTING",
        "RUNNING",
    ]
    assert old_run.is_closed(clock.now())
    assert life.log("run") is not old_run


def test_a_running_app_keeps_logging_requests() -> None:
    life, clock = running_life(speed=1)
    run = life.log("run")
    before = len(run.events_until(clock.now()))
    clock.advance(120)
    after = run.events_until(clock.now())
    assert len(after) - before >= 120 / 15 - 1
    assert re.match(
        r'^INFO:     10\.16\.\d+\.\d+:\d+ - "(GET|POST) /\S* HTTP/1\.1" \d{3} ', after[-1].text
    )
    assert not run.is_closed(clock.now())
    upcoming = run.next_time_after(clock.now())
    assert upcoming is not None and upcoming > clock.now()


# -- LogFeed ------------------------------------------------------------------------------------


def test_log_feed_keeps_duplicate_timestamps_and_text_apart() -> None:
    feed = LogFeed(
        0.0, [LogLine(1.0, "same\n"), LogLine(1.0, "same\n"), LogLine(2.0, "next\n")], closes_at=3.0
    )
    assert [line.text for line in feed.events_until(1.0)] == ["same\n", "same\n"]
    assert feed.next_time_after(1.0) == 2.0
    assert feed.next_time_after(2.0) == 3.0
    assert not feed.is_closed(2.9)
    assert feed.is_closed(3.0)
    assert feed.next_time_after(3.0) is None
