"""Status refresh benchmark: one `SpaceMonitor` round against huggingface_hub ways of getting the same.

Run:  python benchmarks/bench_status.py            (200 Spaces, median of 9)
      python benchmarks/bench_status.py --quick    (50 Spaces, median of 3)

One emulator (a uvicorn thread in this process) holds N public Spaces of one author, spread over
every stage. Each measurement answers "stage, SDK and hardware of every Space of alice":

* spacetui: `SpaceMonitor(authors=["alice"]).refresh()` over `HubClient` (one paginated listing
  with `expand=runtime`), request count taken from the transport;
* anchor A: `HfApi.get_space_runtime()` for every Space, one after the other: what polling with
  `wait_for_space` / `hf spaces info` per Space costs (N requests, and still no SDK);
* anchor B: `list(HfApi.list_spaces(author=..., expand=[...]))`: the same single listing through
  huggingface_hub, the fair anchor for the client's own overhead.

Figures are wall-clock medians in the same run; ratios are spacetui / anchor (lower is better).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_UPDATE_CHECK", "1")

import httpx  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402

from tui.domain.auth import HubTarget  # noqa: E402
from tui.domain.hub import HubClient  # noqa: E402
from tui.domain.monitor import SpaceMonitor  # noqa: E402
from tui.emulator.clock import ManualClock  # noqa: E402
from tui.emulator.server import serve_emulator  # noqa: E402

TOKEN = "hf_bench_token_0000000000"
README = b"---\ntitle: Bench\nsdk: docker\napp_port: 7860\n---\n"
DOCKERFILE = b'FROM python:3.11\nCOPY . .\nCMD ["python", "-m", "http.server", "7860"]\n'
EXPAND = ["runtime", "sdk", "private", "lastModified", "sha"]
#: The Hub's rate limit is not what these figures measure: room for every request of a run.
BENCH_QUOTA = 1_000_000


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def median_time(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    spaces, runs = (50, 3) if args.quick else (200, 9)

    clock = ManualClock()
    with serve_emulator(
        users={"alice": TOKEN}, speed=50, clock=clock, quota=BENCH_QUOTA
    ) as emulator:
        for number in range(spaces):
            space_id = f"alice/app-{number:03d}"
            emulator.state.create_space(space_id, sdk="docker")
            if number % 4:
                emulator.state.commit(space_id, {"README.md": README, "Dockerfile": DOCKERFILE})
            clock.advance(0.5)  # Spaces end up in different stages of their lives

        transport = CountingTransport()
        loop = asyncio.new_event_loop()
        hub = HubClient(HubTarget(emulator.url, TOKEN), transport=transport)
        monitor = SpaceMonitor(hub, authors=["alice"])
        loop.run_until_complete(monitor.refresh())  # warm the connection like the anchors below
        found = len(loop.run_until_complete(monitor.refresh()).statuses)
        api = HfApi(endpoint=emulator.url, token=TOKEN)
        ids = [space.id for space in api.list_spaces(author="alice", expand=EXPAND)]

        # Alternate the two listings run by run so that load from other processes hits both alike.
        ours_times, listing_times = [], []
        transport.count = 0
        for _ in range(runs):
            ours_times.append(median_time(1, lambda: loop.run_until_complete(monitor.refresh())))
            listing_times.append(
                median_time(1, lambda: list(api.list_spaces(author="alice", expand=EXPAND)))
            )
        ours, listing = statistics.median(ours_times), statistics.median(listing_times)
        ours_requests = transport.count / runs
        per_space = median_time(3, lambda: [api.get_space_runtime(space_id) for space_id in ids])

        loop.run_until_complete(hub.aclose())
        loop.close()

    print(f"Spaces: {spaces} (found {found}); median of {runs} rounds (anchor A: of 3)")
    print(
        f"spacetui SpaceMonitor.refresh   {ours * 1000:8.1f} ms  {ours_requests:5.1f} requests/round"
    )
    print(
        f"anchor A get_space_runtime x N  {per_space * 1000:8.1f} ms  {len(ids):5d} requests/round"
    )
    print(f"anchor B HfApi.list_spaces      {listing * 1000:8.1f} ms  {1:5d} requests/round")
    print(
        f"ratio spacetui / anchor A: {ours / per_space:.3f}   (requests {ours_requests / len(ids):.3f})"
    )
    print(f"ratio spacetui / anchor B: {ours / listing:.3f}")


if __name__ == "__main__":
    main()
