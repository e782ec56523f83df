"""The process exit after a command: Python's teardown is skipped, nothing that matters is."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_exit_now_runs_atexit_waits_for_threads_flushes_and_keeps_the_code() -> None:
    done = _run(
        """
        import atexit, sys, threading, time
        from tui.cli import exit_now
        atexit.register(lambda: print("atexit handler ran"))
        def late_writer():
            time.sleep(0.2)
            print("worker finished")
        threading.Thread(target=late_writer).start()
        sys.stdout.write("buffered, no newline")
        exit_now(3)
        """
    )
    assert done.returncode == 3
    assert done.stdout.startswith("buffered, no newline")
    assert "worker finished" in done.stdout  # a non-daemon thread still finishes first
    assert done.stdout.index("worker finished") < done.stdout.index("atexit handler ran")
    assert done.stderr == ""


def test_exit_now_says_nothing_when_stdout_is_a_closed_pipe() -> None:
    # `spacetui status | head -1`: the reader is gone before the last flush. Python's own exit
    # prints "Exception ignored ... BrokenPipeError" and exits 120; the command ends quietly.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    code = (
        "import sys\nfrom tui.cli import exit_now\n"
        "sys.stdout.write('x' * 100)\nsys.stdin.readline()\nexit_now(0)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader leaves while the output still sits in the buffer
    proc.stdin.write(b"go\n")
    proc.stdin.flush()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read().decode() == ""


def test_python_m_tui_exits_with_the_command_code() -> None:
    done = _run(
        "import runpy, sys; sys.argv = ['tui', 'check', '/nonexistent']; runpy.run_module('tui', run_name='__main__')"
    )
    assert done.returncode == 2
    assert "spacetui check" in done.stderr or "not a folder" in done.stderr


def test_a_reader_that_leaves_early_ends_the_command_quietly() -> None:
    # `spacetui check big-folder | head -1`: the write that fails mid-command is a closed pipe,
    # not a crash: exit code 141 (128 + SIGPIPE), as a shell tool would, and no traceback.
    done = _run(
        """
        import tui.cli
        def main(argv=None):
            raise BrokenPipeError(32, "Broken pipe")
        tui.cli.main = main
        tui.cli.entry()
        """
    )
    assert done.returncode == 141
    assert done.stderr == ""
