"""Wrap a check so no token-shaped text from the user's files reaches a finding's message."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding
from tui.domain.redact import redact

Check = Callable[[CheckContext], Iterable[Finding]]


def redacted(check: Check) -> Check:
    """`check` with `redact` applied to every message (messages quote Dockerfile/requirements text)."""

    @functools.wraps(check)
    def wrapper(ctx: CheckContext) -> Iterator[Finding]:
        for finding in check(ctx):
            yield replace(finding, message=redact(finding.message))

    return wrapper
