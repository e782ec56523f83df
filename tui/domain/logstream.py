"""A Space's build or run log as a resilient async stream of `LogEvent`s over one shared client.

What it adds over `HfApi.fetch_space_logs` (the anchor):

- **Never falls over on input**: the SSE decoder caps oversized lines, replaces invalid UTF-8 and
  counts malformed events instead of raising (`stats`).
- **Reconnects for as long as it is allowed to** (`max_attempts`, default unlimited in follow
  mode): on drops, read timeouts, 5xx and 429, with capped exponential backoff and jitter whose
  first retry is fast (0.1 s, not 1 s); a 429 waits at least what the Hub asked for. 401/403/404
  and other 4xx fail at once with the typed error's sentence.
- **Exact de-duplication**: the Hub replays the whole log from its first event on every
  connection, so each connection skips as many events as were already received. Positions, not
  content, decide, so identical lines with identical timestamps survive. If the replay starts with
  a different first event, the log was replaced (a new build or a restart): it is then taken as a
  new log and delivered from its start, so no line of it is lost (`stats.restarts`).
- **Explicit state** (`state`, `on_state`): connecting, live, reconnecting (attempt, wait, reason),
  ended (reason), failed (reason).
- **One shape per line**: each read is decoded straight into frozen `LogEvent`s (see `logwire`)
  and yielded as one batch; nothing is kept here (a view keeps its own bounded store).
- **Shared connection**: it streams over the app's (or command's) `HubClient`, so headers, user
  agent, proxies and transport are set in one place.

Drain mode (`follow=False`) has fetch_space_logs' meaning: it ends at the first event stamped later
than the response's `Date` + 1 s, at a clean close, or when nothing arrives for `quiet_timeout`
(a Hub that does not answer at all within it fails the drain instead).
Follow mode ends only at a clean close by the server (the build finished, the app stopped) or on a
permanent error; a connection silent for `idle_timeout` (keep-alives count) is treated as dropped.
With `reconnect_on_close=True` (for views that watch a Space for hours) a clean close is not the
end either: the stream keeps reconnecting at the backoff's pace and picks up the next log when a
restart or rebuild starts one.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

import httpx

from tui.domain.backoff import Backoff
from tui.domain.errors import HubError, HubUnavailable, NetworkDown, RateLimited
from tui.domain.http import araise_for_hub_status, error_from_exception
from tui.domain.logwire import Cutoff, EventDecoder, drain_cutoff, later
from tui.domain.models import LogEvent, line_texts
from tui.domain.sse import SseDecoder, SseEvent

if TYPE_CHECKING:
    from tui.domain.hub.client import HubClient

__all__ = ["LogStream", "StreamState", "StreamStats"]

Phase = Literal["connecting", "live", "reconnecting", "ended", "failed"]
Sleep = Callable[[float], Awaitable[object]]

#: Failed attempts in a row after which a drain (no-follow) gives up when `max_attempts` is None.
DRAIN_MAX_ATTEMPTS = 5
_CLOSED_BY_HUB = "closed by the Hub"


@dataclass(frozen=True, slots=True)
class StreamState:
    """Where a stream is: `wait` is the seconds before the next attempt while reconnecting."""

    phase: Phase
    attempt: int = 0
    wait: float | None = None
    reason: str | None = None


@dataclass(slots=True)
class StreamStats:
    """Counters of what the stream survived."""

    malformed: int = 0  # events skipped: not JSON, no `data` string, unknown SSE fields
    oversized: int = 0  # lines cut at the decoder's cap (their event is still delivered, marked)
    reconnects: int = 0  # attempts after the first connection
    restarts: int = 0  # replays that turned out to be a new log (new build or restart)


class _Ended(Exception):
    """A connection ended for good (drained, or closed by the Hub): `reason` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LogStream:
    """One Space's `build` or `run` log; iterate `batches()`, `events()` or `texts()` once."""

    def __init__(
        self,
        hub: HubClient,
        space_id: str,
        kind: Literal["build", "run"] = "run",
        *,
        follow: bool = True,
        backoff: Backoff = Backoff(),  # noqa: B008 - frozen dataclass, safe as a default
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_attempts: int | None = None,
        on_state: Callable[[StreamState], None] | None = None,
        quiet_timeout: float = 5.0,
        idle_timeout: float = 120.0,
        reconnect_on_close: bool = False,
    ) -> None:
        self.client = hub.http
        self.space_id = space_id
        self.kind = kind
        self.follow = follow
        self.backoff = backoff
        self.stats = StreamStats()
        self.state = StreamState("connecting")
        #: ISO second (`YYYY-MM-DDTHH:MM:SS`) of the current connection's `Date` + 1 s: events
        #: stamped later are live, earlier ones are history being replayed. None without a Date.
        self.live_after: str | None = None
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._max_attempts = (
            max_attempts if max_attempts is not None or follow else DRAIN_MAX_ATTEMPTS
        )
        self._on_state = on_state
        self._quiet_timeout = quiet_timeout
        self._idle_timeout = idle_timeout
        self._reconnect_on_close = reconnect_on_close
        self._url = f"/api/spaces/{space_id}/logs/{kind}"
        read_timeout = idle_timeout if follow else quiet_timeout
        self._timeout = httpx.Timeout(connect=10.0, read=read_timeout, write=10.0, pool=30.0)
        self._decoder = EventDecoder(space_id, kind)
        self._texts_only = False
        self._generator: AsyncGenerator[list[LogEvent] | list[str], None] | None = None
        self._response: httpx.Response | None = None
        self._closed = False
        # Replay bookkeeping across connections (see `_skip_replayed`).
        self._seen = 0  # events of the current server log already received
        self._first: str | None = None  # raw payload of that log's first event
        self._position = 0  # events of this connection, including skipped replays
        self._special_before = 0
        self._answered = False  # did the current connection get an answer?

    # -- public API --------------------------------------------------------------------------

    @property
    def catching_up(self) -> bool:
        """True while no new line can come yet: connecting, waiting to reconnect, or skipping the
        replay of lines already delivered. A pause then says nothing about the log's history."""
        return self.state.phase != "live" or self._position < self._seen

    async def batches(self, max_batch: int = 5000) -> AsyncGenerator[list[LogEvent], None]:
        """Lists of events as they arrive (at most `max_batch` each); ends when the stream does."""
        async for out in self._stream(texts_only=False):
            events = cast("list[LogEvent]", out)  # not texts_only: every read is events
            if len(events) <= max_batch:
                yield events
                continue
            for start in range(0, len(events), max_batch):
                yield events[start : start + max_batch]

    async def events(self) -> AsyncGenerator[LogEvent, None]:
        """The events one by one."""
        async for batch in self.batches():
            for event in batch:
                yield event

    async def texts(self) -> AsyncGenerator[list[str], None]:
        """Only the lines' texts, per read, for consumers that print and forget (the CLI).

        Same stream, same de-duplication and states; the stream's own fields are not spliced
        into the payloads, which is a good part of a flood's decoding saved.
        """
        async for out in self._stream(texts_only=True):
            yield cast("list[str]", out)  # texts_only: every read is texts

    async def aclose(self) -> None:
        """Stop the stream: the open connection is closed and iteration ends."""
        self._closed = True
        response = self._response
        if response is not None:
            await response.aclose()
        if self._generator is not None:
            with contextlib.suppress(RuntimeError):  # running in another task: it sees _closed
                await self._generator.aclose()
        if self.state.phase not in ("ended", "failed"):
            self._set(StreamState("ended", reason="closed"))

    # -- the connection loop: retry around `_connection` -----------------------------------------

    def _stream(self, *, texts_only: bool) -> AsyncGenerator[list[LogEvent] | list[str], None]:
        if self._generator is not None:
            raise RuntimeError("a LogStream can be iterated only once")
        self._texts_only = texts_only
        self._generator = self._run()
        return self._generator

    async def _run(self) -> AsyncGenerator[list[LogEvent] | list[str], None]:
        failures = 0  # failed attempts in a row; any delivered event resets it
        reached = False  # has any connection been answered at all?
        while not self._closed:
            self._set(StreamState("connecting", attempt=failures))
            error: HubError
            try:
                # aclosing: when the consumer stops early, the connection closes now, not at GC.
                async with contextlib.aclosing(self._connection()) as reads:
                    async for out in reads:
                        reached = True
                        failures = 0
                        yield out
                reached = True
                error = self._on_close()
            except _Ended as ended:
                if self._closed:
                    break
                self._set(StreamState("ended", reason=ended.reason))
                return
            except HubError as exc:
                reached = reached or self._answered
                error = exc
            if self._closed:
                break
            wait = self._retry_wait(error, failures, reached)
            if wait is None:
                self._set(StreamState("failed", attempt=failures, reason=error.message))
                return
            failures += 1
            self.stats.reconnects += 1
            self._set(
                StreamState("reconnecting", attempt=failures, wait=wait, reason=error.message)
            )
            await self._sleep(wait)
        if self.state.phase not in ("ended", "failed"):
            self._set(StreamState("ended", reason="closed"))

    def _on_close(self) -> HubError:
        """A clean close by the Hub: the end, unless this stream keeps watching for a new log."""
        if self.follow and self._reconnect_on_close:
            # Keep watching: a restart or rebuild starts a new log (detected by its first event);
            # until then the replay brings nothing new and the backoff reaches its cap.
            return NetworkDown("The log ended; watching for a new one.")
        raise _Ended(_CLOSED_BY_HUB)

    def _retry_wait(self, error: HubError, failures: int, reached: bool) -> float | None:
        """Seconds to wait before the next attempt, or None when `error` ends the stream."""
        # A drain that never reached the Hub fails at once, like `hf spaces logs` without -f:
        # retrying only delays the one-line error. Drops mid-drain are still ridden out.
        unreachable = not self.follow and not reached and isinstance(error, NetworkDown)
        if (
            unreachable
            or not isinstance(error, RateLimited | HubUnavailable | NetworkDown)
            or (self._max_attempts is not None and failures >= self._max_attempts)
        ):
            return None
        wait = self.backoff.delay(failures, self._rng)
        if isinstance(error, RateLimited):
            wait = max(wait, error.retry_after)
        return wait

    # -- one connection: connect, skip what was replayed, decode ----------------------------------

    async def _connection(self) -> AsyncGenerator[list[LogEvent] | list[str], None]:
        """The new lines of one connection, per read. Raises `HubError` or `_Ended`."""
        self._answered = False
        self._special_before = 0
        decoder = SseDecoder()
        try:
            async with self._connect() as (response, cutoff):
                # Only a follow has no cut-off to apply, so only it can skip the events' fields.
                texts_only = self._texts_only
                bare = texts_only and cutoff is None
                async for chunk in response.aiter_bytes():
                    items = decoder.feed_fast(chunk)
                    if not items:
                        continue
                    plain = decoder.special == self._special_before
                    self._special_before = decoder.special
                    fresh = self._skip_replayed(items, plain)
                    if not fresh:
                        continue
                    out = self._decode(fresh, plain, bare)
                    # Only a follow (no cut-off) decodes bare texts: with one, `out` is events.
                    ended = cutoff is not None and _cut_at(cast("list[LogEvent]", out), cutoff)
                    if texts_only and not bare:
                        out = line_texts(cast("list[LogEvent]", out))  # not bare: events
                    if out:
                        yield out
                    if ended:
                        raise _Ended("drained")
        except httpx.ReadTimeout as exc:
            if not self.follow and not self._answered:
                # The quiet timeout also bounds the wait for the answer: silence before it is a
                # slow Hub, not a quiet log (taken for one, a drain ended "no run logs").
                limit = f"{self._quiet_timeout:g}"
                raise NetworkDown(f"The Hub did not answer within {limit} s.") from exc
            if not self.follow:
                raise _Ended("drained (quiet)") from None
            error = NetworkDown(f"No data from the Hub for {self._idle_timeout:g} s; reconnecting.")
            raise error from exc
        except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
            raise error_from_exception(exc, space_id=self.space_id) from exc
        finally:
            self._response = None
            self.stats.malformed += decoder.malformed
            self.stats.oversized += decoder.oversized

    @contextlib.asynccontextmanager
    async def _connect(self) -> AsyncIterator[tuple[httpx.Response, Cutoff | None]]:
        """The open, checked response and a drain's cut-off (None in follow mode)."""
        async with self.client.stream("GET", self._url, timeout=self._timeout) as response:
            self._response = response
            self._answered = True
            await araise_for_hub_status(response, space_id=self.space_id)
            self._set(StreamState("live"))
            date_cutoff = drain_cutoff(response.headers)
            self.live_after = date_cutoff[0] if date_cutoff else None
            self._position = 0
            yield response, None if self.follow else date_cutoff

    def _skip_replayed(self, items: list[str | SseEvent], plain: bool) -> list[str | SseEvent]:
        """The items not delivered yet: the Hub replays its log from the first event each time.

        Positions decide, not content, so identical lines survive; a replay whose first event
        differs is a new log (a rebuild or restart), delivered from its start.
        """
        position, seen = self._position, self._seen
        if position and position >= seen and plain and "" not in items:
            # The steady state: all new, all plain (no per-item bookkeeping).
            self._position = self._seen = position + len(items)
            return items
        fresh: list[str | SseEvent] = []
        for item in items:
            data = item if isinstance(item, str) else item.data
            if not data:
                continue  # an empty `data:` keep-alive
            if position == 0:
                if seen and data != self._first:
                    self.stats.restarts += 1
                    seen = 0
                self._first = data
            position += 1
            if position <= seen:
                continue  # replayed history, already delivered
            seen += 1
            fresh.append(item)
        self._position, self._seen = position, seen
        return fresh

    def _decode(
        self, payloads: list[str | SseEvent], plain: bool, bare: bool
    ) -> list[LogEvent] | list[str]:
        """The events (or, `bare`, only texts) of one read; unusable payloads are counted, skipped.

        `plain`: every payload is a string (none cut at the cap, none with SSE extras), so the
        whole read can go to msgspec in one call; otherwise, or if that fails, one by one.
        """
        decoder = self._decoder
        if plain:
            texts = cast("list[str]", payloads)  # plain: every payload is a string
            batch = decoder.texts(texts) if bare else decoder.decode_batch(texts)
            if batch is not None:
                return batch
        events: list[LogEvent] = []
        for payload in payloads:
            if isinstance(payload, str):
                event = decoder.decode_one(payload)
            else:
                event = decoder.decode_one(payload.data, payload.oversized)
            if event is None:
                self.stats.malformed += 1
            else:
                events.append(event)
        return line_texts(events) if bare else events

    def _set(self, state: StreamState) -> None:
        self.state = state
        if self._on_state is not None:
            self._on_state(state)


def _cut_at(out: list[LogEvent], cutoff: Cutoff) -> bool:
    """Drop the events stamped after a drain's cut-off; True when one was (the drain is over)."""
    for i, event in enumerate(out):
        if later(event.timestamp, cutoff):
            del out[i:]
            return True
    return False
