"""The one definition of "an error line" in a Space's log, for the log view's filter and failures.

Tuned on pip/uv/npm/apt/docker/Python failures (tests/fixtures/logs): `error\\b` catches ERROR,
error:, ValueError (the `.*?` before it takes the word's head) but not "errors"; an exit code
counts only when it is not 0; pip's `[notice]` lines (a newer pip is available) are never
errors, whatever they say.
"""

from __future__ import annotations

import re

# `error\b` and not `\w*error\b`: the lazy `.*?` before it already takes the word's head
# (ValueError), so the lines matched are the same; `\w*` there rescanned every word from each
# of its letters, which took 0.6 s on one 12,000-letter line.
ERROR_LINE_PATTERN = (
    r"(?i)^(?!.*\[notice\]).*?"
    r"(?:(?:error|exception|traceback)\b|\bERR!|\bfailed\b|\bfatal\b|^E: "
    r"|\bexit(?:ed with)? code:? *[1-9]|\bkilled\b)"
)
ERROR_LINE = re.compile(ERROR_LINE_PATTERN)
#: Words one of which every error line contains (lower case): a line without any cannot match
#: the pattern, so the regex (about 20 µs on a 100-character line) runs only on the few that do.
#: The log view colours every line it draws, so this runs per row during a flood.
_KEYWORDS = ("error", "exception", "traceback", "err!", "failed", "fatal", "e: ", "exit", "killed")


def is_error_line(line: str) -> bool:
    """True when `line` (plain text, escapes already removed) reports an error."""
    # ASCII only: the pattern's IGNORECASE also folds a few other letters (ı, ſ, K) that
    # `lower()` leaves alone, so other text always goes to the regex.
    if line.isascii():
        lowered = line.lower()
        if not any(word in lowered for word in _KEYWORDS):
            return False
    return ERROR_LINE.search(line) is not None
