"""A second Ctrl+C while the commit may be landing says what the Space holds (issue 14 point 5)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.hub import ALICE_TOKEN
from tui.domain.scaffold import ScaffoldOptions, write_scaffold


def _wait_for(proc: subprocess.Popen, test, timeout: float = 30) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if test(json.loads(line)):
            return
    raise AssertionError("the event never came")


def test_a_second_ctrl_c_past_the_point_of_no_return_names_the_commit(
    emulator, tmp_path: Path
) -> None:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    emulator.faults.set(route="/commit/", latency=2.0)  # the Hub takes a while to apply it
    env = dict(os.environ, HF_ENDPOINT=emulator.url, HF_TOKEN=ALICE_TOKEN)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "deploy", str(folder), "--space", "alice/app",
         "--create", "--yes", "--json", "--no-follow"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(proc, lambda e: e.get("phase") == "committing")
        proc.send_signal(signal.SIGINT)  # first Ctrl+C: too late, it says so and waits
        _wait_for(proc, lambda e: e.get("phase") == "too_late")
        proc.send_signal(signal.SIGINT)  # second Ctrl+C: the old code said "nothing was committed"
        _out, err = proc.communicate(timeout=40)
    finally:
        proc.kill()
    head = emulator.state.get_space("alice/app").head
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "nothing was committed" not in err.lower()
    assert head and f"{head[:7]} is on alice/app" in err, err
