"""`logs -f -n N` prints exactly N history lines then the live ones, whatever drops (issue 14 point 7)."""

from __future__ import annotations

import pytest

from tests.cli.test_logs import log_space, run_cli
from tui.domain.backoff import Backoff
from tui.emulator.server import RunningEmulator

HISTORY = [f"old {i}" for i in range(3000)]


def test_tail_then_follow_is_exact_after_three_dropped_connections(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every reconnect waits longer than the settle pause: the race that printed the whole rest
    # of the history after a drop ("30,180 lines" in 2 of 10 runs) now happens on every drop,
    # so four runs meet it twelve times. The settle pause is the product's 0.3 s and more: a
    # 0.1 s one was shorter than a loaded machine can stall a loopback read while the stream is
    # live, which ended the history early ("run 16: 2400 lines") and failed a run in three.
    monkeypatch.setattr("tui.commands.logs.TAIL_SETTLE_SECONDS", 0.5)
    monkeypatch.setattr(Backoff, "delay", lambda self, attempt, rng=None: 0.6)
    for run in range(4):
        space_id = f"alice/app{run}"
        log_space(emulator, monkeypatch, space_id, HISTORY)  # closes once the history is sent
        emulator.faults.set(space_id=space_id, drop_after=700, count=3)
        code, out, err = run_cli(
            capsys, monkeypatch, space_id, "-f", "-n", "100", "--endpoint", emulator.url
        )
        assert code == 0, err
        assert err.count("Reconnecting in") == 3, err  # the three drops did happen
        printed = out.splitlines()
        assert printed == HISTORY[-100:], f"run {run}: {len(printed)} lines"
