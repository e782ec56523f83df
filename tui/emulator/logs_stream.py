"""The logs SSE stream (hub-wire §8, §12.14): full replay, live events, keep-alives, clean close.

Every connection replays the feed from its first event with the same timestamps, so a client that
reconnects after a drop can skip what it already has by counting events. `drop_after` aborts the
chunked body after N events (a raise inside the body: uvicorn then never sends the final chunk).
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator
from json.encoder import encode_basestring_ascii

from starlette.responses import Response, StreamingResponse

from tui.emulator.clock import Clock
from tui.emulator.lifecycle import LogFeed, LogLine, SpaceLife

# Silence longer than this gets a comment; a no-follow client gives up after 5 s of silence,
# so keep-alives must be rarer than that or a drain would never end.
KEEP_ALIVE_AFTER = 15.0
# The longest real sleep between two looks at the clock (a ManualClock can jump at any time).
POLL = 0.25
# Events per body chunk of a replay.
CHUNK_EVENTS = 1000


class StreamDropped(ConnectionError):
    """Raised inside the body on purpose: the fault injector's abrupt end of a log stream."""


@functools.lru_cache(maxsize=4096)
def _second(epoch_second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch_second))


def sse_timestamp(epoch: float) -> str:
    """`2026-11-28T10:00:00.123Z`: milliseconds and `Z`, the form the client parses."""
    second, milli = divmod(int(epoch * 1000), 1000)
    return f"{_second(second)}.{milli:03d}Z"


def sse_event(line: LogLine) -> str:
    """One event as the Hub sends it: a single `data: {…}` line and a blank line.

    Byte for byte what `json.dumps({"data": …, "timestamp": …})` gives, built without the dict:
    replays of long logs spend their time here.
    """
    data = encode_basestring_ascii(line.text)
    return f'data: {{"data": {data}, "timestamp": "{sse_timestamp(line.time)}"}}\n\n'


async def stream_feed(feed: LogFeed, clock: Clock, *, drop_after: int | None) -> AsyncIterator[str]:
    """The SSE body for `feed`: replay, then follow the clock until the feed closes."""
    sent = 0
    last_output = time.monotonic()
    while True:
        now = clock.now()
        known = feed.events_until(now)
        events = known[sent:]
        if drop_after is not None:
            events = events[: max(drop_after - sent, 0)]
        # A long replay goes out in slices, so the client starts reading before it is all built.
        for start in range(0, len(events), CHUNK_EVENTS):
            chunk = events[start : start + CHUNK_EVENTS]
            sent += len(chunk)
            last_output = time.monotonic()
            yield "".join(sse_event(line) for line in chunk)
        if drop_after is not None and sent >= drop_after:
            raise StreamDropped(f"fault injection: log stream dropped after {sent} events")
        if feed.is_closed(now) and len(known) <= sent:
            return
        upcoming = feed.next_time_after(now)
        gap = POLL if upcoming is None else upcoming - now
        await asyncio.sleep(min(max(gap, 0.001), POLL))
        if time.monotonic() - last_output >= KEEP_ALIVE_AFTER:
            last_output = time.monotonic()
            yield ": keep-alive\n\n"


def log_stream_response(
    life: SpaceLife, kind: str, *, clock: Clock, drop_after: int | None
) -> Response:
    """`GET /api/spaces/{id}/logs/{kind}`: no Date header here, the app's middleware adds one."""
    feed = life.log(kind)
    return StreamingResponse(
        stream_feed(feed, clock, drop_after=drop_after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
