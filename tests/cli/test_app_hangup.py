"""Closing the terminal (SIGHUP) or stopping the process (SIGTERM) under `spacetui --demo`
removes the demo's scratch folder."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform"),
]


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    """Read the pty until `needle` shows (the app has drawn) or the timeout passes."""
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM"])
def test_a_hangup_or_stop_removes_the_demo_scratch_folder(tmp_path: Path, name: str) -> None:
    signum = getattr(signal, name)
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(scratch_parent),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HF_HOME": str(tmp_path / "hf"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    env.pop("HF_TOKEN", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--demo"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    try:
        screen = _read_until(leader, b"demo", timeout=60)
        assert b"demo" in screen, screen[-500:]
        assert [p.name for p in scratch_parent.iterdir() if p.name.startswith("spacetui-demo-")]
        process.send_signal(signum)
        # Keep the pty drained until the process is gone: its last frames and the terminal's
        # restore, unread, filled the pty's buffer and the process blocked writing them (only
        # the first 0.5 s were drained, which a loaded machine outlasted).
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            _read_until(leader, b"\x00never", timeout=0.2)
            time.sleep(0.01)  # a closed pty reads as an error at once
        assert process.wait(timeout=5) == 128 + signum
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    assert not [p for p in scratch_parent.iterdir() if p.name.startswith("spacetui-demo-")]
