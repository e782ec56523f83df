"""The Hub's log events on the wire: `data: {"data": "<line>\\n", "timestamp": "…Z"}` payloads.

Decoding is the cost of a log flood, so it is done in bulk and straight into `LogEvent`s: the
payloads of one network read are joined into one JSON array, each with the stream's own fields
(`index`, `space_id`, `kind`, `oversized`) spliced in before its closing brace, and msgspec builds
the final frozen objects in C, one call per read. The spliced keys come last, so they win over
any the remote text might carry (JSON's last duplicate key wins in msgspec). Payloads that do not
decode that way (a `null` timestamp, a line cut at the cap) take `decode_one`. Also here: the
salvage of a payload cut at the decoder's line cap, and the `Date` + 1 s cut-off of a drain,
which compares the Hub's fixed-width timestamps as text instead of parsing each one.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

import msgspec

from tui.domain.models import LogEvent, line_texts

OVERSIZED_MARK = " … [line cut: too long]"
#: (ISO second `YYYY-MM-DDTHH:MM:SS`, the same as a datetime) of a response's `Date` + 1 s.
Cutoff = tuple[str, datetime]

_DATA_KEY = re.compile(r'\{\s*"data"\s*:\s*"')
_json_loads = json.loads
_string_decoder = json.JSONDecoder()
_decode_events = msgspec.json.Decoder(list[LogEvent]).decode
_decode_event = msgspec.json.Decoder(LogEvent).decode


class _Loose(msgspec.Struct, frozen=True, gc=False):
    """What the Hub may also send: a payload with a `null` (or no) timestamp."""

    data: str
    timestamp: str | None = None


_decode_loose = msgspec.json.Decoder(_Loose).decode


class EventDecoder:
    """Payloads of one stream's reads into `LogEvent`s numbered on from `next_index`."""

    __slots__ = ("space_id", "kind", "next_index", "_tail")

    def __init__(self, space_id: str, kind: Literal["build", "run"]) -> None:
        self.space_id = space_id
        self.kind = kind
        self.next_index = 0
        # Constant for the stream; the index goes last, right before the closing brace.
        self._tail = (
            f',"oversized":false,"space_id":{json.dumps(space_id)},"kind":{json.dumps(kind)},'
            '"index":'
        )

    def decode_batch(self, payloads: list[str]) -> list[LogEvent] | None:
        """All of one read's payloads in one C call, or None if any of them needs `decode_one`."""
        start, tail = self.next_index, self._tail
        try:
            events = _decode_events(
                "["
                + ",".join([f"{p[:-1]}{tail}{i}}}" for i, p in enumerate(payloads, start)])
                + "]"
            )
        except msgspec.DecodeError:
            return None
        # A malformed payload could only merge with a neighbour or split: the count and the
        # end indexes prove each payload became exactly its own event.
        if (
            len(events) != len(payloads)
            or not events
            or events[-1].index != start + len(events) - 1
        ):
            return None
        self.next_index = start + len(events)
        return events

    def decode_one(self, payload: str, oversized: bool = False) -> LogEvent | None:
        """One payload on its own: the lenient path (a line cut at the cap is salvaged, marked).

        None when the payload is not a log event at all.
        """
        index = self.next_index
        event: LogEvent | None
        try:
            event = _decode_event(f"{payload[:-1]}{self._tail}{index}}}")
        except msgspec.DecodeError:
            event = self._loose(payload, index, oversized)
        if event is not None:
            self.next_index = index + 1
        return event

    def _loose(self, payload: str, index: int, oversized: bool) -> LogEvent | None:
        try:
            loose = _decode_loose(payload)
        except msgspec.DecodeError:
            text = salvage(payload) if oversized else None
            if text is None:
                return None
            return LogEvent(
                data=text + OVERSIZED_MARK,
                index=index,
                space_id=self.space_id,
                kind=self.kind,
                oversized=True,
            )
        return LogEvent(
            data=loose.data,
            timestamp=loose.timestamp or "",
            index=index,
            space_id=self.space_id,
            kind=self.kind,
        )

    def texts(self, payloads: list[str]) -> list[str] | None:
        """Only the texts of one read (for print-and-forget consumers), or None as above."""
        try:
            events = _decode_events("[" + ",".join(payloads) + "]")
        except msgspec.DecodeError:
            return None
        if len(events) != len(payloads):
            return None
        self.next_index += len(events)
        return line_texts(events)


def drain_cutoff(headers: Mapping[str, str]) -> Cutoff | None:
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


def is_later(timestamp: str, live_after: str) -> bool:
    """True when an event `timestamp` is after the ISO second `live_after` (see `LogStream`)."""
    return later(timestamp, (live_after, datetime.fromisoformat(live_after).replace(tzinfo=UTC)))


def later(timestamp: str, cutoff: Cutoff) -> bool:
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


def salvage(data: str) -> str | None:
    """The beginning of the `data` string of a JSON event that was cut short."""
    match = _DATA_KEY.match(data)
    if match is None:
        return None
    raw = '"' + data[match.end() :]
    try:
        return cast(str, _string_decoder.raw_decode(raw)[0])  # the string ended before the cut
    except ValueError:
        pass
    # Cut inside the string: close it, dropping at most one broken escape (`\uXXXX` is 6 chars).
    for trim in range(7):
        try:
            return cast(str, _json_loads(raw[: len(raw) - trim] + '"'))
        except ValueError:
            continue
    return None
