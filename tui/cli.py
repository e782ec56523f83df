"""The `spacetui` command line: parse arguments, then hand off to one command module.

Each subcommand lives in `tui/commands/<name>.py` and exposes `register(subparsers)` and
`run(args) -> int`. Command modules import nothing heavy at module scope, so `spacetui logs`
never imports Textual and `spacetui --help` stays fast.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from tui import __version__
from tui.commands import check, deploy, emulator, history, init, logs, rollback, status, web

#: Subcommand name -> its module, in the order `--help` lists them. Each module exposes
#: `register(subparsers)` and `run(args) -> int`, and imports nothing heavy at module scope.
COMMANDS: dict[str, ModuleType] = {
    "status": status,
    "logs": logs,
    "check": check,
    "init": init,
    "deploy": deploy,
    "history": history,
    "rollback": rollback,
    "emulator": emulator,
    "web": web,
}
#: Allocations between two young-generation collections in a command (Python's default: 700).
COMMAND_GC_THRESHOLD = 20_000
#: The subcommand names (kept for callers that list them).
COMMAND_MODULES = tuple(COMMANDS)


def build_parser() -> argparse.ArgumentParser:
    """The full parser: global app options plus every subcommand."""
    parser = argparse.ArgumentParser(
        prog="spacetui",
        description=(
            "Deploy and monitor Hugging Face Spaces from the terminal. "
            "With no command, opens the app (the offline demo when no token is configured)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"spacetui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on the built-in Hub emulator with the demo account",
    )
    parser.add_argument("--endpoint", metavar="URL", help="Hub endpoint (default: $HF_ENDPOINT)")
    parser.add_argument("--config", metavar="FILE", help="spacetui.yaml to use")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS.values():
        module.register(subparsers)
    return parser


def entry() -> NoReturn:
    """The `spacetui` console script and `python -m tui`: run, then leave without teardown."""
    try:
        code = main()
    except BrokenPipeError:
        # `spacetui check | head`: the reader left; stop quietly, with the shell's SIGPIPE code.
        code = 128 + 13
    exit_now(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` and run one command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from tui.commands import app as app_command

            return app_command.run(args)
        # A command is a short-lived process that builds tens of thousands of objects at once
        # (an upload set, a plan, the stat cache: no reference cycles among them). At Python's
        # default (a collection every 700 allocations) the collector ran ~180 times in an
        # unchanged 10,000-file re-deploy, 35-50 ms of its time; every 20,000 it runs ~5 times.
        # Cycles are still collected, later. The app (long-lived, redrawing) keeps the default.
        gc.set_threshold(COMMAND_GC_THRESHOLD, *gc.get_threshold()[1:])
        return int(COMMANDS[args.command].run(args))
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130


def exit_now(code: int) -> NoReturn:
    """End the process the way Python would, minus tearing down every module object by object.

    A command is finished when `main` returns. The interpreter's teardown of the ~600 modules a
    deploy loads (huggingface_hub, httpx, yaml, ...) then costs 0.1 to 0.2 s of CPU and does
    nothing the operating system does not do at exit. What matters still happens, in Python's
    order: other non-daemon threads finish, atexit handlers run (huggingface_hub closes its
    HTTP session, logging flushes, temporary directories are removed), buffered output is
    flushed.
    """
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()  # the handlers Py_Finalize would run, in the same (LIFO) order
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (`spacetui status | head`): nothing left to tell anyone
    os._exit(code)
