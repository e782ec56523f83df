"""One sentence, never a traceback: a token that cannot be sent in a header (issue 14 point 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.domain.scaffold import ScaffoldOptions, write_scaffold


def _spacetui(*args: str, url: str, token: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        env=dict(os.environ, HF_ENDPOINT=url, HF_TOKEN=token, **env),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    return folder


@pytest.mark.parametrize("token", ["hf_tökén", "hf_abc\tdef", "hf_\u202edef"])
@pytest.mark.parametrize("command", ["logs", "check"])
def test_a_token_that_cannot_be_sent_is_one_sentence(
    emulator, folder: Path, token: str, command: str
) -> None:
    args = ["logs", "alice/app"] if command == "logs" else ["check", str(folder), "--online"]
    done = _spacetui(*args, url=emulator.url, token=token)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and token not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "token" in lines[0] and "non-ASCII" in lines[0]
