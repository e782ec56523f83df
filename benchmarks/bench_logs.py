"""Log streaming benchmark: `spacetui logs -f` machinery against `HfApi.fetch_space_logs`.

Run:  python benchmarks/bench_logs.py            (full: 200k-event floods, 20 drops, 1M lines)
      python benchmarks/bench_logs.py --quick    (smoke run in a few seconds)

Everything runs against servers in a separate process (so the client under test has the CPU and
the GIL to itself), started by this script:

1. Throughput on the same 200,000-event flood, median of 3, runs alternating:
   a. served by the real emulator (its logs route formats every event per connection);
   b. served pre-rendered by a bare Starlette route, so the figure is the clients' own cost.
   spacetui = `tui.commands.logs.stream_logs` (LogStream.texts + sanitising + buffered writes) to
   /dev/null; anchor = `fetch_space_logs(follow=True)` with `line.strip()` written to /dev/null (what
   `hf spaces logs -f` does, minus its console layer). Target: time ratio <= 1.0. Also shown, not
   compared: `LogStream.batches()` alone, the LogEvent path the app's log view uses.
   Both clients are timed from their first request (client construction excluded for both);
   CPU seconds of the client process are printed too: on a shared machine they are steadier.
2. Riding out 20 drops: the emulator drops every connection after 50 new events, 20 times, on a
   2,000-line log; both clients must deliver all 2,000 lines. Target: spacetui < 10 s.
3. RSS growth of a process streaming 1,000,000 lines through a LogStream, the newest 100,000
   LogEvents kept by the consumer (a deque, as a view keeps its bounded history; the stream
   itself keeps nothing). Target: < 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

TOKEN = "hf_bench_token_0000"
USER = "bench"
FLOOD = f"{USER}/flood"
DROPS = f"{USER}/drops"
DROP_EVERY = 50
#: The Hub's rate limit is not what these figures measure: room for every request of a run.
BENCH_QUOTA = 1_000_000


def line_text(i: int) -> str:
    """A realistic access-log line (with uvicorn's colour codes on every 10th line)."""
    if i % 10 == 0:
        return f'\x1b[32mINFO\x1b[0m:     10.16.{i % 256}.7:{40000 + i % 20000} - "GET / HTTP/1.1" 200 OK\n'
    return (
        f'INFO:     10.16.{i % 256}.7:{40000 + i % 20000} - "GET /api/items/{i} HTTP/1.1" 200 OK\n'
    )


# -- the server process ----------------------------------------------------------------------


def serve(flood: int, drops_lines: int, million: int) -> None:
    """Child process: the emulator with the benchmark Spaces, plus a pre-rendered flood server."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    from tui.emulator.lifecycle import LogFeed, LogLine
    from tui.emulator.server import serve_emulator
    from tui.emulator.timefmt import iso_z

    with serve_emulator(seed="empty", users={USER: TOKEN}, quota=BENCH_QUOTA) as emu:
        now = emu.clock.now()
        for space_id, count in ((FLOOD, flood), (DROPS, drops_lines)):
            space = emu.state.create_space(space_id, sdk="docker")
            start = now - 3600
            lines = [LogLine(start + i * 0.001, line_text(i)) for i in range(count)]
            feed = LogFeed(start, lines, closes_at=now)
            space.life.log = lambda kind, feed=feed: feed  # type: ignore[method-assign]

        stamp = iso_z(now - 3600)
        rendered = "".join(
            "data: " + json.dumps({"data": line_text(i), "timestamp": stamp}) + "\n\n"
            for i in range(flood)
        ).encode()
        block = "".join(
            "data: " + json.dumps({"data": line_text(i), "timestamp": stamp}) + "\n\n"
            for i in range(10_000)
        ).encode()

        async def logs(request: Request) -> StreamingResponse:
            name = request.path_params["name"]

            async def body() -> AsyncIterator[bytes]:
                if name == "million":  # 1M events as 100 repeats of a 10k-event block
                    for _ in range(million // 10_000):
                        yield block
                    return
                for start in range(0, len(rendered), 1 << 20):
                    yield rendered[start : start + (1 << 20)]

            return StreamingResponse(body(), media_type="text/event-stream")

        app = Starlette(routes=[Route("/api/spaces/{ns}/{name}/logs/{kind}", logs)])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        print(json.dumps({"emulator": emu.url, "rendered": f"http://127.0.0.1:{port}"}), flush=True)
        sys.stdin.read()  # until the parent closes our stdin
        server.should_exit = True
        thread.join(timeout=5)


class Servers:
    """The server child process, as a context manager."""

    def __init__(self, flood: int, drops_lines: int, million: int) -> None:
        self.args = [str(flood), str(drops_lines), str(million)]

    def __enter__(self) -> dict[str, str]:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", *self.args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # the emulator logs every injected drop as a crash
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        return json.loads(self.proc.stdout.readline())

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=20)


# -- the two clients -------------------------------------------------------------------------


@dataclass
class Run:
    """One client run: lines delivered, wall seconds and CPU seconds of this process."""

    lines: int
    wall: float
    cpu: float


class _Clock:
    """Wall and CPU time from construction (CPU time is robust when the machine is shared)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self, lines: int) -> Run:
        return Run(lines, time.perf_counter() - self.wall, time.process_time() - self.cpu)


def run_spacetui(endpoint: str, space_id: str, *, err: io.StringIO | None = None) -> Run:
    """`spacetui logs -f SPACE` minus argument parsing, timed from the first request."""
    from tui.commands.logs import stream_logs
    from tui.domain.auth import HubTarget
    from tui.domain.hub.client import HubClient

    async def main() -> Run:
        async with HubClient(HubTarget(endpoint, TOKEN)) as client:
            with open(os.devnull, "wb") as sink:
                counter = _CountingSink(sink)
                clock = _Clock()
                code = await stream_logs(
                    client,
                    space_id,
                    follow=True,
                    out=counter,  # type: ignore[arg-type]
                    err=err or io.StringIO(),
                )
                run = clock.stop(counter.lines)
                assert code == 0, code
                return run

    return asyncio.run(main())


def run_batches(endpoint: str, space_id: str) -> Run:
    """What the app's log view consumes: `LogStream.batches()` of LogEvents."""
    from tui.domain.auth import HubTarget
    from tui.domain.hub.client import HubClient
    from tui.domain.logstream import LogStream

    async def main() -> Run:
        async with HubClient(HubTarget(endpoint, TOKEN)) as client:
            clock = _Clock()
            stream = LogStream(client, space_id, follow=True)
            lines = 0
            async for batch in stream.batches():
                lines += len(batch)
            return clock.stop(lines)

    return asyncio.run(main())


def run_hf(endpoint: str, space_id: str) -> Run:
    """`hf spaces logs -f SPACE`'s loop (fetch_space_logs, strip, write), timed the same way."""
    from huggingface_hub import HfApi, get_session
    from huggingface_hub.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # its "Retrying in 1s" warnings, one per drop
    api = HfApi(endpoint=endpoint, token=TOKEN)
    get_session()  # its shared client is built once per process, so not timed (like ours)
    lines = 0
    with open(os.devnull, "w") as sink:
        clock = _Clock()
        for line in api.fetch_space_logs(space_id, follow=True):
            sink.write(line.strip() + "\n")
            lines += 1
        return clock.stop(lines)


class _CountingSink:
    def __init__(self, sink: BinaryIO) -> None:
        self.sink = sink
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self.sink.write(data)

    def flush(self) -> None:
        self.sink.flush()


def checked(run: Run, expected: int) -> Run:
    if run.lines != expected:
        raise SystemExit(f"benchmark invalid: {run.lines} lines delivered, expected {expected}")
    return run


# -- the measurements ------------------------------------------------------------------------


def throughput(url: str, space_id: str, events: int, runs: int, label: str) -> None:
    ours: list[Run] = []
    theirs: list[Run] = []
    app: list[Run] = []
    # Untimed warm-up of both clients and of the server's route (first requests cost extra).
    run_spacetui(url, DROPS)
    run_hf(url, DROPS)
    for run in range(runs):
        # Alternate who goes first so neither profits from a quieter moment of the machine.
        pair = [(run_spacetui, ours), (run_hf, theirs)]
        for fn, results in pair if run % 2 == 0 else pair[::-1]:
            results.append(checked(fn(url, space_id), events))
        app.append(checked(run_batches(url, space_id), events))
    print(f"\n1{label} {events:,} events, median of {runs}")
    for name, results in (
        ("spacetui logs -f", ours),
        ("fetch_space_logs(-f)", theirs),
        ("(app: LogStream.batches)", app),
    ):
        wall = statistics.median(r.wall for r in results)
        cpu = statistics.median(r.cpu for r in results)
        print(
            f"   {name:24} {wall:6.2f} s wall {events / wall:>10,.0f} events/s"
            f"   cpu {cpu:5.2f} s   runs {' / '.join(f'{r.wall:.2f}' for r in results)}"
        )
    wall_ratio = statistics.median(r.wall for r in ours) / statistics.median(r.wall for r in theirs)
    cpu_ratio = statistics.median(r.cpu for r in ours) / statistics.median(r.cpu for r in theirs)
    print(
        f"   time ratio spacetui/hf {wall_ratio:6.2f} wall (target <= 1.0: {_ok(wall_ratio <= 1.0)})"
        f", {cpu_ratio:.2f} cpu"
    )


def drops(url: str, lines: int, count: int) -> None:
    import httpx

    def inject() -> None:
        # Rules are taken newest first: the first connection drops after 50 events, the next
        # after 100 (50 new ones), and so on; the connection after the last rule gets the rest.
        with httpx.Client(base_url=url) as admin:
            admin.delete("/_emulator/faults")
            for k in range(count, 0, -1):
                admin.post(
                    "/_emulator/faults",
                    json={"space_id": DROPS, "drop_after": DROP_EVERY * k, "count": 1},
                ).raise_for_status()

    inject()
    err = io.StringIO()
    ours = checked(run_spacetui(url, DROPS, err=err), lines).wall
    reconnects = err.getvalue().count("Reconnecting in")
    inject()
    theirs = checked(run_hf(url, DROPS), lines).wall
    print(f"\n2. riding out {count} drops ({lines:,}-line log, a drop every {DROP_EVERY} lines)")
    print(
        f"   spacetui logs -f       {ours:6.2f} s   ({reconnects} reconnects, every line once; "
        f"target < 10 s: {_ok(ours < 10)})"
    )
    print(f"   fetch_space_logs(-f)   {theirs:6.2f} s   (sleeps 1 s after each drop)")
    print(f"   time ratio spacetui/hf {ours / theirs:6.2f}")


def rss(url: str, lines: int) -> None:
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", url, str(lines)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    result = json.loads(out)
    growth = (result["after"] - result["before"]) / 2**20
    print(f"\n3. memory: {lines:,} lines through one LogStream (newest 100,000 events kept)")
    print(
        f"   RSS before {result['before'] / 2**20:6.1f} MB, after {result['after'] / 2**20:6.1f}"
        f" MB, growth {growth:5.1f} MB (target < 100 MB: {_ok(growth < 100)})"
    )
    print(
        f"   kept {result['ring']:,} events; {result['seconds']:.2f} s,"
        f" {lines / result['seconds']:,.0f} lines/s"
    )


def rss_child(url: str, lines: int) -> None:
    """Child process: stream `lines` events and report RSS before and after (no other state)."""
    import gc

    from tui.domain.auth import HubTarget
    from tui.domain.hub.client import HubClient
    from tui.domain.logstream import LogStream
    from tui.domain.models import LogEvent

    async def main() -> dict[str, float]:
        async with HubClient(HubTarget(url, TOKEN)) as client:
            gc.collect()
            before = _rss_bytes()
            start = time.perf_counter()
            stream = LogStream(client, f"{USER}/million", follow=True)
            seen = 0
            kept: deque[LogEvent] = deque(maxlen=100_000)
            async for batch in stream.batches():
                seen += len(batch)
                kept.extend(batch)
            seconds = time.perf_counter() - start
            gc.collect()
            assert seen == lines, seen
            return {
                "before": before,
                "after": _rss_bytes(),
                "ring": len(kept),
                "seconds": seconds,
            }

    print(json.dumps(asyncio.run(main())))


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _ok(good: bool) -> str:
    return "met" if good else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a smoke test")
    parser.add_argument("--serve", nargs=3, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    if args.rss_child:
        rss_child(args.rss_child[0], int(args.rss_child[1]))
        return
    flood, runs, drop_count, million = (
        (20_000, 1, 5, 100_000) if args.quick else (200_000, 3, 20, 1_000_000)
    )
    drop_lines = DROP_EVERY * drop_count * 2
    print(
        f"bench_logs: python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        + (" (quick mode)" if args.quick else "")
    )
    with Servers(flood, drop_lines, million) as urls:
        throughput(urls["emulator"], FLOOD, flood, runs, "a. emulator flood:")
        throughput(urls["rendered"], FLOOD, flood, runs, "b. pre-rendered flood (client-bound):")
        drops(urls["emulator"], drop_lines, drop_count)
        rss(urls["rendered"], million)


if __name__ == "__main__":
    main()
