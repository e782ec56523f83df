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


def is_error_line(line: str) -> bool:
    """True when `line` (plain text, escapes already removed) reports an error."""
    return ERROR_LINE.search(line) is not None
