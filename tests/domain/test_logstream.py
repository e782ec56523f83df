"""LogStream against the emulator over loopback (drops, 429, 503, concurrency) and a mock transport
(split chunks, malformed input, drain cut-off) — no line lost, none repeated, nothing crashes."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator

import httpx
import pytest

from tui.domain.auth import HubTarget
from tui.domain.backoff import Backoff
from tui.domain.hub.client import HubClient
from tui.domain.logstream import LogStream, StreamState
from tui.domain.models import LogEvent
from tui.emulator.faults import MAX_LATENCY
from tui.emulator.lifecycle import LogFeed, LogLine
from tui.emulator.server import RunningEmulator

TOKEN = "hf_alice_test_token"  # alice in tests/conftest.py


# -- helpers ---------------------------------------------------------------------------------


def make_log_space(
    emu: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    space_id: str,
    lines: list[str],
    *,
    kind: str = "run",
    closed: bool = True,
    same_stamp: int = 1,
) -> dict[str, LogFeed]:
    """A public Space whose `kind` log is exactly `lines`, stamped in the past.

    `closed`: the log ends after them (the stream then closes cleanly, like a finished build);
    otherwise it stays open like a running app's log. Each group of `same_stamp` lines shares one
    timestamp. Returns the feeds by kind; replacing an entry swaps the log (a restart).
    """
    space = emu.state.create_space(space_id, sdk="docker")
    now = emu.clock.now()
    start = now - 600
    feed_lines = [
        LogLine(start + (i // same_stamp) * 0.001, text + "\n") for i, text in enumerate(lines)
    ]
    feeds = {kind: LogFeed(start, feed_lines, closes_at=now if closed else None)}
    original = space.life.log
    monkeypatch.setattr(space.life, "log", lambda k: feeds[k] if k in feeds else original(k))
    return feeds


class Recorder:
    """An injected `sleep` that records waits instead of waiting, plus the states seen."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.states: list[StreamState] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)

    def on_state(self, state: StreamState) -> None:
        self.states.append(state)

    def phases(self) -> list[str]:
        return [state.phase for state in self.states]


async def collect(stream: LogStream) -> list[LogEvent]:
    events: list[LogEvent] = []
    async for batch in stream.batches():
        events.extend(batch)
    return events


def repetitive_lines(n: int) -> list[str]:
    """Log lines where many are identical (and, with same_stamp, identically stamped)."""
    return [f"line {i // 3}" if i % 5 else "INFO:     GET / 200 OK" for i in range(n)]


# -- against the emulator --------------------------------------------------------------------


async def test_drain_of_a_1000_line_history_delivers_it_and_ends(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The log closes after its history: with an open log the drain would end on a real-time
    # quiet pause, which a loaded machine can also meet before the history is through (the
    # quiet end is tested below on a scripted body).
    lines = repetitive_lines(1000)
    make_log_space(emulator, monkeypatch, "alice/app", lines)
    rec = Recorder()
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(client, "alice/app", follow=False, on_state=rec.on_state)
        events = await collect(stream)
    assert [e.text for e in events] == lines
    assert [e.index for e in events] == list(range(1000))
    assert all(e.timestamp.endswith("Z") and e.space_id == "alice/app" for e in events)
    assert stream.state == StreamState("ended", reason="closed by the Hub")
    assert rec.phases() == ["connecting", "live", "ended"]


async def test_follow_ends_when_the_server_closes_the_log(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log_space(emulator, monkeypatch, "alice/build", ["step 1", "step 2"], kind="build")
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(client, "alice/build", "build", follow=True)
        events = await collect(stream)
    assert [(e.text, e.kind) for e in events] == [("step 1", "build"), ("step 2", "build")]
    assert stream.state.phase == "ended"


async def test_no_line_lost_or_repeated_over_25_progressive_drops(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every connection delivers 37 new lines and then drops, 25 times, identical lines included."""
    lines = repetitive_lines(1200)
    make_log_space(emulator, monkeypatch, "alice/flaky", lines, same_stamp=3)
    rec = Recorder()
    received: list[LogEvent] = []

    def on_state(state: StreamState) -> None:
        rec.on_state(state)
        drops = sum(1 for s in rec.states if s.phase == "reconnecting")
        if state.phase == "connecting" and drops < 25:
            emulator.faults.set(space_id="alice/flaky", drop_after=len(received) + 37, count=1)

    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(
            client,
            "alice/flaky",
            follow=True,
            sleep=rec.sleep,
            on_state=on_state,
            rng=random.Random(1),
        )
        async for batch in stream.batches():
            received.extend(batch)
    assert [e.text for e in received] == lines
    assert [e.index for e in received] == list(range(len(lines)))
    assert stream.stats.reconnects == 25
    assert stream.state.phase == "ended"
    assert len(rec.waits) == 25
    # The first retry after a drop is fast; progress resets the backoff, so all stay fast.
    assert max(rec.waits) < 0.2
    reasons = {s.reason for s in rec.states if s.phase == "reconnecting"}
    assert reasons == {
        f"The connection to the Hub at {emulator.url} dropped in the middle of a response."
    }


async def test_replays_that_get_no_further_are_skipped_exactly(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25 connections that each drop after the same 40 events: the backoff grows, nothing repeats."""
    lines = repetitive_lines(300)
    make_log_space(emulator, monkeypatch, "alice/stuck", lines, same_stamp=4)
    emulator.faults.set(space_id="alice/stuck", drop_after=40, count=25)
    rec = Recorder()
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(
            client,
            "alice/stuck",
            sleep=rec.sleep,
            rng=random.Random(2),
            backoff=Backoff(first=0.1, cap=2.0, jitter=0.0),
        )
        events = await collect(stream)
    assert [e.text for e in events] == lines
    assert stream.stats.reconnects == 25
    # No progress after the first 40 lines, so the waits grow to the cap.
    assert rec.waits[:6] == [0.1, 0.2, 0.4, 0.8, 1.6, 2.0]
    assert set(rec.waits[6:]) == {2.0}


async def test_429_and_503_are_ridden_out_honouring_the_wait(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [f"line {i}" for i in range(50)]
    make_log_space(emulator, monkeypatch, "alice/busy", lines)
    emulator.faults.set(space_id="alice/busy", status=429, retry_after=7, count=2, route="/logs/")
    emulator.faults.set(space_id="alice/busy", status=503, count=2, route="/logs/")
    rec = Recorder()
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(
            client,
            "alice/busy",
            sleep=rec.sleep,
            on_state=rec.on_state,
            rng=random.Random(3),
            backoff=Backoff(jitter=0.0),
        )
        events = await collect(stream)
    assert [e.text for e in events] == lines
    # Newest rule first: two 503s (fast backoff), then two 429s (at least the Hub's 7 s).
    assert rec.waits == [0.1, 0.2, 7.0, 7.0]
    reconnecting = [s for s in rec.states if s.phase == "reconnecting"]
    assert [s.attempt for s in reconnecting] == [1, 2, 3, 4]
    assert "HTTP 503" in (reconnecting[0].reason or "")
    assert "rate-limiting" in (reconnecting[2].reason or "")
    assert reconnecting[2].wait == 7.0


async def test_missing_space_fails_at_once_with_the_typed_sentence(
    emulator: RunningEmulator,
) -> None:
    rec = Recorder()
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(client, "alice/nope", sleep=rec.sleep, on_state=rec.on_state)
        assert await collect(stream) == []
    assert stream.state.phase == "failed"
    assert stream.state.reason == (
        "Space alice/nope was not found, or it is private and your token cannot see it."
    )
    assert rec.waits == []


async def test_a_drain_the_hub_does_not_answer_fails_instead_of_ending_empty(
    emulator: RunningEmulator,
) -> None:
    # A drain's quiet timeout also bounds the wait for the answer's headers. Silence before any
    # answer is a slow Hub, not a quiet log: taken for the end of the log, it made
    # `spacetui logs alice/nothing` on a loaded machine exit 0 with "no run logs" instead of
    # "not found". The request is held by the emulator until released, so the client's timeout
    # always comes first, however loaded the machine.
    emulator.faults.set(space_id="alice/nope", latency=MAX_LATENCY)
    rec = Recorder()
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(
            client,
            "alice/nope",
            follow=False,
            quiet_timeout=0.05,
            sleep=rec.sleep,
            on_state=rec.on_state,
        )
        assert await collect(stream) == []
    assert emulator.faults.caught == 1  # the request did reach the Hub and was held there
    assert stream.state == StreamState("failed", reason="The Hub did not answer within 0.05 s.")
    assert rec.waits == []  # a drain that no Hub answered fails at once, like an unreachable one
    emulator.faults.release()
    assert emulator.faults.wait_settled()


async def test_someone_elses_private_space_fails_without_retrying(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log_space(emulator, monkeypatch, "bob/secret", ["x"])
    emulator.state.get_space("bob/secret").private = True  # type: ignore[union-attr]
    rec = Recorder()
    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(client, "bob/secret", sleep=rec.sleep)
        assert await collect(stream) == []
    assert stream.state.phase == "failed" and "was not found" in (stream.state.reason or "")
    assert rec.waits == []


async def test_network_down_retries_then_fails_after_max_attempts() -> None:
    rec = Recorder()
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    async with HubClient(HubTarget("http://127.0.0.1:9", TOKEN)) as client:
        stream = LogStream(
            client, "alice/app", sleep=rec.sleep, max_attempts=3, on_state=rec.on_state
        )
        assert await collect(stream) == []
    assert stream.state.phase == "failed"
    assert "Cannot reach the Hub at http://127.0.0.1:9" in (stream.state.reason or "")
    assert len(rec.waits) == 3
    assert TOKEN not in repr(rec.states)


async def test_ten_concurrent_streams_share_one_client(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {}
    for n in range(10):
        space_id = f"alice/app{n}"
        expected[space_id] = [f"{space_id} line {i}" for i in range(300 + n)]
        make_log_space(emulator, monkeypatch, space_id, expected[space_id])
        if n % 3 == 0:  # some of them drop along the way too
            emulator.faults.set(space_id=space_id, drop_after=100, count=2)
    # The requests themselves, kept: a set of id()s undercounted when a finished request's id
    # was reused by a later one (1 run in 3 under `-n 2`).
    connections: list[httpx.Request] = []

    async def count_connection(request: httpx.Request) -> None:
        connections.append(request)

    async with HubClient(
        HubTarget(emulator.url, TOKEN), event_hooks={"request": [count_connection]}
    ) as client:
        streams = [LogStream(client, sid, sleep=_no_sleep) for sid in expected]
        results = await asyncio.gather(*(collect(s) for s in streams))
    for stream, events in zip(streams, results, strict=True):
        assert [e.text for e in events] == expected[stream.space_id]
        assert {e.space_id for e in events} == {stream.space_id}
        assert stream.state.phase == "ended"
    assert len(connections) == 10 + 4 * 2  # one per stream plus one per injected drop


async def test_a_replaced_log_is_delivered_from_its_start(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drop, then the replay starts with a different first event (a new build): new log."""
    old = [f"old {i}" for i in range(30)]
    feeds = make_log_space(emulator, monkeypatch, "alice/rebuilt", old, closed=False)
    emulator.faults.set(space_id="alice/rebuilt", drop_after=20, count=1)
    new = [f"new {i}" for i in range(10)]

    async def swap(seconds: float) -> None:
        now = emulator.clock.now()
        feeds["run"] = LogFeed(
            now - 1,
            [LogLine(now - 1 + i * 0.001, t + "\n") for i, t in enumerate(new)],
            closes_at=now,
        )

    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(client, "alice/rebuilt", sleep=swap)
        events = await collect(stream)
    assert [e.text for e in events] == old[:20] + new
    assert [e.index for e in events] == list(range(30))
    assert stream.stats.restarts == 1


# -- against a mock transport (what the emulator never sends) --------------------------------


def sse(*events: dict[str, object] | str) -> bytes:
    out = []
    for event in events:
        payload = event if isinstance(event, str) else json.dumps(event)
        out.append(f"data: {payload}\n\n")
    return "".join(out).encode()


def mock_client(
    bodies: list[bytes | int], *, chunk: int = 7, headers: dict[str, str] | None = None
) -> HubClient:
    """Each request gets the next body (split into `chunk`-byte pieces) or status code."""
    queue = list(bodies)

    async def pieces(body: bytes) -> AsyncIterator[bytes]:
        for start in range(0, len(body), chunk):
            yield body[start : start + chunk]

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0) if queue else b""
        if isinstance(item, int):
            return httpx.Response(
                item, headers={"X-Error-Code": "RepoNotFound"} if item == 404 else {}
            )
        return httpx.Response(
            200,
            content=pieces(item),
            headers={"content-type": "text/event-stream", **(headers or {})},
        )

    return HubClient(HubTarget("http://hub.test"), transport=httpx.MockTransport(handler))


def ev(i: int, ts: str = "2026-11-28T10:00:00.000Z", text: str | None = None) -> dict[str, str]:
    return {"data": (text if text is not None else f"line {i}") + "\n", "timestamp": ts}


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


async def test_malformed_events_are_counted_and_skipped_without_breaking_the_stream() -> None:
    body = (
        sse(
            ev(0),
            "{not json",
            '{"no_data": 1}',
            '{"data": 5}',
            "[1, 2]",
            ev(1),
            '{"data": "x\\n", "timestamp": null}',
            ev(2),
        )
        + b": comment\n\ndata: \n\nbogus: 1\n\n"
        + sse(ev(3))
    )
    async with mock_client([body], chunk=5) as client:
        stream = LogStream(client, "a/b", follow=False)
        events = await collect(stream)
    assert [e.text for e in events] == ["line 0", "line 1", "x", "line 2", "line 3"]
    assert [e.index for e in events] == [0, 1, 2, 3, 4]
    assert events[2].timestamp == ""
    assert stream.stats.malformed == 5  # four bad payloads and the unknown `bogus` field


async def test_split_chunks_crlf_and_unicode_give_the_same_events() -> None:
    body = sse(ev(0, text="héllo wörld ✓"), ev(1, text="\x1b[32mINFO\x1b[0m")).replace(
        b"\n", b"\r\n"
    )
    for chunk in (1, 2, 3, 5, 64):
        async with mock_client([body], chunk=chunk) as client:
            events = await collect(LogStream(client, "a/b", follow=False))
        assert [e.text for e in events] == ["héllo wörld ✓", "\x1b[32mINFO\x1b[0m"], chunk


async def test_an_oversized_line_is_cut_marked_and_delivered() -> None:
    huge = "A" * 2_000_000
    async with mock_client([sse(ev(0), ev(1, text=huge), ev(2))], chunk=65536) as client:
        stream = LogStream(client, "a/b", follow=False)
        events = await collect(stream)
    assert [e.text for e in events][::2] == ["line 0", "line 2"]
    cut = events[1]
    assert cut.text.startswith("AAAA") and cut.text.endswith("[line cut: too long]")
    assert len(cut.text) < 1_100_000
    assert cut.oversized and not events[0].oversized
    assert stream.stats.oversized == 1


async def test_drain_stops_at_the_first_event_after_date_plus_one_second() -> None:
    body = sse(
        ev(0, "2026-11-28T10:00:00.000Z"),
        ev(1, "2026-11-28T10:00:01Z"),
        ev(2, "2026-11-28T10:00:01.000Z"),  # exactly Date + 1 s: still history
        ev(3, "2026-11-28T10:00:01.001Z"),  # later: live, the drain ends here
        ev(4, "2026-11-28T09:00:00.000Z"),
    )
    date = {"date": "Sat, 28 Nov 2026 10:00:00 GMT"}
    async with mock_client([body], headers=date) as client:
        stream = LogStream(client, "a/b", follow=False)
        events = await collect(stream)
    assert [e.text for e in events] == ["line 0", "line 1", "line 2"]
    assert stream.state == StreamState("ended", reason="drained")
    assert stream.live_after == "2026-11-28T10:00:01"


async def test_a_drain_ends_when_the_answered_hub_goes_quiet() -> None:
    # What httpx raises when an answered stream stays silent past the read (quiet) timeout,
    # scripted: on a real socket the silence could also come before the history is through.
    async def history_then_silence(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            yield sse(*(ev(i) for i in range(1000)))
            raise httpx.ReadTimeout("no data", request=request)

        return httpx.Response(200, content=body())

    rec = Recorder()
    transport = httpx.MockTransport(history_then_silence)
    async with HubClient(HubTarget("http://hub.test"), transport=transport) as client:
        stream = LogStream(client, "a/b", follow=False, sleep=rec.sleep, on_state=rec.on_state)
        events = await collect(stream)
    assert [e.text for e in events] == [f"line {i}" for i in range(1000)]
    assert stream.state == StreamState("ended", reason="drained (quiet)")
    assert rec.phases() == ["connecting", "live", "ended"] and rec.waits == []


async def test_a_zoneless_date_header_does_not_crash_the_drain() -> None:
    body = sse(ev(0, "2026-11-28T10:00:00.000Z"), ev(1, "2026-11-28T10:05:00+00:00"))
    async with mock_client([body], headers={"date": "Sat, 28 Nov 2026 10:00:00 -0000"}) as client:
        events = await collect(LogStream(client, "a/b", follow=False))
    assert [e.text for e in events] == ["line 0"]


async def test_follow_treats_silence_as_a_drop_and_reconnects() -> None:
    async def silent_then_lines(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:

            async def stall() -> AsyncIterator[bytes]:
                yield sse(ev(0))
                raise httpx.ReadTimeout("no data", request=request)

            return httpx.Response(200, content=stall())
        return httpx.Response(200, content=sse(ev(0), ev(1)))

    calls: list[httpx.Request] = []
    rec = Recorder()
    transport = httpx.MockTransport(silent_then_lines)
    async with HubClient(HubTarget("http://hub.test"), transport=transport) as client:
        stream = LogStream(client, "a/b", sleep=rec.sleep, on_state=rec.on_state, idle_timeout=1)
        events = await collect(stream)
    assert [e.text for e in events] == ["line 0", "line 1"]
    assert rec.states[2].phase == "reconnecting"
    assert rec.states[2].reason == "No data from the Hub for 1 s; reconnecting."


async def test_drain_gives_up_after_a_few_failures_by_default() -> None:
    rec = Recorder()
    async with mock_client([503] * 20) as client:
        stream = LogStream(client, "a/b", follow=False, sleep=rec.sleep)
        assert await collect(stream) == []
    assert stream.state.phase == "failed" and "HTTP 503" in (stream.state.reason or "")
    assert len(rec.waits) == 5


async def test_aclose_stops_a_live_stream() -> None:
    async def endless(request: httpx.Request) -> httpx.Response:
        async def forever() -> AsyncIterator[bytes]:
            i = 0
            while True:
                yield sse(ev(i))
                i += 1
                await asyncio.sleep(0.001)

        return httpx.Response(200, content=forever())

    transport = httpx.MockTransport(endless)
    async with HubClient(HubTarget("http://hub.test"), transport=transport) as client:
        stream = LogStream(client, "a/b")
        seen = 0
        async for batch in stream.batches():
            seen += len(batch)
            if seen >= 20:
                break
        await stream.aclose()
    assert stream.state == StreamState("ended", reason="closed")


async def test_a_stream_iterates_once() -> None:
    async with mock_client([sse(ev(0))]) as client:
        stream = LogStream(client, "a/b", follow=False)
        assert len(await collect(stream)) == 1
        with pytest.raises(RuntimeError):
            await anext(stream.events())


async def test_events_yields_one_by_one_and_batches_respect_max_batch() -> None:
    body = sse(*(ev(i) for i in range(50)))
    async with mock_client([body], chunk=100_000) as client:
        batches = [b async for b in LogStream(client, "a/b", follow=False).batches(max_batch=8)]
    assert max(len(b) for b in batches) == 8 and sum(len(b) for b in batches) == 50
    async with mock_client([body]) as client:
        texts = [e.text async for e in LogStream(client, "a/b", follow=False).events()]
    assert texts == [f"line {i}" for i in range(50)]


async def test_texts_gives_the_same_lines_without_building_events() -> None:
    huge = "B" * 2_000_000
    body = sse(ev(0), ev(1, text="crlf\r"), "{bad", ev(2, text=huge), ev(3))
    async with mock_client([body], chunk=65536) as client:
        stream = LogStream(client, "a/b", follow=False)
        texts = [t async for batch in stream.texts() for t in batch]
    assert texts[:2] == ["line 0", "crlf"] and texts[3] == "line 3"
    assert texts[2].startswith("BBBB") and texts[2].endswith("[line cut: too long]")
    assert stream.stats.malformed == 1 and stream.stats.oversized == 1


async def test_events_are_decoded_straight_and_the_streams_fields_win() -> None:
    """A payload naming its own index, Space or kind cannot pass itself off as another source."""
    forged = {"data": "forged\n", "timestamp": "2026-11-28T10:00:00.000Z"}
    forged |= {"index": 99, "space_id": "evil/other", "kind": "build", "oversized": True}
    async with mock_client([sse(ev(0), forged, ev(2))], chunk=65536) as client:
        events = await collect(LogStream(client, "a/b", follow=False))
    assert [(e.index, e.space_id, e.kind, e.oversized) for e in events] == [
        (0, "a/b", "run", False),
        (1, "a/b", "run", False),
        (2, "a/b", "run", False),
    ]
    made = LogEvent(data="forged\n", timestamp="2026-11-28T10:00:00.000Z", index=1, space_id="a/b")
    assert events[1] == made and hash(events[1]) == hash(made) and events[1].text == "forged"
    with pytest.raises(AttributeError):
        events[1].data = "changed"  # type: ignore[misc]


async def test_reconnect_on_close_follows_into_the_next_log(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watcher that outlives a log: the old one closes, a restart starts a new one."""
    feeds = make_log_space(emulator, monkeypatch, "alice/watched", ["old 0", "old 1"])
    rec = Recorder()

    async def restart_then_wait(seconds: float) -> None:
        await rec.sleep(seconds)
        if len(rec.waits) == 2:  # the Space restarts while we wait for the second time
            now = emulator.clock.now()
            feeds["run"] = LogFeed(now - 1, [LogLine(now - 1, "new 0\n")], closes_at=now)

    async with HubClient(HubTarget(emulator.url, TOKEN)) as client:
        stream = LogStream(
            client,
            "alice/watched",
            sleep=restart_then_wait,
            reconnect_on_close=True,
            on_state=rec.on_state,
            backoff=Backoff(jitter=0.0),
        )
        texts: list[str] = []
        async for batch in stream.batches():
            texts += [e.text for e in batch]
            if texts[-1] == "new 0":
                break
        await stream.aclose()
    assert texts == ["old 0", "old 1", "new 0"]
    assert stream.stats.restarts == 1
    assert rec.waits == [0.1, 0.2]  # no new data after the first close: the backoff grows
    assert rec.states[2].reason == "The log ended; watching for a new one."


@pytest.mark.parametrize(
    ("stamp", "later"),
    [
        ("2026-11-28T10:00:01Z", False),
        ("2026-11-28T10:00:01.000Z", False),
        ("2026-11-28T10:00:01.000001Z", True),
        ("2026-11-28T10:00:02Z", True),
        ("2026-11-28T09:59:59.999Z", False),
        ("2026-11-28T10:00:01.5+00:00", True),  # not the Hub's form: parsed the slow way
        ("2026-11-28T11:00:01+01:00", False),
        ("not a time", False),
        ("", False),
    ],
)
def test_is_later_compares_against_the_date_cutoff(stamp: str, later: bool) -> None:
    from tui.domain.logwire import is_later

    assert is_later(stamp, "2026-11-28T10:00:01") is later
