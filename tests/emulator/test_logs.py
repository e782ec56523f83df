"""Logs SSE over real loopback: the real huggingface_hub client, raw httpx, drops and replays."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from huggingface_hub import HfApi
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.hub import ALICE, ALICE_TOKEN
from tui.emulator import logs_stream
from tui.emulator.clock import ManualClock
from tui.emulator.lifecycle import LogLine
from tui.emulator.server import RunningEmulator, serve_emulator

README = "---\ntitle: Web\nemoji: 🌍\ncolorFrom: blue\ncolorTo: green\nsdk: docker\napp_port: 7860\n---\n\n# Web\n"
DOCKERFILE = """FROM python:3.11-slim
ENV FORCE_COLOR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860", "--use-colors"]
"""
APP = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root() -> dict:\n    return {}\n'
FILES = {
    "README.md": README,
    "Dockerfile": DOCKERFILE,
    "app.py": APP,
    "requirements.txt": "fastapi\nuvicorn\n",
}
EVENT = re.compile(
    r'^data: \{"data": "(?:[^"\\]|\\.)*\\n", "timestamp": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}$'
)


def upload(api: HfApi, tmp_path: Path, repo_id: str = f"{ALICE}/web") -> str:
    folder = tmp_path / "space"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text)
    api.create_repo(repo_id, repo_type="space", space_sdk="docker")
    api.upload_folder(folder_path=folder, repo_id=repo_id, repo_type="space")
    return repo_id


def feed_texts(emulator: RunningEmulator, repo_id: str, kind: str) -> list[str]:
    space = emulator.state.get_space(repo_id)
    assert space is not None
    return [line.text for line in space.life.log(kind).events_until(emulator.clock.now())]


def test_wait_for_space_reaches_running_after_an_upload(alice_api: HfApi, tmp_path: Path) -> None:
    repo_id = upload(alice_api, tmp_path)
    assert alice_api.get_space_runtime(repo_id).stage == "BUILDING"
    runtime = alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    assert runtime.stage == "RUNNING"
    assert runtime.hardware == "cpu-basic"


def test_follow_streams_the_build_and_ends_on_a_clean_close(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    # Started mid-build: replay, then live lines, then the end of the stream when the build ends.
    lines = list(alice_api.fetch_space_logs(repo_id, build=True, follow=True))
    assert lines == feed_texts(emulator, repo_id, "build")
    assert lines[0].startswith("===== Build Queued at ")
    assert "--> Exporting cache\n" in lines
    assert alice_api.get_space_runtime(repo_id).stage in ("APP_STARTING", "RUNNING")


def test_no_follow_returns_the_history_and_ends(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    build = list(alice_api.fetch_space_logs(repo_id, build=True))
    assert build == feed_texts(emulator, repo_id, "build")
    run = list(alice_api.fetch_space_logs(repo_id))
    expected = feed_texts(emulator, repo_id, "run")
    # The app keeps logging: the drain holds everything up to its own cut-off, in order.
    assert run == expected[: len(run)]
    assert any("Uvicorn running on" in line for line in run)


def test_a_dropped_stream_is_ridden_out_with_no_lost_or_repeated_line(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    emulator.faults.set(space_id=repo_id, drop_after=5, count=1)
    lines = list(alice_api.fetch_space_logs(repo_id, build=True, follow=True))
    assert emulator.faults.take_drop_after(repo_id, f"/api/spaces/{repo_id}/logs/build") is None
    assert lines == feed_texts(emulator, repo_id, "build")
    assert len(lines) > 5


def test_a_drop_without_follow_surfaces_as_a_protocol_error(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    emulator.faults.set(space_id=repo_id, drop_after=2, count=1)
    with pytest.raises(Exception, match="(?i)incomplete|protocol|peer closed"):
        list(alice_api.fetch_space_logs(repo_id, build=True))


def test_run_logs_follow_a_running_app_live(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    replayed = len(feed_texts(emulator, repo_id, "run"))
    stream = iter(alice_api.fetch_space_logs(repo_id, follow=True))
    lines = list(itertools.islice(stream, replayed + 3))
    assert lines == feed_texts(emulator, repo_id, "run")[: len(lines)]
    assert "\x1b[32mINFO\x1b[0m:" in lines[-1]


def test_run_logs_of_a_paused_space_replay_and_close(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    alice_api.pause_space(repo_id)
    history = feed_texts(emulator, repo_id, "run")
    assert list(alice_api.fetch_space_logs(repo_id, follow=True)) == history
    assert list(alice_api.fetch_space_logs(repo_id)) == history


def test_wire_format_one_date_header_z_timestamps_and_identical_replays(
    emulator: RunningEmulator, alice_api: HfApi, tmp_path: Path
) -> None:
    repo_id = upload(alice_api, tmp_path)
    alice_api.wait_for_space(repo_id, timeout=30, poll_interval=0.1)
    url = f"{emulator.url}/api/spaces/{repo_id}/logs/build"
    headers = {"authorization": f"Bearer {ALICE_TOKEN}"}
    first = httpx.get(url, headers=headers, timeout=10)
    second = httpx.get(url, headers=headers, timeout=10)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/event-stream")
    assert len(first.headers.get_list("date")) == 1
    assert parsedate_to_datetime(first.headers["date"]).tzinfo is not None
    assert first.content == second.content
    lines = first.text.split("\n")
    events = [line for line in lines if line.startswith("data:")]
    assert all(EVENT.match(line) for line in events), [
        line for line in events if not EVENT.match(line)
    ][:3]
    # One line per event, each followed by a blank line.
    assert first.text == "".join(f"{line}\n\n" for line in events)
    # Colours travel JSON-escaped: no raw ESC byte is ever on the wire.
    assert b"\x1b" not in first.content
    assert any("\x1b[" in json.loads(line[len("data: ") :])["data"] for line in events)


def test_missing_space_logs_are_repo_not_found(emulator: RunningEmulator) -> None:
    response = httpx.get(f"{emulator.url}/api/spaces/{ALICE}/nope/logs/run", timeout=5)
    assert response.status_code == 404
    assert response.headers["x-error-code"] == "RepoNotFound"


@pytest.fixture
def manual_emulator() -> Iterator[RunningEmulator]:
    """An emulator whose time moves only when the test advances it (speed 1: real durations)."""
    with serve_emulator(users={ALICE: ALICE_TOKEN}, clock=ManualClock(), speed=1.0) as emu:
        yield emu


def read_events(url: str, sink: list[str], *, timeout: float = 10.0) -> None:
    with httpx.stream(
        "GET", url, headers={"authorization": f"Bearer {ALICE_TOKEN}"}, timeout=timeout
    ) as response:
        for line in response.iter_lines():
            sink.append(line)


def test_the_stream_follows_a_manual_clock_and_closes_when_the_build_ends(
    manual_emulator: RunningEmulator,
) -> None:
    emu = manual_emulator
    emu.state.create_space(f"{ALICE}/manual", sdk="docker")
    emu.state.commit(f"{ALICE}/manual", {name: text.encode() for name, text in FILES.items()})
    life = emu.state.get_space(f"{ALICE}/manual").life  # type: ignore[union-attr]
    sink: list[str] = []
    reader = threading.Thread(
        target=read_events, args=(f"{emu.url}/api/spaces/{ALICE}/manual/logs/build", sink)
    )
    reader.start()
    assert isinstance(emu.clock, ManualClock)
    for _ in range(200):
        if life.runtime()["stage"] != "BUILDING":
            break
        emu.clock.advance(0.5)
        reader.join(0.01)
    reader.join(10)
    assert not reader.is_alive(), "the build stream did not close when the build ended"
    received = [
        json.loads(line[len("data: ") :])["data"] for line in sink if line.startswith("data: {")
    ]
    assert received == [line.text for line in life.log("build").events_until(emu.clock.now())]


def test_silence_gets_a_keep_alive_comment(
    manual_emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs_stream, "KEEP_ALIVE_AFTER", 0.3)
    emu = manual_emulator
    emu.state.create_space(f"{ALICE}/quiet", sdk="docker")
    emu.state.commit(f"{ALICE}/quiet", {name: text.encode() for name, text in FILES.items()})
    url = f"{emu.url}/api/spaces/{ALICE}/quiet/logs/run"
    seen: list[str] = []
    # The clock stands still: the app has not started, so the only thing sent is a keep-alive.
    with httpx.stream(
        "GET", url, headers={"authorization": f"Bearer {ALICE_TOKEN}"}, timeout=5
    ) as response:
        for line in response.iter_lines():
            seen.append(line)
            if line.startswith(":"):
                break
    assert seen == [": keep-alive"]


@given(text=st.text(), epoch=st.floats(min_value=0, max_value=4_000_000_000, allow_nan=False))
def test_an_event_is_exactly_the_json_the_client_parses(text: str, epoch: float) -> None:
    event = logs_stream.sse_event(LogLine(epoch, text))
    assert event.startswith("data: {") and event.endswith("}\n\n")
    assert "\n" not in event[:-2] and "\r" not in event
    payload = json.loads(event[len("data: ") : -2])
    assert payload["data"] == text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", payload["timestamp"])
    assert (
        event == "data: " + json.dumps({"data": text, "timestamp": payload["timestamp"]}) + "\n\n"
    )
