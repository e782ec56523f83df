"""CI mode of deploy: no prompts, thinned progress, a one-line JSON summary, the step summary;
and the stat cache seen from a real deploy over loopback HTTP."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tui.cli import build_parser
from tui.commands.ci_output import (
    CiRenderer,
    ci_requested,
    step_summary_markdown,
    summary,
)
from tui.commands.deploy_run import deploy_main
from tui.domain import upload_set
from tui.domain.deploy import hashing
from tui.domain.deploy.events import DeployResult, StageReached, UploadProgress
from tui.domain.deploy_records import load_records
from tui.domain.scaffold import ScaffoldOptions, write_scaffold

ALICE_TOKEN = "hf_alice_test_token"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _progress(done: int) -> UploadProgress:
    return UploadProgress("f", done, 100, done, 100, 1, 1, 10.0, None)


def test_ci_is_on_with_the_flag_or_a_true_ci_variable() -> None:
    assert ci_requested(True, {})
    assert ci_requested(False, {"CI": "true"}) and ci_requested(False, {"CI": "1"})
    assert not ci_requested(False, {}) and not ci_requested(False, {"CI": "false"})


def test_progress_lines_come_at_most_every_two_seconds() -> None:
    clock, out, passed = FakeClock(), io.StringIO(), []
    render = CiRenderer(passed.append, out, clock=clock)
    for step in range(10):  # 10 events over 4.5 s of the fake clock
        render(_progress(step * 10))
        clock.now += 0.5
    render(StageReached(stage="BUILDING"))
    lines = out.getvalue().splitlines()
    assert lines == [
        "upload: 0% (0 B of 100 B, 1/1 files)",
        "upload: 40% (40 B of 100 B, 1/1 files)",
        "upload: 80% (80 B of 100 B, 1/1 files)",
    ]
    assert passed == [StageReached(stage="BUILDING")]  # everything else goes to the plain renderer
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_step_summary_markdown_escapes_remote_text() -> None:
    result = DeployResult(
        ok=False,
        outcome="build_failed",
        message="boom | <script>x</script>\n**bold**\x1b[31m",
        space_id="alice/app",
        stage="BUILD_ERROR",
        sha="a" * 40,
    )
    text = step_summary_markdown(summary(result, command="deploy", seconds=3.21))
    assert "| Revision | `aaaaaaa` |" in text and "❌ build\\_failed" in text
    assert "<script>" not in text and "\\|" in text and "\x1b" not in text
    assert "**bold**" not in text


def test_the_summary_carries_the_health_probe_when_one_ran() -> None:
    result = DeployResult(
        ok=False,
        outcome="probe_failed",
        message="alice/app reads RUNNING, but its app does not work",
        space_id="alice/app",
        stage="RUNNING",
        sha="b" * 40,
        extra={"probe": {"url": "http://x/", "status": 502, "ok": False, "seen": "502 | bad"}},
    )
    data = summary(result, command="deploy", seconds=1.0)
    assert data["probe"] == {"url": "http://x/", "status": 502, "ok": False, "seen": "502 | bad"}
    assert "| Health probe | failed: 502 \\| bad |" in step_summary_markdown(data)


def _env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_STEP_SUMMARY")}
    env.update(HF_ENDPOINT=url, HF_TOKEN=ALICE_TOKEN, **extra)
    return env


def _spacetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "space"
    write_scaffold(path, ScaffoldOptions(title="App"))
    return path


def test_ci_deploy_prints_one_json_summary_and_the_step_summary(
    emulator,
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    step = tmp_path / "step.md"
    # In this process, polling every 50 ms (a subprocess polls every 2 s).
    done = run_cli(
        monkeypatch,
        capsys,
        "deploy",
        str(folder),
        "--space",
        "alice/app",
        "--create",
        "--yes",
        "--json",
        env=_env(emulator.url, CI="true", GITHUB_STEP_SUMMARY=str(step)),
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()  # exactly one line on stdout
    data = json.loads(line)
    assert data["command"] == "deploy" and data["ok"] is True and data["outcome"] == "running"
    assert data["stage"] == "RUNNING" and len(data["sha"]) == 40
    assert "stage: RUNNING" in done.stderr and "\r" not in done.stderr  # plain lines, on stderr
    markdown = step.read_text()
    assert "### spacetui deploy: alice/app" in markdown and f"`{data['sha'][:7]}`" in markdown
    assert ALICE_TOKEN not in done.stdout + done.stderr + markdown


def test_ci_mode_refuses_to_prompt(emulator, folder: Path) -> None:
    for argv, env in (((), {"CI": "true"}), (("--ci",), {})):
        done = _spacetui(
            "deploy",
            str(folder),
            "--space",
            "alice/app",
            "--create",
            *argv,
            env=_env(emulator.url, **env),
        )
        assert done.returncode == 2
        assert "CI mode" in done.stderr and "--yes" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_redeploy_of_an_unchanged_folder_hashes_nothing(
    emulator, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over loopback: after the first deploy, every file is answered by the stat cache: neither
    read for the secret scan nor hashed for the plan."""
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    past = time.time_ns() - 3600 * 10**9
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(past, past))
    read: list[str] = []
    for name in ("_git_blob_sha1", "_sha256_of"):
        real = getattr(hashing, name)
        monkeypatch.setattr(hashing, name, lambda p, real=real: (read.append(p.name), real(p))[1])
    scanned: list[str] = []
    real_scan = upload_set.scan_chunks
    monkeypatch.setattr(
        upload_set,
        "scan_chunks",
        lambda chunks, name="": (
            scanned.append(name.rsplit("/", 1)[-1]),
            real_scan(chunks, name=name),
        )[1],
    )

    def deploy(*extra: str) -> int:
        args = build_parser().parse_args(
            ["deploy", str(folder), "--space", "alice/app", "--yes", "--no-follow", *extra]
        )
        return deploy_main(args, stdout=io.StringIO(), stderr=io.StringIO(), stdin=io.StringIO())

    files = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert deploy("--create") == 0
    assert read == []  # a new Space: nothing to compare, nothing hashed
    assert sorted(scanned) == files  # every file read once: hashed and scanned together
    scanned.clear()
    for extra in (("--restart",), ()):  # compared with the Space: the cache answers for all
        assert deploy(*extra) == 0
        assert read == [] and scanned == []
    assert load_records("alice/app", endpoint=emulator.url)  # the deploys left their records
