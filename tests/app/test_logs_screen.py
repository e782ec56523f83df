"""LogsScreen against the emulator over loopback: real streams, build/run switch, grid, merged
view, reconnect under fault injection, failures, save, and workers ending with the screen."""

from __future__ import annotations

import asyncio
import gc
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from tui._compat.textual import notifications_of
from tui.domain.auth import HubTarget
from tui.domain.backoff import Backoff
from tui.ui.screens.logs import LogsScreen
from tui.ui.widgets.log_pane import LogPane
from tui.ui.widgets.log_view import LogView

ALICE_TOKEN = "hf_alice_test_token"
SIZE = (160, 40)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

README = b"---\ntitle: Api\nsdk: docker\napp_port: 7860\n---\n# A test Space\n"
DOCKERFILE = (
    b"FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
    b"RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
    b'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
)
FILES = {
    "README.md": README,
    "Dockerfile": DOCKERFILE,
    "requirements.txt": b"fastapi\nuvicorn\n",
    "app.py": b"from fastapi import FastAPI\n\napp = FastAPI()\n",
}


def running_spaces(emu, space_ids: list[str], files: dict[str, bytes] = FILES) -> list[str]:
    """Create and commit Docker Spaces, then wait (speed 50: about a second) until they run."""
    for space_id in space_ids:
        emu.state.create_space(space_id, sdk="docker")
        emu.state.commit(space_id, files)
    deadline = time.monotonic() + 10
    for space_id in space_ids:
        while emu.state.get_space(space_id).life.runtime()["stage"] != "RUNNING":
            assert time.monotonic() < deadline, f"{space_id} never reached RUNNING"
            time.sleep(0.05)
    return space_ids


def running_space(emu, space_id: str) -> str:
    return running_spaces(emu, [space_id])[0]


class LogsApp(App[None]):
    """A bare app that opens the logs screen (the app shell pushes the same screen)."""

    def __init__(self, screen: LogsScreen) -> None:
        super().__init__()
        self.logs_screen = screen

    def compose(self):
        yield Static("home")

    def on_mount(self) -> None:
        self.push_screen(self.logs_screen)


async def until(pilot, condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await pilot.pause(0.05)


def texts(pane: LogPane) -> list[str]:
    view = pane.view
    return [view.model.store.plain(seq) for seq in view.model.row_seqs()]


def status(pane: LogPane) -> str:
    return pane.status.build_text().plain


def target(emu) -> HubTarget:
    return HubTarget(emu.url, ALICE_TOKEN)


async def test_run_log_flows_live_and_b_r_switch_to_the_build_log(emulator) -> None:
    space = running_space(emulator, "alice/api")
    app = LogsApp(LogsScreen([space], target=target(emulator)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: any("Uvicorn running" in t for t in texts(pane)))
        assert "alice/api · run log" in status(pane) and "● live" in status(pane)
        view = pane.view
        assert view.following and view.scroll_y == view.max_scroll_y
        # More request lines keep arriving while the app runs.
        count = view.model.row_count
        await until(pilot, lambda: view.model.row_count > count)

        await pilot.press("b")
        await until(pilot, lambda: any("FROM" in t for t in texts(pane)))
        await until(pilot, lambda: "ended" in status(pane))
        assert "alice/api · build log" in status(pane)
        assert not any("Uvicorn running" in t for t in texts(pane))
        assert [w.group for w in app.workers if w.is_running] == []  # the build stream ended

        await pilot.press("r")
        await until(pilot, lambda: any("Uvicorn running" in t for t in texts(pane)))
        assert "run log" in status(pane)


async def test_three_spaces_side_by_side_each_with_its_stream(emulator) -> None:
    spaces = running_spaces(emulator, [f"alice/app-{i}" for i in range(3)])
    app = LogsApp(LogsScreen(spaces, target=target(emulator)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panes = list(app.screen.query(LogPane))
        assert [pane.sources for pane in panes] == [[s] for s in spaces]
        for pane in panes:
            await until(pilot, lambda pane=pane: any("Uvicorn running" in t for t in texts(pane)))
            assert pane.view.model.store.sources() == set(pane.sources)
            assert "● live" in status(pane)
        groups = sorted(w.group for w in app.workers if w.group.startswith("logs:"))
        assert groups == [f"logs:{s}:run" for s in spaces]
        # Panes are laid out in a grid: two columns.
        regions = [pane.region for pane in panes]
        assert regions[0].y == regions[1].y and regions[2].y > regions[0].y
        assert regions[0].x < regions[1].x

        # b only switches the focused pane.
        panes[1].view.focus()
        await pilot.press("b")
        assert [pane.kind for pane in panes] == ["run", "build", "run"]


async def test_merged_view_prefixes_and_colours_each_space(emulator) -> None:
    spaces = running_spaces(emulator, [f"alice/svc-{i}" for i in range(3)])
    app = LogsApp(LogsScreen(spaces, merged=True, target=target(emulator)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        view = pane.view
        await until(pilot, lambda: view.model.store.sources() == set(spaces))
        await pilot.press("g")
        rows = [strip.text.rstrip() for strip in view.rendered_strips() if strip.text.strip()]
        assert rows and all(
            any(row == s or row.startswith(s + " ") for s in spaces) for row in rows
        )
        prefix_colours = {
            seg.text.strip(): seg.style.color.name
            for strip in view.rendered_strips()
            for seg in strip
            if seg.text.strip() in spaces
        }
        assert len(set(prefix_colours.values())) == len(prefix_colours) >= 2
        assert "red" not in prefix_colours.values()
        assert all(s in status(pane) for s in spaces) and "3 Spaces merged" in status(pane)

        # m splits into panes (streams restart; the Hub replays, so nothing is lost).
        await pilot.press("m")
        await until(pilot, lambda: len(app.screen.query(LogPane)) == 3)
        panes = list(app.screen.query(LogPane))
        await until(pilot, lambda: all(texts(p) for p in panes))


async def test_state_bar_shows_reconnecting_when_the_stream_drops_and_no_line_is_lost(
    emulator,
) -> None:
    space = running_space(emulator, "alice/flaky")
    released = asyncio.Event()
    waits: list[float] = []

    async def held_sleep(seconds: float) -> None:
        waits.append(seconds)
        await released.wait()

    emulator.faults.set(space_id=space, drop_after=3, count=1, route="/logs/")
    screen = LogsScreen(
        [space],
        target=target(emulator),
        stream_options={"sleep": held_sleep, "backoff": Backoff()},
    )
    app = LogsApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: "reconnecting" in status(pane))
        assert re.search(r"◌ reconnecting in \d+ s \(attempt 1\)", status(pane))
        assert len(texts(pane)) == 3
        released.set()
        await until(pilot, lambda: "● live" in status(pane))
        await until(pilot, lambda: any("Uvicorn running" in t for t in texts(pane)))
        indexes = pane.view.model.store.indexes(space)
        assert indexes == list(range(len(indexes)))  # no gap, no duplicate across the drop
        assert len(waits) == 1


async def test_a_missing_space_shows_failed_and_why(emulator) -> None:
    app = LogsApp(LogsScreen(["alice/nope"], target=target(emulator)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: "failed" in status(pane))
        assert "✕ failed:" in status(pane) and "alice/nope" in status(pane)
        assert ALICE_TOKEN not in status(pane)


async def test_save_writes_plain_text_to_the_prompted_path(emulator, tmp_path: Path) -> None:
    space = running_space(emulator, "alice/saver")
    app = LogsApp(LogsScreen([space], target=target(emulator)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: any("Uvicorn running" in t for t in texts(pane)))
        await pilot.press("s")
        prompt = pane.prompt
        assert re.fullmatch(r"\./alice-saver-run-\d{8}-\d{6}\.log", prompt.value)
        target_file = tmp_path / "saved.log"
        prompt.value = str(target_file)
        await pilot.press("enter")
        await until(pilot, target_file.exists)
        saved = target_file.read_text()
        assert "Uvicorn running on http://0.0.0.0:7860" in saved
        assert "\x1b" not in saved and "│" not in saved
        await until(pilot, lambda: any("Saved to" in n.message for n in notifications_of(app)))


async def test_popping_the_screen_cancels_its_streams(emulator) -> None:
    space = running_space(emulator, "alice/popper")
    before = gc.get_threshold()
    app = LogsApp(LogsScreen([space], target=target(emulator)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: "● live" in status(pane))
        assert any(w.group == f"logs:{space}:run" and w.is_running for w in app.workers)
        assert gc.get_threshold()[0] >= 50_000  # relaxed while logs stream
        await pilot.press("q")
        await until(pilot, lambda: not any(w.group.startswith("logs:") for w in app.workers))
        assert not isinstance(app.screen, LogsScreen)
        assert gc.get_threshold() == before


async def test_a_hostile_dockerfile_line_reaches_the_build_log_harmless(emulator) -> None:
    # The build log echoes each Dockerfile step: remote text we do not control.
    hostile = b'RUN echo "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31mred [bold]literal[/bold]"\n'
    files = dict(FILES, Dockerfile=DOCKERFILE.replace(b"COPY . .\n", b"COPY . .\n" + hostile))
    emulator.state.create_space("alice/hostile", sdk="docker")
    emulator.state.commit("alice/hostile", files)
    app = LogsApp(LogsScreen(["alice/hostile"], kind="build", target=target(emulator)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: any("literal" in t for t in texts(pane)))
        seq = next(
            s for s in pane.view.model.row_seqs() if "literal" in pane.view.model.store.plain(s)
        )
        raw = pane.view.model.store.text(seq)
        if "\x1b" not in raw and "\x9b" not in raw:
            pytest.skip("the emulator's build log does not echo raw control bytes")
        pane.view._scroll_to_seq(seq)
        strips = pane.view.rendered_strips()
        joined = "".join(strip.text for strip in strips)
        assert "[bold]literal[/bold]" in joined
        for strip in strips:
            for segment in strip:
                assert not _CONTROL.search(segment.text)


def test_logs_screen_needs_a_space() -> None:
    with pytest.raises(ValueError):
        LogsScreen([])


async def test_more_than_four_spaces_show_four_panes_and_merge_shows_all(emulator) -> None:
    spaces = [f"alice/many-{i}" for i in range(5)]
    for space in spaces:
        emulator.state.create_space(space, sdk="docker")
    app = LogsApp(LogsScreen(spaces, target=target(emulator)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert len(app.screen.query(LogPane)) == 4
        await pilot.press("m")
        await until(pilot, lambda: len(app.screen.query(LogPane)) == 1)
        assert app.screen.query_one(LogPane).sources == spaces
        assert isinstance(app.screen.query_one(LogPane).view, LogView)


async def test_stream_workers_wait_while_too_many_lines_are_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A flood decodes faster than the screen applies it: posted-but-unapplied lines stay bounded."""
    import json

    import httpx

    from tui.domain.hub.client import HubClient
    from tui.ui.screens import logs as logs_screen

    monkeypatch.setattr(logs_screen, "MAX_IN_FLIGHT_LINES", 150)
    stamp = "2026-11-28T10:00:00.000Z"

    async def body():
        for chunk in range(30):
            events = (
                json.dumps({"data": f"line {chunk * 100 + i}" + "\n", "timestamp": stamp})
                for i in range(100)
            )
            yield "".join(f"data: {event}\n\n" for event in events).encode()
        while True:  # then quiet, like a running Space
            await asyncio.sleep(3600)
            yield b": keep-alive\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    hub = HubClient(HubTarget("http://hub.test"), transport=httpx.MockTransport(handler))
    screen = LogsScreen(["a/flood"], hub=hub)
    seen: list[tuple[int, int]] = []  # (lines in flight after a post, that batch's size)
    post = screen.post_message

    def recording_post(message):  # noqa: ANN001, ANN202 - a spy on Textual's signature
        if isinstance(message, logs_screen.LogBatch):
            seen.append((screen._in_flight, len(message.events)))
        return post(message)

    monkeypatch.setattr(screen, "post_message", recording_post)
    app = LogsApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one(LogPane)
        await until(pilot, lambda: pane.view.model.store.next_seq == 3000)
        assert texts(pane)[-1] == "line 2999"
    await hub.aclose()
    biggest = max(size for _, size in seen)
    assert max(flight for flight, _ in seen) <= 150 + biggest
