"""App benchmarks: `spacetui --demo` to the first painted Space list, and the cost of one refresh
of 50 watched Spaces in the app.

Run:  python benchmarks/bench_app_startup.py           (5 start-ups each, 200 refreshes)
      python benchmarks/bench_app_startup.py --quick   (3 start-ups each, 50 refreshes)

1. Start-up, measured end to end in a pseudo-terminal (120x40), like a user typing the command:
   from process spawn until the terminal output contains a demo Space id in the list (the
   emulator started, whoami and the first listing answered, the table painted). Anchor: a
   minimal Textual app (a DataTable of 10 fixed rows, no network) under the same harness: the
   floor any Textual app pays (interpreter, imports, driver set-up, first frame). Target: < 1.5 s.
2. Refresh of 50 watched Spaces inside the running app (headless, 120x40): one monitor round is
   fetched over loopback (one listing, for reference), then rounds are handed to the app, which
   updates the board and only the table cells that changed. Timed: the UI-thread work of a round
   (the repaint follows at the next frame). Anchor: the same rounds applied the naive way, every
   row rebuilt (`DataTable.clear` + 50 `add_row`), which also loses the cursor and scroll.

Figures are medians in the same run; ratios are spacetui / anchor.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import textwrap
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The Hub's rate limit is not what these figures measure: room for every request of a run.
BENCH_QUOTA = 1_000_000
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_UPDATE_CHECK", "1")

COLUMNS, LINES = 120, 40
ANCHOR_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import DataTable, Footer

    class Anchor(App):
        def compose(self):
            yield DataTable()
            yield Footer()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("Space", "SDK", "Stage")
            table.add_rows([(f"anchor/space-{i}", "docker", "RUNNING") for i in range(10)])

    Anchor().run()
    """
)


def first_paint(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0
) -> float:
    """Seconds from spawning `argv` in a pty until `marker` appears on its terminal; then quit it."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the program
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        os.execvpe(argv[0], argv, env)
    seen = b""
    elapsed: float | None = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen = (seen + chunk)[-200_000:]
                if marker in seen:
                    elapsed = time.perf_counter() - started
                    break
    finally:
        _stop(pid, fd)
    if elapsed is None:
        raise RuntimeError(f"{argv[-1]!r} never painted {marker!r}")
    return elapsed


def _stop(pid: int, fd: int) -> None:
    os.write(fd, b"q")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        # Drain the terminal so the child never blocks writing its last frames.
        if select.select([fd], [], [], 0.05)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


def bench_startup(runs: int) -> None:
    home = tempfile.mkdtemp(prefix="spacetui-bench-")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "SPACETUI_CONFIG")
    }
    env.update(TERM="xterm-256color", HF_HOME=f"{home}/hf", XDG_CONFIG_HOME=f"{home}/config")
    spacetui = [sys.executable, "-m", "tui", "--demo"]
    anchor = [sys.executable, "-c", ANCHOR_APP]
    # One warm-up of each so the file cache is warm, as for a user's second start.
    first_paint(spacetui, b"todo-api", env)
    first_paint(anchor, b"anchor/space-0", env)
    ours = [first_paint(spacetui, b"todo-api", env) for _ in range(runs)]
    base = [first_paint(anchor, b"anchor/space-0", env) for _ in range(runs)]
    ours_median, base_median = statistics.median(ours), statistics.median(base)
    print(f"start-up to first painted list, median of {runs} (pty {COLUMNS}x{LINES}):")
    print(
        f"  spacetui --demo        {ours_median:6.3f} s   (min {min(ours):.3f}, max {max(ours):.3f})"
    )
    print(
        f"  anchor: bare Textual   {base_median:6.3f} s   (min {min(base):.3f}, max {max(base):.3f})"
    )
    print(
        f"  ratio                  {ours_median / base_median:6.2f}x   target < 1.5 s: "
        f"{'met' if ours_median < 1.5 else 'NOT met'}"
    )


async def bench_refresh(rounds: int) -> None:
    from tui.domain.auth import HubTarget
    from tui.domain.hub import HubClient
    from tui.domain.models import Stage
    from tui.domain.monitor import MonitorUpdate, SpaceMonitor
    from tui.emulator.server import serve_emulator
    from tui.ui.app import SpacesApp
    from tui.ui.messages import SpacesRefreshed
    from tui.ui.widgets.space_table import SpaceTable

    token = "hf_bench_alice_token"
    with serve_emulator(seed="empty", users={"alice": token}, quota=BENCH_QUOTA) as emulator:
        for index in range(50):
            emulator.state.create_space(f"alice/space-{index:02d}", sdk="docker")
        target = HubTarget(emulator.url, token)
        async with HubClient(target) as hub:
            monitor = SpaceMonitor(hub, authors=["alice"])
            fetch_times = []
            for _ in range(max(5, rounds // 10)):
                started = time.perf_counter()
                update = await monitor.refresh()
                fetch_times.append(time.perf_counter() - started)
        assert len(update.statuses) == 50, len(update.statuses)

        # Alternate every Space between two stages so each round changes every row.
        def variant(i: int) -> MonitorUpdate:
            stage = Stage.RUNNING if i % 2 else Stage.BUILDING
            statuses = {
                k: replace(s, stage=stage, raw_stage=stage.value)
                for k, s in update.statuses.items()
            }
            return MonitorUpdate(statuses=statuses, stale={}, changes=(), next_refresh_in=30.0)

        app = SpacesApp(target, monitor_factory=lambda *_: _Idle())
        async with app.run_test(size=(COLUMNS, LINES)) as pilot:
            app.post_message(SpacesRefreshed(variant(0)))
            await pilot.pause()
            screen = app.screen
            table = screen.query_one("#spaces", SpaceTable)
            assert len(table.space_ids) == 50

            async def timed(work: Callable[[int], None]) -> list[float]:
                # The work a round costs on the UI thread; painting follows at the next frame.
                times = []
                for i in range(1, rounds + 1):
                    started = time.perf_counter()
                    work(i)
                    times.append(time.perf_counter() - started)
                    await pilot.pause()
                return times

            def changed(i: int) -> None:
                app.board.apply(variant(i).statuses, {})
                screen.refresh_rows()

            def unchanged(i: int) -> None:
                app.board.apply(variant(0).statuses, {})
                screen.refresh_rows()

            def rebuilt(i: int) -> None:
                app.board.apply(variant(i).statuses, {})
                now, stuck = app.clock(), app.config.ui.stuck_after
                table.clear()
                for row in app.board.view():
                    table.add_row(*SpaceTable._cells(row, now, stuck, False), key=row.space_id)

            every = await timed(changed)
            none = await timed(unchanged)
            naive = await timed(rebuilt)
    fetch = statistics.median(fetch_times) * 1000
    print(
        f"refresh of 50 watched Spaces, median of {rounds} (headless {COLUMNS}x{LINES}, UI work per round):"
    )
    print(f"  one monitor round over loopback (1 listing)        {fetch:7.2f} ms")
    for label, times in (("every Space changed stage", every), ("no change (ages tick)", none)):
        median, p95 = statistics.median(times) * 1000, statistics.quantiles(times, n=20)[-1] * 1000
        print(f"  app, {label:26s} in place      {median:7.2f} ms   (p95 {p95:.2f} ms)")
    base = statistics.median(naive) * 1000
    print(f"  anchor: every Space changed, rebuilt (clear+add)   {base:7.2f} ms")
    print(
        f"  ratio, every Space changed / anchor                {statistics.median(every) * 1000 / base:7.2f}x"
    )


class _Idle:
    """A monitor that never reports: the benchmark feeds the rounds itself."""

    def watch(self, *_: object, **__: object) -> None: ...

    async def updates(self):  # noqa: ANN201
        await asyncio.Event().wait()
        yield  # pragma: no cover


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    bench_startup(3 if args.quick else 5)
    asyncio.run(bench_refresh(50 if args.quick else 200))


if __name__ == "__main__":
    main()
