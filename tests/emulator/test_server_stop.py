"""The in-process emulator sleeps between ticks and is woken to stop (issue 13, bug 11)."""

from __future__ import annotations

import threading

import pytest

from tui.emulator import server
from tui.emulator.server import serve_emulator


def test_leaving_serve_emulator_wakes_the_server_instead_of_waiting_for_a_tick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An hour between ticks: only the wake-up in stop() can end the server's loop in time.
    monkeypatch.setattr(server._PromptServer, "TICK", 3600.0)
    before = set(threading.enumerate())
    with serve_emulator() as emu:
        assert emu.url.startswith("http://127.0.0.1:")
        (thread,) = [
            t for t in set(threading.enumerate()) - before if t.name.startswith("emulator")
        ]
    assert not thread.is_alive()
