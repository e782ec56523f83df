"""`spacetui logs` against the emulator: output formats, --tail, follow, exit codes, Ctrl+C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers.hub import ALICE, ALICE_TOKEN, TEST_SPEED
from tests.helpers.logs import log_space
from tui.cli import main
from tui.emulator.clock import ManualClock
from tui.emulator.lifecycle import LogLine
from tui.emulator.server import RunningEmulator, serve_emulator

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "hf_alice_test_token"  # alice in tests/conftest.py
HOSTILE = [
    "\x1b[32mINFO\x1b[0m:     Started server process [\x1b[36m1\x1b[0m]",
    "title \x1b]0;pwned\x07 clipboard \x1b]52;c;cm0gLXJmIH4=\x07 done",
    "[bold red]not markup[/]",
    "progress 10%\r100%",
    "tab\there",
]


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    code = main(["logs", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_output_is_one_sanitised_line_per_event(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_space(emulator, monkeypatch, "alice/app", HOSTILE)
    code, out, err = run_cli(capsys, monkeypatch, "alice/app", "--endpoint", emulator.url)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "INFO:     Started server process [1]",
        "title  clipboard  done",
        "[bold red]not markup[/]",
        "100%",
        "tab\there",
    ]
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out


def test_raw_prints_exactly_what_was_received(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_space(emulator, monkeypatch, "alice/app", HOSTILE)
    code, out, _ = run_cli(capsys, monkeypatch, "alice/app", "--raw", "--endpoint", emulator.url)
    assert code == 0
    assert out == "\n".join(HOSTILE) + "\n"


def test_json_has_index_timestamp_and_raw_data_in_ascii(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_space(emulator, monkeypatch, "alice/app", [*HOSTILE, "héllo \x7f"], kind="build")
    code, out, _ = run_cli(
        capsys, monkeypatch, "alice/app", "--build", "--json", "--endpoint", emulator.url
    )
    assert code == 0
    assert out.isascii() and "\x1b" not in out and "\x7f" not in out
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["data"] for row in rows] == [*HOSTILE, "héllo \x7f"]
    assert [row["index"] for row in rows] == list(range(6))
    assert all(row["timestamp"].endswith("Z") and row["kind"] == "build" for row in rows)
    assert {row["space"] for row in rows} == {"alice/app"}


@pytest.mark.parametrize("mode", [[], ["--raw"], ["--json"], ["--tail", "5"]])
def test_a_token_in_a_log_line_is_never_printed(
    emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: list[str],
) -> None:
    # An app that logs a token, the user's own among them: the app's log view shows ***.
    lines = [
        f"startup with token {TOKEN} loaded",
        "headers: Authorization: Bearer sk-live-123",
        "other hf_SomeoneElsesToken9 here",
    ]
    log_space(emulator, monkeypatch, "alice/app", lines)
    code, out, _ = run_cli(capsys, monkeypatch, "alice/app", *mode, "--endpoint", emulator.url)
    assert code == 0
    assert TOKEN not in out and "sk-live-123" not in out and "SomeoneElses" not in out
    assert out.count("***") == 3 and "startup with token" in out


def test_tail_keeps_the_last_lines_of_a_drain(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_space(emulator, monkeypatch, "alice/app", [f"line {i}" for i in range(500)])
    code, out, _ = run_cli(
        capsys, monkeypatch, "alice/app", "--tail", "3", "--endpoint", emulator.url
    )
    assert code == 0
    assert out.splitlines() == ["line 497", "line 498", "line 499"]


@pytest.fixture
def manual_emulator() -> Iterator[RunningEmulator]:
    """An emulator whose clock (log stamps, the `Date` header) moves only when the test says."""
    with serve_emulator(users={ALICE: ALICE_TOKEN}, speed=TEST_SPEED, clock=ManualClock()) as emu:
        yield emu


def test_follow_with_tail_prints_the_last_history_lines_then_live_ones(
    manual_emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The live lines come once the history was replayed, stamped after the answer's Date + 1 s,
    # whatever the machine's load: the clock moves only after the emulator built the replay.
    # The first of them ends the history: no pause in between may count as its end instead.
    monkeypatch.setattr("tui.commands.logs.TAIL_SETTLE_SECONDS", 600.0)
    feed = log_space(
        manual_emulator,
        monkeypatch,
        "alice/app",
        [f"old {i}" for i in range(100)],
        live=[(2.5, "live 1"), (2.7, "live 2")],
    )
    replayed = threading.Event()
    events_until = feed.events_until

    def replay(t: float) -> list[LogLine]:
        replayed.set()
        return events_until(t)

    monkeypatch.setattr(feed, "events_until", replay)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    args = ["logs", "alice/app", "-f", "-n", "2", "--endpoint", manual_emulator.url]
    with ThreadPoolExecutor(1) as pool:
        command = pool.submit(main, args)
        assert replayed.wait(30)
        manual_emulator.clock.advance(3)  # ManualClock: the live lines, then the log's close
        code = command.result(timeout=60)
    assert code == 0
    assert capsys.readouterr().out.splitlines() == ["old 98", "old 99", "live 1", "live 2"]


def test_follow_rides_out_drops_and_says_so_on_stderr(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [f"line {i}" for i in range(300)]
    log_space(emulator, monkeypatch, "alice/app", lines)
    emulator.faults.set(space_id="alice/app", drop_after=120, count=2)
    code, out, err = run_cli(capsys, monkeypatch, "alice/app", "-f", "--endpoint", emulator.url)
    assert code == 0
    assert out.splitlines() == lines
    err_lines = err.splitlines()
    assert len(err_lines) == 4  # each drop: a reconnect notice, then "reconnected"
    assert "dropped in the middle of a response. Reconnecting in" in err_lines[0]
    assert "(attempt 2)" in err_lines[2]
    assert err_lines[1] == err_lines[3] == "spacetui logs: reconnected."
    assert TOKEN not in err


def test_missing_space_exits_1_with_one_line(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, monkeypatch, "alice/nothing", "--endpoint", emulator.url)
    assert code == 1 and out == ""
    assert err == (
        "spacetui logs: Space alice/nothing was not found, or it is private and your token "
        "cannot see it.\n"
    )


def test_unreachable_hub_fails_a_drain_at_once_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = run_cli(
        capsys, monkeypatch, "alice/app", "--endpoint", f"http://127.0.0.1:{port}"
    )
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and "Cannot reach the Hub" in err


def test_empty_run_log_hints_at_build_logs(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_space(emulator, monkeypatch, "alice/app", [])
    code, out, err = run_cli(capsys, monkeypatch, "alice/app", "--endpoint", emulator.url)
    assert (code, out) == (0, "")
    assert "try --build" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-id"], "'not-an-id' is not a Space id"),
        (["a/b/c"], "is not a Space id"),
        (["alice/app", "--endpoint", "ftp://nope"], "endpoint must be an http(s) URL"),
    ],
)
def test_bad_input_exits_2(
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, monkeypatch, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.splitlines()) == 1


def test_global_endpoint_flag_is_not_overwritten_by_the_subcommand(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_space(emulator, monkeypatch, "alice/app", ["hello"])
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["--endpoint", emulator.url, "logs", "alice/app"]) == 0
    assert capsys.readouterr().out == "hello\n"


# -- as a real process: exit codes, no traceback, Ctrl+C ---------------------------------------


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "HF_TOKEN": TOKEN, "HF_HUB_DISABLE_TELEMETRY": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "logs", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_process_exit_codes_and_one_line_errors(emulator: RunningEmulator) -> None:
    missing = _spawn("alice/nothing", "--endpoint", emulator.url)
    bad = _spawn("nope", "--endpoint", emulator.url)
    out, err = missing.communicate(timeout=60)
    assert missing.returncode == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err and TOKEN not in err
    out, err = bad.communicate(timeout=60)
    assert bad.returncode == 2 and "Traceback" not in err


def test_ctrl_c_exits_130_without_a_traceback(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_space(emulator, monkeypatch, "alice/app", ["first line"], closed=False)
    proc = _spawn("alice/app", "-f", "--endpoint", emulator.url)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "first line\n"  # streaming, and now idle on an open log
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err


def test_importing_the_command_stays_light() -> None:
    code = (
        "import sys, tui.commands.logs\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    for heavy in ("textual", "rich", "httpx", "huggingface_hub", "msgspec"):
        assert heavy not in loaded
