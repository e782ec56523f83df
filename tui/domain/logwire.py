"""The Hub's log events on the wire: `data: {"data": "<line>\\n", "timestamp": "…Z"}` payloads.

Decoding is the cost of a log flood, so it is done in bulk: msgspec decodes a whole network read
(one JSON array built from its payloads) into typed structs in C, about ten times faster than
`json.loads` per event, and LogEvents are built by filling their slots directly. Also here: the
salvage of a payload cut at the decoder's line cap, and the `Date` + 1 s cut-off of a drain, which
compares the Hub's fixed-width timestamps as text instead of parsing each one.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import msgspec

from tui.domain.models import LogEvent

OVERSIZED_MARK = " … [line cut: too long]"
#: (ISO second `YYYY-MM-DDTHH:MM:SS`, the same as a datetime) of a response's `Date` + 1 s.
Cutoff = tuple[str, datetime]

_DATA_KEY = re.compile(r'\{\s*"data"\s*:\s*"')
_json_loads = json.loads
_string_decoder = json.JSONDecoder()


class Wire(msgspec.Struct, gc=False):
    """One event as the Hub sends it: `{"data": "<text>\\n", "timestamp": "…Z"}`."""

    data: str
    timestamp: str | None = None


class Salvaged(Wire, gc=False):
    """The readable start of an event whose line was cut at the decoder's cap."""


# A whole read is decoded in one call; LogStream retries only a failing batch event by event.
decode_batch = msgspec.json.Decoder(list[Wire]).decode
decode_wire = msgspec.json.Decoder(Wire).decode


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


new_event = _event_maker()


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
