"""A Space whose build or run log is given lines, for the log command's and stream's tests."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tui.emulator.lifecycle import LogFeed, LogLine
from tui.emulator.server import RunningEmulator


def log_space(
    emu: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    space_id: str,
    lines: list[str],
    *,
    kind: str = "run",
    closed: bool = True,
    live: Sequence[tuple[float, str]] = (),
) -> LogFeed:
    """A public Space whose `kind` log is `lines` in the past, then `live` (delay, text) lines."""
    space = emu.state.create_space(space_id, sdk="docker")
    now = emu.clock.now()
    feed_lines = [LogLine(now - 60 + i * 0.001, t + "\n") for i, t in enumerate(lines)]
    feed_lines += [LogLine(now + delay, t + "\n") for delay, t in live]
    closes = (now + max((d for d, _ in live), default=0) + 0.05) if closed else None
    feed = LogFeed(now - 60, feed_lines, closes_at=closes)
    original = space.life.log
    monkeypatch.setattr(space.life, "log", lambda k: feed if k == kind else original(k))
    return feed
