"""Idle cost of the demo: CPU share of `spacetui --demo` at rest, and RSS around a large deploy.

Part 1 runs `spacetui --demo` in a pseudo-terminal, lets it settle, then reads its CPU time from
/proc over a quiet stretch (CPU seconds / wall seconds, as `top` shows it: 100 % = one core),
once 6 s after start and once after `--settle` seconds.
The emulator alone (`spacetui emulator --seed demo`, the same seed the demo serves in-process)
is measured the same way as the anchor, so the app's own share is the difference.

Part 2 serves the demo emulator in this process, deploys a folder with one large random file
through the deploy engine, twice, and prints RSS before, after each deploy and after
`gc.collect()`, next to the bytes the emulator legitimately keeps (the uploaded blobs).

    python benchmarks/bench_idle.py [--settle 65] [--seconds 20] [--big-mb 300] [--skip-memory]

Linux only (/proc). Targets (issue 13, bug 11): idle CPU under 2 % of a core; RSS back near its
start after a large upload, apart from the emulator's copy of the data.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from fcntl import ioctl
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
MB = 1 << 20
README = "---\ntitle: Big\nemoji: 🚀\ncolorFrom: blue\ncolorTo: green\nsdk: docker\n---\n"
DOCKERFILE = 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "-m", "http.server", "7860"]\n'


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def drain(fd: int, stop: threading.Event) -> None:
    """Read the pty so the app never blocks on a full terminal buffer."""
    while not stop.is_set():
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def idle_share(argv: list[str], settle: float, seconds: float, env: dict[str, str]) -> float:
    """CPU share of one core used by `argv` (run in a 120x40 pty) once it has settled."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    stop = threading.Event()
    reader = threading.Thread(target=drain, args=(master, stop), daemon=True)
    reader.start()
    try:
        time.sleep(settle)
        if proc.poll() is not None:
            raise SystemExit(f"{argv} exited early with {proc.returncode}")
        cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        cpu1, wall1 = cpu_seconds(proc.pid), time.monotonic()
        return (cpu1 - cpu0) / (wall1 - wall0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stop.set()
        reader.join(timeout=1)
        os.close(master)


def measure_cpu(settle: float, seconds: float) -> None:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    env.pop("HF_TOKEN", None)
    emulator = idle_share(
        [sys.executable, "-m", "tui", "emulator", "--seed", "demo", "--port", "0"],
        min(settle, 5.0),
        seconds,
        env,
    )
    demo = [sys.executable, "-m", "tui", "--demo"]
    early = idle_share(demo, 6.0, seconds, env)
    settled = idle_share(demo, settle, seconds, env)
    print(f"idle CPU over {seconds:.0f} s (100 % = one core; /proc ticks are 10 ms):")
    print(f"  emulator alone (demo seed)            {emulator * 100:5.2f} %   (anchor)")
    print(f"  spacetui --demo, 6 s after start      {early * 100:5.2f} %")
    print(
        f"  spacetui --demo, {settle:.0f} s after start     {settled * 100:5.2f} %   (target < 2 %)"
    )
    print(f"  the settled app's own share           {(settled - emulator) * 100:5.2f} %")


def big_folder(root: Path, megabytes: int) -> Path:
    folder = root / "big"
    folder.mkdir()
    (folder / "README.md").write_text(README)
    (folder / "Dockerfile").write_text(DOCKERFILE)
    with (folder / "weights.bin").open("wb") as handle:
        for _ in range(megabytes):
            handle.write(os.urandom(MB))
    return folder


def emulator_data_mb(state: object) -> float:
    """Bytes the emulator holds for uploaded content: LFS objects, parts and committed blobs."""
    seen: set[int] = set()
    total = 0

    def add(data: object) -> None:
        nonlocal total
        if isinstance(data, bytes | bytearray) and id(data) not in seen:
            seen.add(id(data))
            total += len(data)

    for data in getattr(state, "lfs_objects", {}).values():
        add(data)
    for parts in getattr(state, "lfs_parts", {}).values():
        for data in parts.values():
            add(data)
    for space in getattr(state, "spaces", {}).values():
        for tree in getattr(space, "revisions", {}).values():
            for blob in tree.values():
                add(getattr(blob, "data", None))
    return total / MB


def measure_memory(megabytes: int) -> None:
    from tui.commands.app import DEMO_TOKEN
    from tui.domain.auth import HubTarget
    from tui.domain.deploy.engine import Deployer
    from tui.domain.deploy.options import DeployOptions
    from tui.domain.hub.client import HubClient
    from tui.emulator.server import serve_emulator

    with (
        tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp,
        serve_emulator(seed="demo", speed=100) as emu,
    ):
        folder = big_folder(Path(tmp), megabytes)
        target = HubTarget(endpoint=emu.url, token=DEMO_TOKEN)

        def deploy(space_id: str) -> str:
            options = DeployOptions(folder, space_id, create=True, follow=False, force=True)

            async def run() -> str:
                async with HubClient(target) as hub:  # the caller's one Hub connection
                    return (await Deployer(hub, options, emit=lambda event: None).run()).outcome

            return asyncio.run(run())

        gc.collect()
        start = rss_mb()
        print(f"RSS around deploys of a {megabytes} MB file (emulator in this process):")
        print(f"  start                                    {start:7.0f} MB")
        for number in (1, 2):
            outcome = deploy(f"demo/big-{number}")
            after = rss_mb()
            gc.collect()
            collected = rss_mb()
            held = emulator_data_mb(emu.state)
            print(
                f"  after deploy {number} ({outcome:<8})            {after:7.0f} MB, after gc "
                f"{collected:5.0f} MB; emulator's data {held:4.0f} MB; client's extra "
                f"{collected - start - held:+5.0f} MB"
            )
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The demo's newest Space changed under a minute before start-up: its "Last change" cell
    # counts seconds (one repaint a second) until it reads "1m ago". 65 s is past that.
    parser.add_argument("--settle", type=float, default=65.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--big-mb", type=int, default=300)
    parser.add_argument("--skip-cpu", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if not args.skip_cpu:
        measure_cpu(args.settle, args.seconds)
    if not args.skip_memory:
        measure_memory(args.big_mb)


if __name__ == "__main__":
    main()
