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
- **Bounded memory**: every delivered event also goes to `buffer`, a ring of the last
  `buffer_lines` events (default 100,000), so a view can be rebuilt without refetching.

Drain mode (`follow=False`) has fetch_space_logs' meaning: it ends at the first event stamped later
than the response's `Date` + 1 s, at a clean close, or when nothing arrives for `quiet_timeout`.
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
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import httpx
import msgspec

from tui.domain.backoff import Backoff
from tui.domain.errors import HubError, HubUnavailable, NetworkDown, RateLimited
from tui.domain.http import araise_for_hub_status, error_from_exception
from tui.domain.logwire import (
    OVERSIZED_MARK,
    Salvaged,
    Wire,
    decode_batch,
    decode_wire,
    drain_cutoff,
    later,
    new_event,
    salvage,
)
from tui.domain.models import LogEvent
from tui.domain.ring import Ring
from tui.domain.sse import SseDecoder, SseEvent

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


class LogStream:
    """One Space's `build` or `run` log; iterate `batches()` (or `events()`) once."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        space_id: str,
        kind: Literal["build", "run"] = "run",
        *,
        follow: bool = True,
        buffer_lines: int = 100_000,
        backoff: Backoff = Backoff(),  # noqa: B008 - frozen dataclass, safe as a default
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_attempts: int | None = None,
        on_state: Callable[[StreamState], None] | None = None,
        quiet_timeout: float = 5.0,
        idle_timeout: float = 120.0,
        reconnect_on_close: bool = False,
    ) -> None:
        self.client = client
        self.space_id = space_id
        self.kind = kind
        self.follow = follow
        self.buffer: Ring[LogEvent] = Ring(buffer_lines)
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
        self._generator: AsyncIterator[list[Wire]] | None = None
        self._response: httpx.Response | None = None
        self._closed = False
        self._delivered = 0  # events delivered so far: the next LogEvent.index
        self._salvaged = 0  # cut lines decoded but not yet turned into events

    # -- public API --------------------------------------------------------------------------

    async def batches(self, max_batch: int = 5000) -> AsyncIterator[list[LogEvent]]:
        """Lists of events as they arrive (at most `max_batch` each); ends when the stream does.

        Every event also goes to `buffer`.
        """
        async for wires in self._stream():
            for start in range(0, len(wires), max_batch):
                events = self._events(wires[start : start + max_batch])
                self.buffer.extend(events)
                yield events

    async def events(self) -> AsyncIterator[LogEvent]:
        """The events one by one (they also go to `buffer`)."""
        async for batch in self.batches():
            for event in batch:
                yield event

    async def texts(self) -> AsyncIterator[list[str]]:
        """Only the lines' texts, per read, for consumers that print and forget (the CLI).

        Same stream, same de-duplication and states, but no LogEvent objects are built and
        `buffer` stays empty: on a flood that is most of the work saved.
        """
        async for wires in self._stream():
            yield self._texts(wires)

    async def aclose(self) -> None:
        """Stop the stream: the open connection is closed and iteration ends."""
        self._closed = True
        response = self._response
        if response is not None:
            await response.aclose()
        if self._generator is not None:
            with contextlib.suppress(RuntimeError):  # running in another task: it sees _closed
                await self._generator.aclose()  # type: ignore[attr-defined]
        if self.state.phase not in ("ended", "failed"):
            self._set(StreamState("ended", reason="closed"))

    # -- the connection loop -----------------------------------------------------------------

    def _stream(self) -> AsyncIterator[list[Wire]]:
        if self._generator is not None:
            raise RuntimeError("a LogStream can be iterated only once")
        self._generator = self._run()
        return self._generator

    async def _run(self) -> AsyncIterator[list[Wire]]:
        failures = 0  # failed attempts in a row; any delivered event resets it
        seen = 0  # events of the current server log already received
        first: str | None = None  # raw payload of that log's first event
        reached = False  # has any connection been answered at all?
        read_timeout = self._idle_timeout if self.follow else self._quiet_timeout
        timeout = httpx.Timeout(connect=10.0, read=read_timeout, write=10.0, pool=30.0)
        while not self._closed:
            self._set(StreamState("connecting", attempt=failures))
            error: HubError | None = None
            ended: str | None = None
            try:
                async with self.client.stream("GET", self._url, timeout=timeout) as response:
                    self._response = response
                    reached = True
                    await araise_for_hub_status(response, space_id=self.space_id)
                    self._set(StreamState("live"))
                    date_cutoff = drain_cutoff(response.headers)
                    self.live_after = date_cutoff[0] if date_cutoff else None
                    cutoff = None if self.follow else date_cutoff
                    decoder = SseDecoder()
                    position = 0  # events of this connection, including skipped replays
                    special_before = 0
                    try:
                        async for chunk in response.aiter_bytes():
                            items = decoder.feed_fast(chunk)
                            if not items:
                                continue
                            special = decoder.special
                            if (
                                position
                                and position >= seen
                                and special == special_before
                                and "" not in items
                            ):
                                # The steady state: all new, all plain (no per-item bookkeeping).
                                fresh = items
                                position += len(items)
                                seen = position
                            else:
                                fresh = []  # payloads not delivered yet
                                for item in items:
                                    data = item if type(item) is str else item.data  # type: ignore[union-attr]
                                    if not data:
                                        continue  # an empty `data:` keep-alive
                                    if position == 0:
                                        if seen and data != first:
                                            # Not the log we were reading: a new build/restart.
                                            self.stats.restarts += 1
                                            seen = 0
                                        first = data
                                    position += 1
                                    if position <= seen:
                                        continue  # replayed history, already delivered
                                    seen += 1
                                    fresh.append(item)
                                if not fresh:
                                    special_before = special
                                    continue
                            plain = special == special_before
                            special_before = special
                            out = self._decode(fresh, plain)
                            if cutoff is not None:
                                for i, wire in enumerate(out):
                                    if later(wire.timestamp or "", cutoff):
                                        del out[i:]
                                        ended = "drained"
                                        break
                            if out:
                                failures = 0
                                yield out
                            if ended:
                                break
                    finally:
                        self.stats.malformed += decoder.malformed
                        self.stats.oversized += decoder.oversized
                    ended = ended or _CLOSED_BY_HUB
            except HubError as exc:
                error = exc
            except httpx.ReadTimeout as exc:
                if not self.follow:
                    ended = "drained (quiet)"
                else:
                    error = NetworkDown(
                        f"No data from the Hub for {self._idle_timeout:g} s; reconnecting."
                    )
                    error.__cause__ = exc
            except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
                error = error_from_exception(exc, space_id=self.space_id)
            finally:
                self._response = None
            if self._closed:
                break
            if ended == _CLOSED_BY_HUB and self.follow and self._reconnect_on_close:
                # Keep watching: a restart or rebuild starts a new log (detected by its first
                # event); until then the replay brings nothing new and the backoff reaches its cap.
                error = NetworkDown("The log ended; watching for a new one.")
                ended = None
            if ended is not None:
                self._set(StreamState("ended", reason=ended))
                return
            assert error is not None
            # A drain that never reached the Hub fails at once, like `hf spaces logs` without
            # -f: retrying only delays the one-line error. Drops mid-drain are still ridden out.
            unreachable = not self.follow and not reached and isinstance(error, NetworkDown)
            if (
                unreachable
                or not isinstance(error, RateLimited | HubUnavailable | NetworkDown)
                or (self._max_attempts is not None and failures >= self._max_attempts)
            ):
                self._set(StreamState("failed", attempt=failures, reason=error.message))
                return
            wait = self.backoff.delay(failures, self._rng)
            if isinstance(error, RateLimited):
                wait = max(wait, error.retry_after)
            failures += 1
            self.stats.reconnects += 1
            self._set(
                StreamState("reconnecting", attempt=failures, wait=wait, reason=error.message)
            )
            await self._sleep(wait)
        if self.state.phase not in ("ended", "failed"):
            self._set(StreamState("ended", reason="closed"))

    def _decode(self, payloads: list[str | SseEvent], plain: bool) -> list[Wire]:
        """The decoded JSON payloads of one read; unusable ones are counted and skipped.

        `plain`: every payload is a string (none cut at the cap, none with SSE extras).
        """
        if plain:
            # One decoder call for the whole read: a flood spends its time here otherwise.
            try:
                batch = decode_batch("[" + ",".join(payloads) + "]")  # type: ignore[arg-type]
            except msgspec.DecodeError:
                batch = None
            if batch is not None and len(batch) == len(payloads):
                return batch
        return [wire for p in payloads if (wire := self._decode_one(p)) is not None]

    def _events(self, wires: list[Wire]) -> list[LogEvent]:
        """LogEvents for decoded wires, numbered on from the last delivered index."""
        space_id, kind = self.space_id, self.kind
        index = self._delivered
        self._delivered = index + len(wires)
        make = new_event
        events = [
            make(
                i,
                wire.timestamp or "",
                # The line end (LF or CRLF) removed, inline: this is the hot loop of a flood.
                text[:-2]
                if (text := wire.data)[-2:] == "\r\n"
                else text[:-1]
                if text[-1:] == "\n"
                else text,
                space_id,
                kind,
            )
            for i, wire in enumerate(wires, index)
        ]
        if self._salvaged:  # rare: give the few cut lines their mark
            self._salvaged = 0
            for i, wire in enumerate(wires):
                if type(wire) is Salvaged:
                    old = events[i]
                    events[i] = LogEvent(
                        old.index,
                        "",
                        old.text + OVERSIZED_MARK,
                        space_id,
                        kind,
                        {"oversized": True},
                    )
        return events

    def _texts(self, wires: list[Wire]) -> list[str]:
        """Just the texts of decoded wires (line end removed, cut lines marked)."""
        self._delivered += len(wires)
        texts = [
            text[:-2]
            if (text := wire.data)[-2:] == "\r\n"
            else text[:-1]
            if text[-1:] == "\n"
            else text
            for wire in wires
        ]
        if self._salvaged:
            self._salvaged = 0
            for i, wire in enumerate(wires):
                if type(wire) is Salvaged:
                    texts[i] += OVERSIZED_MARK
        return texts

    def _decode_one(self, payload: str | SseEvent) -> Wire | None:
        """One payload on its own, salvaging the text of a line cut at the cap."""
        data = payload if type(payload) is str else payload.data  # type: ignore[union-attr]
        try:
            return decode_wire(data)
        except msgspec.DecodeError:
            pass
        if type(payload) is not str and payload.oversized:  # type: ignore[union-attr]
            text = salvage(data)
            if text is not None:
                self._salvaged += 1
                return Salvaged(text)
        self.stats.malformed += 1
        return None

    def _set(self, state: StreamState) -> None:
        self.state = state
        if self._on_state is not None:
            self._on_state(state)
