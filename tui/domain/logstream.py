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
import dataclasses
import email.utils
import json
import random
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import httpx
import msgspec

from tui.domain.backoff import Backoff
from tui.domain.errors import HubError, HubUnavailable, NetworkDown, RateLimited
from tui.domain.http import araise_for_hub_status, error_from_exception
from tui.domain.models import LogEvent
from tui.domain.ring import Ring
from tui.domain.sse import SseDecoder, SseEvent

Phase = Literal["connecting", "live", "reconnecting", "ended", "failed"]
Sleep = Callable[[float], Awaitable[object]]

#: Failed attempts in a row after which a drain (no-follow) gives up when `max_attempts` is None.
DRAIN_MAX_ATTEMPTS = 5
_CLOSED_BY_HUB = "closed by the Hub"
_OVERSIZED_MARK = " … [line cut: too long]"
_DATA_KEY = re.compile(r'\{\s*"data"\s*:\s*"')
_json_loads = json.loads
_string_decoder = json.JSONDecoder()


class _Wire(msgspec.Struct, gc=False):
    """One event as the Hub sends it: `{"data": "<text>\\n", "timestamp": "…Z"}`."""

    data: str
    timestamp: str | None = None


class _Salvaged(_Wire, gc=False):
    """The readable start of an event whose line was cut at the decoder's cap."""


# msgspec decodes straight into typed structs in C, about ten times faster than json.loads per
# event; a whole read is decoded in one call and only a failing batch is retried event by event.
_decode_batch = msgspec.json.Decoder(list[_Wire]).decode
_decode_wire = msgspec.json.Decoder(_Wire).decode


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
        self._generator: AsyncIterator[list[_Wire]] | None = None
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

    def _stream(self) -> AsyncIterator[list[_Wire]]:
        if self._generator is not None:
            raise RuntimeError("a LogStream can be iterated only once")
        self._generator = self._run()
        return self._generator

    async def _run(self) -> AsyncIterator[list[_Wire]]:
        failures = 0  # failed attempts in a row; any delivered event resets it
        seen = 0  # events of the current server log already received
        first: str | None = None  # raw payload of that log's first event
        read_timeout = self._idle_timeout if self.follow else self._quiet_timeout
        timeout = httpx.Timeout(connect=10.0, read=read_timeout, write=10.0, pool=30.0)
        while not self._closed:
            self._set(StreamState("connecting", attempt=failures))
            error: HubError | None = None
            ended: str | None = None
            try:
                async with self.client.stream("GET", self._url, timeout=timeout) as response:
                    self._response = response
                    await araise_for_hub_status(response, space_id=self.space_id)
                    self._set(StreamState("live"))
                    cutoff = None if self.follow else _drain_cutoff(response.headers)
                    self.live_after = _live_after(response.headers)
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
                                    if _later(wire.timestamp or "", cutoff):
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
            if not isinstance(error, RateLimited | HubUnavailable | NetworkDown) or (
                self._max_attempts is not None and failures >= self._max_attempts
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

    def _decode(self, payloads: list[str | SseEvent], plain: bool) -> list[_Wire]:
        """The decoded JSON payloads of one read; unusable ones are counted and skipped.

        `plain`: every payload is a string (none cut at the cap, none with SSE extras).
        """
        if plain:
            # One decoder call for the whole read: a flood spends its time here otherwise.
            try:
                batch = _decode_batch("[" + ",".join(payloads) + "]")  # type: ignore[arg-type]
            except msgspec.DecodeError:
                batch = None
            if batch is not None and len(batch) == len(payloads):
                return batch
        return [wire for p in payloads if (wire := self._decode_one(p)) is not None]

    def _events(self, wires: list[_Wire]) -> list[LogEvent]:
        """LogEvents for decoded wires, numbered on from the last delivered index."""
        space_id, kind = self.space_id, self.kind
        index = self._delivered
        self._delivered = index + len(wires)
        make = _new_event
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
                if type(wire) is _Salvaged:
                    old = events[i]
                    events[i] = LogEvent(
                        old.index,
                        "",
                        old.text + _OVERSIZED_MARK,
                        space_id,
                        kind,
                        {"oversized": True},
                    )
        return events

    def _texts(self, wires: list[_Wire]) -> list[str]:
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
                if type(wire) is _Salvaged:
                    texts[i] += _OVERSIZED_MARK
        return texts

    def _decode_one(self, payload: str | SseEvent) -> _Wire | None:
        """One payload on its own, salvaging the text of a line cut at the cap."""
        data = payload if type(payload) is str else payload.data  # type: ignore[union-attr]
        try:
            return _decode_wire(data)
        except msgspec.DecodeError:
            pass
        if type(payload) is not str and payload.oversized:  # type: ignore[union-attr]
            text = _salvage(data)
            if text is not None:
                self._salvaged += 1
                return _Salvaged(text)
        self.stats.malformed += 1
        return None

    def _set(self, state: StreamState) -> None:
        self.state = state
        if self._on_state is not None:
            self._on_state(state)


def _event_maker() -> Callable[[int, str, str, str, str], LogEvent]:
    """A constructor of LogEvents that fills the slots directly.

    A frozen dataclass's `__init__` goes through `object.__setattr__` by name for every field,
    which is the largest single cost of a log flood; setting the slot descriptors directly builds
    identical objects in about half the time. Falls back to the class if LogEvent's shape changes.
    """
    names = tuple(f.name for f in dataclasses.fields(LogEvent))
    slots = getattr(LogEvent, "__slots__", ())
    if names != ("index", "timestamp", "text", "space_id", "kind", "extra") or set(slots) != set(
        names
    ):
        return LogEvent
    new = object.__new__
    cls = LogEvent
    set_index, set_timestamp, set_text, set_space, set_kind, set_extra = (
        getattr(LogEvent, name).__set__ for name in names
    )

    def make(index: int, timestamp: str, text: str, space_id: str, kind: str) -> LogEvent:
        event = new(cls)
        set_index(event, index)
        set_timestamp(event, timestamp)
        set_text(event, text)
        set_space(event, space_id)
        set_kind(event, kind)
        set_extra(event, {})
        return event

    return make


_new_event = _event_maker()


def _drain_cutoff(headers: httpx.Headers) -> tuple[str, datetime] | None:
    """(ISO second, datetime) of `Date` + 1 s, or None when there is no usable Date."""
    raw = headers.get("date")
    if not raw:
        return None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    # fetch_space_logs crashes on a zone-less Date; a Date is defined to be GMT, so say so.
    when = (when if when.tzinfo else when.replace(tzinfo=UTC)) + timedelta(seconds=1)
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S"), when


def _live_after(headers: httpx.Headers) -> str | None:
    cutoff = _drain_cutoff(headers)
    return cutoff[0] if cutoff else None


def is_later(timestamp: str, live_after: str) -> bool:
    """True when an event `timestamp` is after the ISO second `live_after` (see `LogStream`)."""
    return _later(timestamp, (live_after, datetime.fromisoformat(live_after).replace(tzinfo=UTC)))


def _later(timestamp: str, cutoff: tuple[str, datetime]) -> bool:
    """True when `timestamp` is strictly later than the cutoff; unparseable stamps never are.

    The Hub's `YYYY-MM-DDTHH:MM:SS[.fff]Z` compares as text to the second, so the hot path of a
    drain costs a slice and a string compare instead of a datetime parse per event.
    """
    second, when = cutoff
    if len(timestamp) >= 20 and timestamp[10] == "T" and timestamp[-1] == "Z":
        head = timestamp[:19]
        if head != second:
            return head > second
        return timestamp[20:-1].strip("0") != "" and timestamp[19] == "."
    try:
        parsed = datetime.fromisoformat(timestamp)
    except ValueError:
        return False
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed > when


def _salvage(data: str) -> str | None:
    """The beginning of the `data` string of a JSON event that was cut short."""
    match = _DATA_KEY.match(data)
    if match is None:
        return None
    raw = '"' + data[match.end() :]
    try:
        return _string_decoder.raw_decode(raw)[0]  # the string ended before the cut
    except ValueError:
        pass
    # Cut inside the string: close it, dropping at most one broken escape (`\uXXXX` is 6 chars).
    for trim in range(7):
        try:
            return _json_loads(raw[: len(raw) - trim] + '"')
        except ValueError:
            continue
    return None
