"""`spacetui status` end to end against the emulator: in-process `main()` and a real subprocess."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.hub import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN, TEST_SPEED
from tui.cli import main
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator, serve_emulator

ROOT = Path(__file__).resolve().parents[2]
README = b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n"
DOCKERFILE = b'FROM python:3.11\nCOPY . .\nCMD ["python", "-m", "http.server", "7860"]\n'


def make_space(
    emulator: RunningEmulator, space_id: str, *, sdk: str = "docker", private: bool = False
) -> None:
    emulator.state.create_space(space_id, sdk=sdk, private=private)
    emulator.state.commit(space_id, {"README.md": README, "Dockerfile": DOCKERFILE})


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """An emulator whose clock stands still unless a test moves it, so stages are predictable."""
    users = {ALICE: ALICE_TOKEN, BOB: BOB_TOKEN}
    with serve_emulator(users=users, speed=TEST_SPEED, clock=ManualClock()) as emu:
        yield emu


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)


def run_status(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["status", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_no_arguments_shows_the_token_owners_spaces(
    emulator: RunningEmulator, signed_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    make_space(emulator, "alice/app")
    make_space(emulator, "alice/hidden", private=True)
    make_space(emulator, "bob/not-mine")
    code, out, err = run_status(capsys, "--endpoint", emulator.url)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["SPACE", "SDK", "STAGE", "HARDWARE", "LAST", "CHANGE", "ERROR"]
    assert [line.split()[0] for line in lines[1:]] == ["alice/app", "alice/hidden"]
    assert lines[1].split()[1:3] == ["docker", "BUILDING"]
    # Plain aligned columns: every row starts its STAGE cell at the same offset.
    assert (
        len(
            {
                line.index(word)
                for line, word in zip(lines, ["STAGE", "BUILDING", "BUILDING"], strict=True)
            }
        )
        == 1
    )
    assert ALICE_TOKEN not in out + err


def test_json_lines_and_the_global_endpoint_option(
    emulator: RunningEmulator, signed_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    make_space(emulator, "alice/app")
    make_space(emulator, "bob/tool")
    code = main(["--endpoint", emulator.url, "status", "alice/app", "--author", "bob", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["alice/app", "bob/tool"]
    assert records[0]["stage"] == "BUILDING" and records[0]["sdk"] == "docker"
    assert records[0]["private"] is False and records[0]["sha"]


def test_hf_endpoint_environment_is_used(
    emulator: RunningEmulator,
    signed_in: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_space(emulator, "alice/app")
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    code, out, _ = run_status(capsys, "alice/app")
    assert code == 0 and "alice/app" in out


def test_without_token_and_target_it_explains_how_to_sign_in(
    emulator: RunningEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_status(capsys, "--endpoint", emulator.url)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "hf auth login" in err and "HF_TOKEN" in err


def test_anonymous_status_of_public_spaces_works(
    emulator: RunningEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    make_space(emulator, "alice/app")
    code, out, _ = run_status(capsys, "--endpoint", emulator.url, "--author", "alice")
    assert code == 0 and "alice/app" in out
    code, out, err = run_status(capsys, "--endpoint", emulator.url, "--author", "nobody")
    assert code == 0 and out == ""
    assert err == "spacetui status: no Spaces of nobody are visible without a token\n"


@pytest.mark.parametrize("bad", ["no-slash", "a/b/c", "alice/\x1b]0;owned\x07"])
def test_bad_space_id_is_a_usage_error(
    emulator: RunningEmulator, signed_in: None, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    code, out, err = run_status(capsys, "--endpoint", emulator.url, bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "not a Space id" in err
    assert "\x1b" not in err and "\x07" not in err


def test_unknown_space_fails_with_one_line(
    emulator: RunningEmulator, signed_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_status(capsys, "--endpoint", emulator.url, "alice/nope")
    assert code == 1 and out == ""
    assert err == (
        "spacetui status: Space alice/nope was not found, or it is private and your token cannot see it.\n"
    )


def test_known_spaces_still_print_when_another_fails(
    emulator: RunningEmulator, signed_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    make_space(emulator, "alice/app")
    make_space(emulator, "bob/secret", private=True)
    code, out, err = run_status(capsys, "--endpoint", emulator.url, "alice/app", "bob/secret")
    assert code == 1
    assert "alice/app" in out and "bob/secret" not in out
    assert err.count("\n") == 1 and "bob/secret was not found" in err


def test_hub_outage_and_bad_token_are_one_line_errors(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_space(emulator, "alice/app")
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    emulator.faults.set(status=503, count=1)
    code, _, err = run_status(capsys, "--endpoint", emulator.url, "alice/app")
    assert code == 1 and err.count("\n") == 1 and "unavailable" in err

    monkeypatch.setenv("HF_TOKEN", "hf_RevokedToken0000000")
    code, _, err = run_status(capsys, "--endpoint", emulator.url)
    assert code == 1 and err.count("\n") == 1 and "rejected your token" in err
    assert "hf_RevokedToken0000000" not in err


def test_unreachable_endpoint_is_one_line(
    signed_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_status(capsys, "--endpoint", "http://127.0.0.1:9", "alice/app")
    assert code == 1 and err.count("\n") == 1 and "Cannot reach the Hub" in err
    code, _, err = run_status(capsys, "--endpoint", "not a url", "alice/app")
    assert code == 2 and "http(s) URL" in err


def test_remote_strings_cannot_reach_the_terminal_as_escapes(
    emulator: RunningEmulator, signed_in: None, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.state.create_space("alice/odd", sdk="gra\x1b]52;c;ZXZpbA==\x07dio\x9b2J")
    for argv in (["alice/odd"], ["alice/odd", "--json"]):
        code, out, _ = run_status(capsys, "--endpoint", emulator.url, *argv)
        assert code == 0 and "alice/odd" in out
        assert not any(ch in out for ch in "\x1b\x07\x9b")
    code, out, _ = run_status(capsys, "--endpoint", emulator.url, "alice/odd")
    assert "]52" not in out and "ZXZpbA" not in out  # the sequence went with its payload
    code, out, _ = run_status(capsys, "--endpoint", emulator.url, "alice/odd", "--json")
    assert json.loads(out)["sdk"] == "gra\x1b]52;c;ZXZpbA==\x07dio\x9b2J"  # exact, but escaped


def _spawn_watch(emulator: RunningEmulator, *argv: str) -> subprocess.Popen[str]:
    env = {**os.environ, "HF_TOKEN": ALICE_TOKEN, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "status", "--endpoint", emulator.url, "--watch", *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class LineReader:
    """Reads a child's stdout on a thread, so waiting for a line can time out instead of hanging."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self._lines: queue.Queue[str] = queue.Queue()
        self._stream = process.stdout
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self._stream:
            self._lines.put(line)
        self._lines.put("")  # end of output

    def next(self, timeout: float = 20.0) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no output from spacetui status --watch") from None
        assert line, "spacetui status --watch ended early"
        return line


def _advance_until(clock: ManualClock, stop: threading.Event) -> None:
    """Emulator time runs at a fifth of real time, so the poller sees every stage on the way."""
    while not stop.wait(0.05):
        clock.advance(0.01)


def test_watch_prints_changes_as_lines_and_ctrl_c_exits_130(emulator: RunningEmulator) -> None:
    make_space(emulator, "alice/app")
    process = _spawn_watch(emulator, "alice/app", "--interval", "0.2")
    output = LineReader(process)
    stop = threading.Event()
    try:
        assert output.next().split()[0] == "SPACE"
        assert output.next().split()[:3] == ["alice/app", "docker", "BUILDING"]
        assert isinstance(emulator.clock, ManualClock)
        threading.Thread(target=_advance_until, args=(emulator.clock, stop), daemon=True).start()
        changes: list[list[str]] = []
        while not changes or changes[-1][-1] != "RUNNING":
            changes.append(output.next().split())
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
        assert process.stderr is not None
        err = process.stderr.read()
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
            process.wait()
    # `HH:MM:SS  alice/app  OLD -> NEW`, chained from BUILDING to RUNNING with nothing repeated.
    assert all(len(c) == 5 and len(c[0]) == 8 and c[0].count(":") == 2 for c in changes)
    assert [c[1] for c in changes] == ["alice/app"] * len(changes)
    assert changes[0][2] == "BUILDING" and changes[-1][4] == "RUNNING"
    for before, after in zip(changes, changes[1:], strict=False):
        assert after[2] == before[4] != after[4]
    assert process.returncode == 130
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "cancelled"
