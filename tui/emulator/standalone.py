"""The emulator as a process: the one `listening on` line, then serve until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from tui.emulator.options import UsageError, add_arguments, validate
from tui.emulator.server import serve_emulator


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C or SIGTERM; 0 on a clean stop, 2 on bad arguments, 1 if it cannot bind."""
    try:
        options = validate(args)
    except UsageError as exc:
        print(f"spacetui emulator: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with serve_emulator(
            seed=options.seed,
            speed=options.speed,
            users=options.users,
            host=options.host,
            port=options.port,
            quota=options.quota,
            plans=options.plans,
        ) as emu:
            emu.state.lfs_uploads = options.lfs
            print(f"listening on {emu.url}", flush=True)
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(
            f"spacetui emulator: cannot listen on {options.host}:{options.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.emulator", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
