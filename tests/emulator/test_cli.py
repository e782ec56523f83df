"""`spacetui emulator` as a real process: one `listening on` line, serves, stops quietly."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from tui.cli import main

LISTENING = re.compile(r"^listening on (http://127\.0\.0\.1:(\d+))\n$")


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_prints_one_listening_line_serves_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    process = start("--user", "alice:hf_cli_token", "--speed", "10")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = LISTENING.match(line)
        assert match, line
        url = match.group(1)
        whoami = httpx.get(f"{url}/api/whoami-v2", headers={"authorization": "Bearer hf_cli_token"})
        assert whoami.json()["name"] == "alice"
        bad = httpx.get(f"{url}/api/whoami-v2", headers={"authorization": "Bearer other"})
        assert bad.status_code == 401
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0
    assert out == "" and err == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--user", "no-colon"], "--user must look like NAME:TOKEN"),
        (["--speed", "0"], "--speed must be positive"),
        (["--port", "http"], "--port must be a number"),
        (["--seed", "galaxy"], "--seed must be one of"),
        (["--quota", "0"], "--quota must be at least 1, got 0"),
        (["--quota", "many"], "--quota must be a number"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["emulator", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and message in err


def test_a_busy_port_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        assert main(["emulator", "--port", str(port)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in err
