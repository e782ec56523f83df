"""Remote log text never reaches the terminal as a control sequence or as markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.sanitize import Span, is_safe, parse_ansi, strip_ansi

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "logs"
# Allowed in output: tab and newline. Nothing else below 0x20, no DEL, no C1, no bidi overrides.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# (name, hostile input, the plain text a user should see)
CORPUS = [
    ("osc52 clipboard write", "a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"),
    ("osc52 with ST", "a\x1b]52;c;cm0gLXJmIH4=\x1b\\b", "ab"),
    ("osc8 hyperlink", "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),
    ("title set", "\x1b]0;pwned\x07after", "after"),
    ("title set 8-bit OSC", "\x9d2;pwned\x9cafter", "after"),
    ("unterminated OSC eats the rest", "ok \x1b]0;never ends", "ok "),
    ("unterminated OSC ends with its line", "a\x1b]0;x\nb", "a\nb"),
    ("cursor up", "x\x1b[2Ay", "xy"),
    ("cursor position", "\x1b[10;20Hhere", "here"),
    ("erase screen", "\x1b[2J\x1b[3Jcleared", "cleared"),
    ("erase line", "keep\x1b[Kthis", "keepthis"),
    ("8-bit CSI erase", "a\x9b2Jb", "ab"),
    ("8-bit CSI SGR dropped in plain", "\x9b31mred\x9b0m", "red"),
    ("DCS", "\x1bPq#0;2;0;0;0#1!\x1b\\text", "text"),
    ("8-bit DCS", "\x90+q544e\x9ctext", "text"),
    ("APC", "\x1b_Gf=100;AAAA\x1b\\img", "img"),
    ("PM and SOS", "\x1b^private\x1b\\\x1bXsos\x1b\\done", "done"),
    ("device status report (answerback)", "\x1b[6n\x1b[c\x1b[>0cq", "q"),
    ("private mode set (alt screen, mouse)", "\x1b[?1049h\x1b[?1000hz", "z"),
    ("reset terminal (RIS)", "\x1bcreset", "reset"),
    ("charset switch", "\x1b(0lqk\x1b(B", "lqk"),
    ("save/restore cursor", "\x1b7a\x1b8", "a"),
    ("bell", "ding\x07dong", "dingdong"),
    ("backspace overstrike", "abc\x08\x08\x08XYZ", "abcXYZ"),
    ("NUL and DEL", "a\x00b\x7fc", "abc"),
    ("lone ESC at the end", "tail\x1b", "tail"),
    ("incomplete CSI", "x\x1b[31", "x31"),
    ("C1 controls", "a\x85b\x8dc\x8ed", "abcd"),
    ("8-bit APC up to ST", "a\x9fpayload\x9cb", "ab"),
    ("vertical tab and form feed", "a\x0bb\x0cc", "abc"),
    ("carriage return progress bar", "10%\r50%\r100%", "100%"),
    ("CRLF line ending", "done\r", "done"),
    ("CR hides a prefix", "rm -rf /\rls", "ls"),
    ("bidi override (trojan source)", "user\u202eexe.txt\u202c", "userexe.txt"),
    ("rich markup stays literal", "[bold red]not markup[/] [link=x]y[/link]", None),
    ("tabs and newlines kept", "a\tb\nc", "a\tb\nc"),
    ("SGR colours stripped in plain", "\x1b[32mINFO\x1b[0m:     Started", "INFO:     Started"),
    ("truecolor SGR", "\x1b[38;2;255;136;0morange\x1b[m", "orange"),
]


@pytest.mark.parametrize(("name", "raw", "plain"), CORPUS, ids=[c[0] for c in CORPUS])
def test_strip_ansi_neutralises_hostile_sequences(name: str, raw: str, plain: str | None) -> None:
    out = strip_ansi(raw)
    assert FORBIDDEN.search(out) is None, repr(out)
    assert out == (raw if plain is None else plain)


@pytest.mark.parametrize(("name", "raw", "plain"), CORPUS, ids=[c[0] for c in CORPUS])
def test_parse_ansi_spans_are_safe_and_carry_the_same_text(
    name: str, raw: str, plain: str | None
) -> None:
    spans = parse_ansi(raw)
    for span in spans:
        assert FORBIDDEN.search(span.text) is None, repr(span)
        assert span.text
    assert "".join(span.text for span in spans) == strip_ansi(raw)


def test_markup_is_never_interpreted() -> None:
    (span,) = parse_ansi("[bold red]boom[/]")
    assert span == Span("[bold red]boom[/]")


def test_sgr_becomes_styles() -> None:
    spans = parse_ansi("\x1b[32mINFO\x1b[0m:  \x1b[1;31mERROR\x1b[22m plain red\x1b[39m end")
    assert spans == [
        Span("INFO", fg="green"),
        Span(":  "),
        Span("ERROR", fg="red", bold=True),
        Span(" plain red", fg="red"),
        Span(" end"),
    ]


@pytest.mark.parametrize(
    ("sgr", "expected"),
    [
        ("\x1b[91m", Span("t", fg="bright_red")),
        ("\x1b[44m", Span("t", bg="blue")),
        ("\x1b[103m", Span("t", bg="bright_yellow")),
        ("\x1b[38;5;208m", Span("t", fg="color(208)")),
        ("\x1b[48;5;17m", Span("t", bg="color(17)")),
        ("\x1b[38;2;255;136;0m", Span("t", fg="#ff8800")),
        ("\x1b[38:2::1:2:3m", Span("t", fg="#010203")),
        ("\x1b[2;3;4;7m", Span("t", dim=True, italic=True, underline=True, reverse=True)),
        ("\x1b[1m\x1b[m", Span("t")),
        ("\x1b[38;5;999m", Span("t")),  # out of range: ignored
        ("\x1b[38;2;1;2m", Span("t")),  # too short: ignored
        ("\x9b1m", Span("t", bold=True)),  # 8-bit CSI SGR
        ("\x1b[5;9;53m", Span("t")),  # blink, strike, overline: not rendered
    ],
)
def test_sgr_variants(sgr: str, expected: Span) -> None:
    assert parse_ansi(sgr + "t") == [expected]


def test_colour_set_before_a_carriage_return_still_applies() -> None:
    assert parse_ansi("\x1b[32m 10%\r100%") == [Span("100%", fg="green")]


def test_real_fixture_logs_come_out_clean() -> None:
    checked = 0
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            assert FORBIDDEN.search(strip_ansi(line)) is None
            for span in parse_ansi(line):
                assert FORBIDDEN.search(span.text) is None
            checked += 1
    assert checked > 500


def test_plain_text_is_returned_unchanged_and_fast_path_keeps_identity() -> None:
    line = 'INFO:     127.0.0.1:40000 - "GET / HTTP/1.1" 200 OK'
    assert strip_ansi(line) is line
    assert parse_ansi(line) == [Span(line)]
    assert parse_ansi("") == []


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(
                [
                    "\x1b",
                    "[",
                    "]",
                    "\\",
                    "\x07",
                    "\x9b",
                    "\x9c",
                    "\x9d",
                    "\x90",
                    "P",
                    "_",
                    "^",
                    "\r",
                    "\n",
                    "\t",
                    ";",
                    ":",
                    "m",
                    "0",
                    "1",
                    "3",
                    "8",
                    "5",
                    "2",
                    "?",
                    "h",
                    "J",
                ]
            ),
            st.characters(),
        ),
        max_size=60,
    )
)
def test_nothing_unsafe_survives_arbitrary_input(raw: str) -> None:
    assert FORBIDDEN.search(strip_ansi(raw)) is None
    assert all(FORBIDDEN.search(span.text) is None for span in parse_ansi(raw))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from(list("\x1b[]\\\x07\x9b\x9d\rm0;8Pa\t")), max_size=12))
)
def test_a_joined_batch_sanitises_like_its_lines_one_by_one(lines: list[str]) -> None:
    assert strip_ansi("\n".join(lines)) == "\n".join(strip_ansi(line) for line in lines)


def test_is_safe_flags_exactly_what_needs_work() -> None:
    assert is_safe("plain\ttext\nnext")
    assert not is_safe("a\x1b[1mb") and not is_safe("cr\r") and not is_safe("\x9b")
