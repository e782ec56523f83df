"""`spacetui deploy` as a user runs it: a subprocess against the emulator, exit codes and output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.cli import Done, run_cli
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.emulator.faults import MAX_LATENCY

ALICE_TOKEN = "hf_alice_test_token"


def _env(url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_ENDPOINT=url, HF_TOKEN=ALICE_TOKEN, **extra)
    return env


def _spacetui(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def spacetui(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """`_spacetui` in this process, its deploys polling every 50 ms: the output and exit codes
    are the same, without an interpreter start and 2 s polls per run (the first test, the kill
    and the Ctrl+C keep a real process)."""

    def run(*args: str, env: dict[str, str], timeout: float = 60) -> Done:
        return run_cli(monkeypatch, capsys, *args, env=env)

    return run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "space"
    write_scaffold(path, ScaffoldOptions(title="App"))
    return path


def test_deploy_reaches_running_and_prints_the_review(emulator, folder: Path) -> None:
    done = _spacetui(
        "deploy", str(folder), "--space", "alice/app", "--create", "--yes", env=_env(emulator.url)
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Deploy to alice/app (new Space)" in out
    assert "+ Dockerfile" in out and "created private docker Space alice/app" in out
    assert "stage: RUNNING" in out and "ok: alice/app is RUNNING" in out
    assert ALICE_TOKEN not in out + done.stderr

    again = _spacetui(
        "deploy", str(folder), "--space", "alice/app", "--yes", env=_env(emulator.url)
    )
    assert again.returncode == 0
    assert "Nothing changed since the last deploy: no commit made." in again.stdout


def test_json_events(spacetui, emulator, folder: Path) -> None:
    done = spacetui(
        "deploy",
        str(folder),
        "--space",
        "alice/app",
        "--create",
        "--json",
        "--yes",
        "--no-follow",
        env=_env(emulator.url),
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[:3] == ["checks", "plan", "create"]
    assert "upload" in kinds and kinds[-2:] == ["commit", "result"]
    assert events[-1]["outcome"] == "uploaded" and events[-1]["ok"] is True
    upload = [e for e in events if e["event"] == "upload"][-1]
    assert upload["bytes_done"] == upload["bytes_total"] > 0


def test_uv_mistake_with_force_fails_the_build_and_shows_why(
    spacetui, emulator, folder: Path
) -> None:
    (folder / "Dockerfile").write_text(
        "FROM python:3.12-slim\n"
        "RUN useradd -m -u 1000 user\n"
        "RUN pip install uv && uv pip install -r requirements.txt\n"
        "USER user\nWORKDIR /home/user/app\nCOPY --chown=user . .\n"
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
    )
    blocked = spacetui(
        "deploy", str(folder), "--space", "alice/app", "--create", "--yes", env=_env(emulator.url)
    )
    assert blocked.returncode == 1
    assert "--force" in blocked.stderr

    done = spacetui(
        "deploy",
        str(folder),
        "--space",
        "alice/app",
        "--create",
        "--yes",
        "--force",
        env=_env(emulator.url),
    )
    assert done.returncode == 1
    assert "stage: BUILD_ERROR" in done.stdout
    assert "first error lines:" in done.stderr
    assert "No virtual environment found" in done.stderr.split("first error lines:")[1]
    assert "likely explained by checks:" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deploy", "/no/such/folder", "--space", "alice/app", "--yes"], "is not a folder"),
        (["deploy", ".", "--space", "not-an-id", "--yes"], "is not a Space id"),
        (["deploy", ".", "--space", "alice/app"], "pass --yes"),
        (["deploy", ".", "--space", "alice/app", "--json"], "pass --yes"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    spacetui, emulator, args: list[str], message: str
) -> None:
    done = spacetui(*args, env=_env(emulator.url))
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_timeout_must_be_positive(spacetui, emulator) -> None:
    done = spacetui(
        "deploy", ".", "--space", "alice/app", "--yes", "--timeout", "-5", env=_env(emulator.url)
    )
    assert done.returncode == 2 and "must be more than 0 seconds" in done.stderr


def test_no_token_exits_2(spacetui, emulator, folder: Path) -> None:
    env = _env(emulator.url)
    env.pop("HF_TOKEN")
    done = spacetui("deploy", str(folder), "--space", "alice/app", "--yes", env=env)
    assert done.returncode == 2 and "hf auth login" in done.stderr


def _start_slow_lfs_deploy(emulator, folder: Path) -> subprocess.Popen:
    emulator.state.lfs_uploads = True
    (folder / "weights.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    # The storage answers slowly, so the process is caught mid-upload of the LFS object.
    emulator.faults.set(route="/lfs-storage/", latency=MAX_LATENCY)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "deploy",
            str(folder),
            "--space",
            "alice/app",
            "--create",
            "--yes",
            "--json",
            "--no-follow",
        ],
        env=_env(emulator.url, HF_HUB_DISABLE_XET="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def _wait_for_event(proc: subprocess.Popen, kind: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if json.loads(line)["event"] == kind:
            return
    raise AssertionError(f"no {kind} event")


def test_killed_mid_upload_leaves_no_commit_and_a_rerun_completes(
    spacetui, emulator, folder: Path
) -> None:
    proc = _start_slow_lfs_deploy(emulator, folder)
    try:
        _wait_for_event(proc, "create")
        # Into the PUT of weights.bin, which the storage holds until the emulator stops.
        assert emulator.faults.wait_caught(1, timeout=30)
        proc.kill()
        proc.wait(timeout=10)
    finally:
        proc.kill()
    space = emulator.state.get_space("alice/app")
    assert space is not None and "weights.bin" not in (space.files() or {})
    assert not any((folder / name).exists() for name in os.listdir(folder) if ".tmp" in name)

    emulator.faults.clear()
    emulator.faults.release()  # the killed process's PUT ends too
    done = spacetui(
        "deploy",
        str(folder),
        "--space",
        "alice/app",
        "--yes",
        "--no-follow",
        env=_env(emulator.url, HF_HUB_DISABLE_XET="1"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    stored = emulator.state.get_space("alice/app").files()["weights.bin"]
    assert stored.data == (folder / "weights.bin").read_bytes()


def test_ctrl_c_cancels_with_exit_130_and_no_commit(emulator, folder: Path) -> None:
    proc = _start_slow_lfs_deploy(emulator, folder)
    try:
        _wait_for_event(proc, "create")
        assert emulator.faults.wait_caught(1, timeout=30)  # held in the PUT of weights.bin
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=40)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "cancelled" in out + err and "Traceback" not in err
    space = emulator.state.get_space("alice/app")
    assert "weights.bin" not in (space.files() or {})


def test_secret_and_variable_names_from_the_config_take_values_from_the_environment(
    spacetui, emulator, folder: Path, tmp_path: Path
) -> None:
    config = tmp_path / "spacetui.yaml"
    config.write_text("spaces:\n  - id: alice/app\n    secrets: [API_KEY]\n    variables: [MODE]\n")
    env = _env(emulator.url, API_KEY="value-from-env-123", MODE="prod")
    done = spacetui(
        "--config",
        str(config),
        "deploy",
        str(folder),
        "--space",
        "alice/app",
        "--create",
        "--yes",
        "--no-follow",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "set secret API_KEY, variable MODE" in done.stdout
    assert "value-from-env-123" not in done.stdout + done.stderr
    space = emulator.state.get_space("alice/app")
    assert "API_KEY" in space.secrets and space.variables["MODE"]["value"] == "prod"


def test_a_broken_config_is_a_usage_error(spacetui, emulator, folder: Path, tmp_path: Path) -> None:
    config = tmp_path / "spacetui.yaml"
    config.write_text("spaces: [\n")
    done = spacetui(
        "--config",
        str(config),
        "deploy",
        str(folder),
        "--space",
        "alice/app",
        "--yes",
        env=_env(emulator.url),
    )
    assert done.returncode == 2 and "spacetui.yaml" in done.stderr
    assert config.read_text() == "spaces: [\n"  # the user's file is left as it was
