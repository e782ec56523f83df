"""The error-line test's keyword shortcut answers exactly what the pattern answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.domain.error_line import ERROR_LINE, is_error_line

PIECES = [
    "error",
    "ERROR",
    "Error:",
    "ValueError",
    "errors",
    "exception",
    "Traceback",
    "ERR!",
    "npm ",
    "failed",
    "FAILED",
    "fatal",
    "E: ",
    "e: ",
    "exit code: 1",
    "exited with code 0",
    "exit code 3",
    "killed",
    "Killed",
    "[notice]",
    "INFO",
    " ",
    ":",
    "-",
    "x",
    "\u0131",
    "\u212a",
    "\u017f",
    "é",
]


@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_the_shortcut_agrees_with_the_pattern(line: str) -> None:
    assert is_error_line(line) == (ERROR_LINE.search(line) is not None)


@given(st.text(max_size=60))
def test_the_shortcut_agrees_on_any_text(line: str) -> None:
    assert is_error_line(line) == (ERROR_LINE.search(line) is not None)


def test_known_lines() -> None:
    assert is_error_line("ValueError: model not loaded")
    assert is_error_line("ERROR:    Exception in ASGI application")
    assert is_error_line("Job failed with exit code: 1")
    assert not is_error_line('INFO:     10.16.3.7:41822 - "GET / HTTP/1.1" 200 OK')
    assert not is_error_line("[notice] A new release of pip is available: error-free")
    assert not is_error_line("exited with code 0")
