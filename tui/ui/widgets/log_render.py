"""How one remote log line becomes safe, styled pieces for the screen (Rich objects only).

Remote text is untrusted: colours come from `tui.domain.sanitize.parse_ansi` (which drops every
other escape sequence), whatever control character is left is removed, secrets are redacted,
and nothing is ever parsed as Rich markup, so `[bold]` in a log shows literally.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from rich.cells import cell_len
from rich.color import ColorParseError
from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text

from tui.domain.sanitize import UNSAFE_IN_LINE, parse_ansi, redact

# Defence in depth: whatever the sanitiser returns, no dangerous character (nor tab or newline:
# they would make cell widths lie) reaches a Segment.
_CONTROL = UNSAFE_IN_LINE
# A 100 KB line (k9s#541, lazydocker#221) is shown cut here; save and copy keep it whole.
MAX_RENDER_CHARS = 10_000
# Colours for sources in a merged view: no red, which means "error" (stern#298, #347). Fixed RGB,
# never ANSI names: Textual's default ANSI theme (Monokai) paints "magenta" the same #F4005F as
# "red", the BUILD_ERROR badge's colour. Every value is on the xterm 6x6x6 cube, so a 256-colour
# terminal shows it exactly, and each is mid-bright to read on dark and light backgrounds.
SOURCE_COLORS = (
    "#00afd7",  # cyan
    "#5faf00",  # green
    "#d7af00",  # gold
    "#8787ff",  # periwinkle
    "#00d7af",  # aquamarine
    "#af87ff",  # violet
    "#0087ff",  # azure
    "#afaf00",  # olive
    "#5f87af",  # steel blue
    "#87d75f",  # lime
)


def source_color(source: str, index: int | None = None) -> str:
    """A stable colour for a source: by its position when known, else by a hash of its id."""
    if index is None:
        index = zlib.crc32(source.encode())
    return SOURCE_COLORS[index % len(SOURCE_COLORS)]


@lru_cache(maxsize=512)
def _span_style(
    fg: str | None,
    bg: str | None,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
    reverse: bool,
) -> Style:
    try:
        return Style(
            color=fg,
            bgcolor=bg,
            bold=bold or None,
            dim=dim or None,
            italic=italic or None,
            underline=underline or None,
            reverse=reverse or None,
        )
    except (StyleSyntaxError, ColorParseError, ValueError):
        # A colour the sanitiser let through but Rich cannot parse: keep the text, drop colour.
        return Style(bold=bold or None, dim=dim or None, italic=italic or None)


def safe_text(text: str) -> str:
    """`text` without any control character (for remote text outside the ANSI parser)."""
    return _CONTROL.sub("", text)


_CUT_STYLE = Style(dim=True, italic=True)
_CUT_NOTE = " … (line cut for display)"


def body_pieces(raw: str) -> list[tuple[str, Style]]:
    """The displayable pieces of a raw remote line and their styles: SGR colours kept,
    every other escape and control character removed, secrets redacted. Never markup."""
    cut = len(raw) > MAX_RENDER_CHARS
    if cut:
        raw = raw[:MAX_RENDER_CHARS]
    if "\t" in raw:
        raw = raw.expandtabs(8)
    pieces: list[tuple[str, Style]] = []
    for span in parse_ansi(raw):
        piece = safe_text(span.text)
        if piece:
            style = _span_style(
                span.fg, span.bg, span.bold, span.dim, span.italic, span.underline, span.reverse
            )
            pieces.append((piece, style))
    # One redact call on what will show decides; a token may also be split by colour codes.
    shown = "".join(piece for piece, _ in pieces)
    if redact(shown) != shown:
        pieces = [(redact(piece), style) for piece, style in pieces]
        if redact(joined := "".join(piece for piece, _ in pieces)) != joined:
            pieces = [(redact(joined), Style())]  # split across styles: drop them for this line
    if cut:
        pieces.append((_CUT_NOTE, _CUT_STYLE))
    return pieces


def body_text(raw: str) -> Text:
    """The displayable Rich Text of a raw remote line (see `body_pieces`): `[bold]` stays literal."""
    text = Text(no_wrap=True, end="")
    for piece, style in body_pieces(raw):
        text.append(piece, style)
    return text


@lru_cache(maxsize=64)
def source_style(color: str) -> Style:
    return Style(color=color, bold=True)


def cells(plain: str) -> int:
    # ASCII is one cell per character; only other text needs Rich's (slower) width table.
    if "\t" in plain:
        plain = plain.expandtabs(8)
    return len(plain) if plain.isascii() else cell_len(plain)


def short_timestamp(timestamp: str) -> str:
    """`10:00:01.250` out of `2026-11-28T10:00:01.250Z`; other shapes shown as given (safe)."""
    clean = safe_text(timestamp)
    if len(clean) >= 19 and clean[10] == "T":
        return clean[11:23].rstrip("Z")
    return clean[:24]
