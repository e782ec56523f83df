"""`spacetui deploy` refusing what the plan cannot host, and probing the app: subprocess, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_SPEED
from tests.helpers.cli import run_cli
from tui.emulator.server import RunningEmulator, serve_emulator

FREE_TOKEN = "hf_fran_test_token"


@pytest.fixture
def emu() -> Iterator[RunningEmulator]:
    with serve_emulator(users={"fran": FREE_TOKEN}, plans={"fran": "free"}, speed=TEST_SPEED) as e:
        yield e


def spacetui(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_ENDPOINT": url, "HF_TOKEN": FREE_TOKEN}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def space(tmp_path: Path, sdk: str) -> Path:
    folder = tmp_path / sdk
    folder.mkdir()
    app_file = "index.html" if sdk == "static" else "app.py"
    (folder / "README.md").write_text(f"---\ntitle: App\nsdk: {sdk}\napp_file: {app_file}\n---\n")
    (folder / "index.html").write_text("<h1>hello</h1>\n")
    (folder / "app.py").write_text(
        "import gradio as gr\n\ngr.Interface(str, 'text', 'text').launch()\n"
    )
    (folder / "requirements.txt").write_text("gradio\n")
    return folder


def test_a_free_account_is_refused_in_one_sentence_before_any_work(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    done = spacetui(
        emu.url,
        "deploy",
        str(space(tmp_path, "gradio")),
        "--space",
        "fran/app",
        "--create",
        "--yes",
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("FAILED: fran (a free account) cannot create")
    assert "https://huggingface.co/pro" in lines[0] and "Traceback" not in done.stderr
    assert "checks" not in done.stdout.lower() and "Deploy to" not in done.stdout
    assert FREE_TOKEN not in done.stdout + done.stderr
    assert emu.state.get_space("fran/app") is None


def test_a_static_space_deploys_and_the_probe_path_decides(
    emu: RunningEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # In this process, polling every 50 ms: three subprocess deploys took 18 s of 2 s polls.
    folder = space(tmp_path, "static")
    args = ("deploy", str(folder), "--space", "fran/site", "--yes")
    env = {**os.environ, "HF_ENDPOINT": emu.url, "HF_TOKEN": FREE_TOKEN}
    first = run_cli(monkeypatch, capsys, *args, "--create", "--public", env=env)
    assert first.returncode == 0, first.stderr
    assert "Its app answered HTTP 200 at https://fran-site.hf.space/" in first.stdout
    (folder / "index.html").write_text("<h1>hello again</h1>\n")
    missing = run_cli(monkeypatch, capsys, *args, "--probe-path", "/health", env=env)
    assert missing.returncode == 1
    assert (
        "fran/site reads RUNNING, but its app at https://fran-site.hf.space/health"
        in missing.stderr
    )
    assert "HTTP 404" in missing.stderr
    skipped = run_cli(monkeypatch, capsys, *args, "--probe-path", "/health", "--no-probe", env=env)
    assert skipped.returncode == 0, skipped.stderr


def test_a_probe_path_must_be_a_path(emu: RunningEmulator, tmp_path: Path) -> None:
    done = spacetui(
        emu.url, "deploy", str(tmp_path), "--space", "fran/site", "--probe-path", "health"
    )
    assert done.returncode == 2 and "must be a path starting with /" in done.stderr
