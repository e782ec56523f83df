"""Incremental Server-Sent Events decoder: bytes in any split, events out; no I/O.

Follows the WHATWG event-stream rules (CRLF, CR or LF line ends; `:` comments; `data`, `event`,
`id`, `retry` fields; multi-line `data`; a blank line dispatches) and adds the defences a
remote stream needs: invalid UTF-8 is replaced, a line longer than `max_line_bytes` is capped
(the event is marked `oversized`) instead of growing memory without bound, and unknown fields
are counted in `malformed` and skipped. Nothing here raises on bad input.

Hand-written rather than `httpx-sse` because that decoder works on already-split text lines:
it cannot cap a line before it is buffered whole, and it has no counters.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_LINE_BYTES = 1 << 20  # 1 MiB: far above any real log line, small enough to be safe
_KNOWN_FIELDS = frozenset({"event", "id", "retry"})


@dataclass(frozen=True, slots=True)
class SseEvent:
    """One dispatched event. `oversized`: a line of it was cut at the decoder's cap."""

    data: str
    event: str | None = None
    id: str | None = None
    oversized: bool = False


class SseDecoder:
    """Feed raw bytes as they arrive; get back the events completed by them."""

    def __init__(self, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        self.max_line_bytes = max_line_bytes
        self.malformed = 0  # lines with an unknown field name or a bad `retry` value
        self.oversized = 0  # lines cut at max_line_bytes
        self.special = 0  # events `feed_fast` returned as SseEvent rather than a plain string
        self.retry: int | None = None  # the last valid `retry:` value (milliseconds)
        self.last_event_id: str | None = None
        self._pending = b""  # bytes of the current, not yet terminated line
        self._skipping = False  # inside an oversized line: drop bytes until its end
        self._pending_cr = False  # the previous chunk ended in CR: a leading LF belongs to it
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._event_oversized = False

    def feed(self, chunk: bytes) -> list[SseEvent]:
        """The events completed by `chunk` (possibly none); keeps any partial line for later."""
        return [SseEvent(item) if isinstance(item, str) else item for item in self.feed_fast(chunk)]

    def feed_fast(self, chunk: bytes) -> list[str | SseEvent]:
        """Like `feed`, but a plain event (no `event:`, no id, not cut) comes as its data string.

        This is the hot path of a log flood: it spares one object per event.
        """
        if not chunk:
            return []
        if self._pending_cr:
            self._pending_cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\r" in chunk:
            if chunk[-1:] == b"\r":
                # A CR at the end may be the first half of a CRLF split across chunks.
                self._pending_cr = True
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end < 0:
            self._hold(chunk)
            return []
        head, tail = chunk[: end + 1], chunk[end + 1 :]
        out: list[str | SseEvent] = []
        if self._pending or self._skipping:
            first_end = head.find(b"\n")
            self._hold(head[:first_end])
            self._line(self._take_pending(), out)
            head = head[first_end + 1 :]
        if head:
            self._block(head.decode("utf-8", "replace"), out)
        if tail:
            self._hold(tail)
        return out

    def close(self) -> list[SseEvent]:
        """End of stream: per the spec an unterminated event is discarded; a partial line is too."""
        self._pending = b""
        self._skipping = False
        self._pending_cr = False
        self._reset_event()
        return []

    # -- internals -------------------------------------------------------------------------

    def _hold(self, part: bytes) -> None:
        """Keep the start of an unfinished line, never more than the cap."""
        if self._skipping:
            return
        room = self.max_line_bytes - len(self._pending)
        if len(part) > room:
            self._pending += part[:room]
            self._skipping = True
        else:
            self._pending += part

    def _take_pending(self) -> str:
        line = self._pending.decode("utf-8", "replace")
        if self._skipping:
            self.oversized += 1
            self._event_oversized = True
        self._pending = b""
        self._skipping = False
        return line

    def _block(self, text: str, out: list[str | SseEvent]) -> None:
        """Process complete lines (`text` ends with LF).

        Whole events between blank lines that are a single short `data: ` line take a fast path;
        anything else (comments, fields, multi-line data, long lines) goes line by line.
        """
        cut = text.rfind("\n\n")
        if cut < 0:
            self._lines(text, out)
            return
        limit = self.max_line_bytes // 4  # so many characters are at most the cap in UTF-8
        fast = not (self._data or self._event is not None or self._event_oversized)
        fast = fast and self._id is None
        events = text[:cut]
        pieces = events.split("\n\n")
        separators = len(pieces) - 1
        if (
            fast
            and events.startswith("data: ")
            and events.count("\n") == 2 * separators
            and events.count("\n\ndata: ") == separators
            and max(map(len, pieces)) <= limit
        ):
            # The whole read is plain one-line events (a flood): checked and sliced in C.
            out.extend([piece[6:] for piece in pieces])
        else:
            for piece in pieces:
                if fast and piece[:6] == "data: " and "\n" not in piece and len(piece) <= limit:
                    out.append(piece[6:])
                else:
                    self._lines(piece + "\n\n", out)
                    fast = self._id is None
        rest = text[cut + 2 :]
        if rest:
            self._lines(rest, out)

    def _lines(self, text: str, out: list[str | SseEvent]) -> None:
        """Process complete lines one by one (`text` ends with LF)."""
        lines = text.split("\n")
        lines.pop()  # the empty string after the final LF
        cap = self.max_line_bytes
        for line in lines:
            if len(line) > cap // 4 and len(line.encode("utf-8")) > cap:
                line = _cap(line, cap)
                self.oversized += 1
                self._event_oversized = True
            self._line(line, out)

    def _line(self, line: str, out: list[str | SseEvent]) -> None:
        """Process one complete line: a blank line dispatches the event being built."""
        if line:
            self._field(line)
            return
        if self._data:
            data = "\n".join(self._data)
            if self._event is None and self._id is None and not self._event_oversized:
                out.append(data)
            else:
                out.append(SseEvent(data, self._event, self._id, self._event_oversized))
                self.special += 1
            self._data.clear()
        self._event = None
        self._event_oversized = False

    def _field(self, line: str) -> None:
        if line[0] == ":":
            return  # comment (keep-alives use these)
        name, sep, value = line.partition(":")
        if sep and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:  # the spec ignores ids containing NUL
                self._id = value
                self.last_event_id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self.retry = int(value)
            else:
                self.malformed += 1
        elif name not in _KNOWN_FIELDS:
            self.malformed += 1

    def _reset_event(self) -> None:
        self._data.clear()
        self._event = None
        self._event_oversized = False


def _cap(line: str, cap: int) -> str:
    """`line` cut to at most `cap` UTF-8 bytes, on a character boundary."""
    return line.encode("utf-8")[:cap].decode("utf-8", "ignore")
