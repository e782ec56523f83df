"""What `spacetui deploy` and `spacetui rollback` share once parsed: exit codes and the output."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from tui.commands.ci_output import CiRenderer
from tui.commands.deploy_render import HumanRenderer, JsonRenderer
from tui.domain.deploy.events import DeployEvent

#: 0 done, 1 failed (any other outcome), 2 usage (before the run), 130 cancelled.
EXIT_CODES = {"running": 0, "uploaded": 0, "restarted": 0, "unchanged": 0, "cancelled": 130}


def choose_renderer(
    *,
    ci: bool,
    json: bool,
    stdout: TextIO,
    stderr: TextIO,
    delete: bool,
    clock: Callable[[], float] = time.monotonic,
) -> Callable[[DeployEvent], None]:
    """Plain sparse lines in CI mode, JSON lines on `--json`, else lines (a bar on a terminal)."""
    if ci:
        # With --json, stdout carries only the one-line summary; the progress lines go to stderr.
        out = stderr if json else stdout
        return CiRenderer(HumanRenderer(out, stderr, tty=False, delete=delete), out, clock=clock)
    if json:
        return JsonRenderer(stdout)
    return HumanRenderer(stdout, stderr, tty=is_tty(stdout), delete=delete)


def is_tty(stream: TextIO) -> bool:
    """True on a terminal (a closed or fake stream is not one)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
