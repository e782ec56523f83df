"""Remote log text made safe: SGR colours become styled spans, every other control goes.

Log lines come from other people's containers and are untrusted. A raw escape sequence printed to
a terminal can set the window title, write the clipboard (OSC 52), plant hyperlinks (OSC 8), move
the cursor, clear the screen or answer back. So:

- SGR (`ESC [ … m`, also the 8-bit `0x9b … m`) is parsed into `Span` styles by `parse_ansi` and
  dropped by `strip_ansi`;
- every other CSI, OSC, DCS, SOS, PM, APC, two-byte ESC sequence, lone ESC, C0 control except
  tab and newline, DEL, C1 control and bidi override is removed with its payload (an unterminated
  string sequence up to the end of its line);
- no rule crosses a newline, so `strip_ansi` of several joined lines equals the lines stripped
  one by one (the CLI sanitises a whole batch in one pass);
- a carriage return behaves like a terminal redrawing a progress bar: of each line only the text
  after its last CR is kept (trailing CRs, as in CRLF, are ignored) — the colour set before the CR
  still applies;
- nothing here produces markup: callers build Rich `Text` from spans, so `[bold]` stays literal.

This module is the one security boundary for untrusted text: the set of dangerous characters
(`DANGEROUS`), the sanitisers, `redact` (re-exported from `tui.domain.redact`, where the token
rules live) and `for_terminal`, the one call every plain-text output path (CLI, toasts, failure
explanations) makes. Only the emulator keeps a copy of its own (it imports nothing from `tui`).

Hand-written because the domain layer may not import Rich (whose `AnsiDecoder` is also lenient
about non-SGR sequences), and the rule set above is the security boundary, so it is kept small
and tested over a hostile corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from tui.domain.redact import redact, register_secret

__all__ = [
    "DANGEROUS",
    "UNSAFE",
    "UNSAFE_IN_LINE",
    "Span",
    "for_terminal",
    "is_safe",
    "parse_ansi",
    "redact",
    "register_secret",
    "strip_ansi",
]

#: The characters that never reach a terminal, as a regex character-class body: C0 controls
#: except tab and newline, DEL, C1 controls (8-bit CSI/OSC/DCS...), bidi marks, embeddings,
#: overrides and isolates (Trojan Source), and lone surrogates (unencodable: they crash a write).
DANGEROUS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
#: One dangerous character (tab and newline are safe in multi-line output).
UNSAFE = re.compile(f"[{DANGEROUS}]")
#: One dangerous character, tab or newline: for output that must stay on one line or one cell.
UNSAFE_IN_LINE = re.compile(f"[\t\n{DANGEROUS}]")
_ELLIPSIS = "…"

# One alternation, tried left to right at each ESC/control character.
_TOKEN = re.compile(
    r"(?P<csi>(?:\x1b\[|\x9b)(?P<params>[0-?]*)[ -/]*(?P<final>[@-~]))"
    # OSC, DCS, SOS, PM, APC strings: up to BEL or ST, or the end of the line when unterminated
    # (never across a newline, so a batch of lines sanitises exactly like each line on its own).
    r"|(?:\x1b[\]P_^X]|[\x90\x98\x9d\x9e\x9f])[^\n]*?(?:\x07|\x1b\\|\x9c|(?=\n)|\Z)"
    # Any other escape (charset selection, RIS, DECSC...) or a lone ESC.
    r"|\x1b[ -/]*[0-~]?"
    f"|[{DANGEROUS}]",
    re.S,
)
# Anything that makes a string need the slow path (tab and newline are safe).
_UNSAFE = UNSAFE
_SGR = re.compile(r"(?:\x1b\[|\x9b)[0-9;:]*m")
_SGR_ONLY = re.compile(r"\x1b\[[0-9;:]*m")
_SAFE_ASCII = bytes([9, 10, *range(0x20, 0x7F)])  # deleted by is_safe: what is left is unsafe

_NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_BRIGHT = tuple(f"bright_{name}" for name in _NAMES)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of safe text and its style; colours are Rich colour strings."""

    text: str
    fg: str | None = None
    bg: str | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False


_PLAIN = Span("")


def is_safe(text: str) -> bool:
    """True when `text` has nothing to neutralise (no control character but tab and newline)."""
    if text.isascii():  # O(1) in CPython; then a byte-level delete runs at memory speed
        return not text.encode("ascii").translate(None, _SAFE_ASCII)
    return _UNSAFE.search(text) is None


def strip_ansi(text: str) -> str:
    """`text` with every escape sequence and control character removed (tab and newline kept)."""
    if is_safe(text):
        return text
    # Colour codes are most of what real logs carry; a literal-prefix regex removes them fast.
    # If nothing unsafe is left, the general tokenizer would have removed exactly these too.
    without_sgr = _SGR_ONLY.sub("", text)
    if is_safe(without_sgr):
        return without_sgr
    text = _resolve_cr(text)
    parts: list[str] = []
    pos = 0
    for start, match in _sequences(text):
        parts.append(text[pos:start])
        pos = match.end()
    parts.append(text[pos:])
    return "".join(parts)


def for_terminal(text: str, limit: int | None = None, *, one_line: bool = False) -> str:
    """Untrusted text as plain terminal text: no escape or control character, no token.

    Escapes go with their payload and secrets are redacted after that (so a token split by
    colour codes is still caught). `one_line` folds every run of whitespace, newlines included,
    into one space. `limit` cuts the result to that many characters, the last one an ellipsis.
    Never markup either way: front ends print it as plain text (Rich `Text`, `markup=False`).
    """
    text = redact(strip_ansi(text))
    if one_line:
        text = " ".join(UNSAFE_IN_LINE.sub(" ", text).split())
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + _ELLIPSIS if limit > 0 else ""
    return text


def _sequences(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(start, match) of every sequence to neutralise, in order.

    Hops from one unsafe character to the next with a plain character-class search (fast in C)
    and only then tries the full alternation there: every sequence starts with an unsafe
    character, and running the alternation at every position is four times slower on log text.
    """
    search, match = _UNSAFE.search, _TOKEN.match
    pos = 0
    while (hit := search(text, pos)) is not None:
        start = hit.start()
        token = match(text, start)
        assert token is not None  # the last alternative matches any unsafe character
        yield start, token
        pos = token.end()


def parse_ansi(text: str) -> list[Span]:
    """`text` as styled spans: SGR applied, everything else neutralised (see module docstring)."""
    if _UNSAFE.search(text) is None:
        return [Span(text)] if text else []
    text = _resolve_cr(text)
    # (text, style) runs first, Spans at the end: the log view parses every row it draws, and
    # `dataclasses.replace` per run was most of that cost.
    runs: list[tuple[str, Span]] = []
    style = _PLAIN
    pos = 0
    for start, match in _sequences(text):
        if start > pos:
            _add(runs, text[pos:start], style)
        pos = match.end()
        if match.group("final") == "m":
            params = match.group("params")
            # Logs repeat a few colour codes: cached, but never a long (hostile) parameter list.
            apply = _apply_sgr_cached if len(params) <= _CACHED_PARAMS else _apply_sgr
            style = apply(style, params)
    if pos < len(text):
        _add(runs, text[pos:], style)
    return [_with_text(style, piece) for piece, style in runs]


_CACHED_PARAMS = 32
"""The longest SGR parameter list whose result `parse_ansi` caches."""


def _add(runs: list[tuple[str, Span]], text: str, style: Span) -> None:
    """Append `text` in `style`, merging with the previous run when the style is the same."""
    if runs and runs[-1][1] == style:
        runs[-1] = (runs[-1][0] + text, style)
    else:
        runs.append((text, style))


def _with_text(style: Span, text: str) -> Span:
    """`style` holding `text` (the constructor: `dataclasses.replace` is several times slower)."""
    return Span(
        text,
        style.fg,
        style.bg,
        style.bold,
        style.dim,
        style.italic,
        style.underline,
        style.reverse,
    )


def _resolve_cr(text: str) -> str:
    """Per line, keep what a terminal would show last: the text after the final CR."""
    if "\r" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        line = line.rstrip("\r")
        cut = line.rfind("\r")
        if cut >= 0:
            # Keep colours set before the CR: they still apply to what is drawn after it.
            styles = "".join(_SGR.findall(line, 0, cut))
            line = styles + line[cut + 1 :]
        lines[i] = line
    return "\n".join(lines)


@lru_cache(maxsize=1024)
def _apply_sgr_cached(style: Span, params: str) -> Span:
    """`_apply_sgr`, remembered (both arguments are immutable; the result is too)."""
    return _apply_sgr(style, params)


def _apply_sgr(style: Span, params: str) -> Span:
    """The style after one SGR sequence; unknown or malformed codes are ignored."""
    if not params:
        return _PLAIN
    fields = params.replace(":", ";").split(";")
    changes: dict[str, object] = {}
    i = 0
    while i < len(fields):
        field = fields[i]
        i += 1
        if not field.isdigit():
            if field == "":
                changes = {key: getattr(_PLAIN, key) for key in _STYLE_KEYS}
            continue
        code = int(field)
        if code == 0:
            changes = {key: getattr(_PLAIN, key) for key in _STYLE_KEYS}
        elif code in _FLAGS_ON:
            changes[_FLAGS_ON[code]] = True
        elif code == 22:
            changes["bold"] = changes["dim"] = False
        elif code in _FLAGS_OFF:
            changes[_FLAGS_OFF[code]] = False
        elif 30 <= code <= 37:
            changes["fg"] = _NAMES[code - 30]
        elif 90 <= code <= 97:
            changes["fg"] = _BRIGHT[code - 90]
        elif 40 <= code <= 47:
            changes["bg"] = _NAMES[code - 40]
        elif 100 <= code <= 107:
            changes["bg"] = _BRIGHT[code - 100]
        elif code == 39:
            changes["fg"] = None
        elif code == 49:
            changes["bg"] = None
        elif code in (38, 48):
            colour, i = _extended_colour(fields, i)
            if colour is not None:
                changes["fg" if code == 38 else "bg"] = colour
    # The keys are Span's style fields, picked at run time: mypy cannot match them to types.
    return replace(style, **changes) if changes else style  # type: ignore[arg-type]


def _extended_colour(fields: list[str], i: int) -> tuple[str | None, int]:
    """Read `5;n` (256 colours) or `2;r;g;b` (true colour) starting at `fields[i]`."""
    mode = fields[i] if i < len(fields) else ""
    if mode == "5" and i + 1 < len(fields):
        value = _byte(fields[i + 1])
        return (f"color({value})" if value is not None else None), i + 2
    if mode == "2":
        rgb = fields[i + 1 : i + 4]
        # `38:2::r:g:b` carries an empty colour-space id before the components.
        if len(fields) > i + 4 and rgb[:1] == [""]:
            rgb = fields[i + 2 : i + 5]
            i += 1
        values = [_byte(v) for v in rgb]
        if len(values) == 3 and all(v is not None for v in values):
            return "#" + "".join(f"{v:02x}" for v in values), i + 4
        return None, i + 4
    return None, i + 1


def _byte(field: str) -> int | None:
    return int(field) if field.isdigit() and int(field) <= 255 else None


_STYLE_KEYS = ("fg", "bg", "bold", "dim", "italic", "underline", "reverse")
_FLAGS_ON = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 7: "reverse"}
_FLAGS_OFF = {23: "italic", 24: "underline", 27: "reverse"}
