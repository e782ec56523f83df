"""The `spacetui` command line: parse arguments, then hand off to one command module.

Each subcommand lives in `tui/commands/<name>.py` and exposes `register(subparsers)` and
`run(args) -> int`. Command modules import nothing heavy at module scope, so `spacetui logs`
never imports Textual and `spacetui --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tui import __version__

#: Subcommands in the order `--help` lists them.
COMMAND_MODULES = ("status", "logs", "check", "init", "deploy", "emulator")


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
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"tui.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `spacetui` console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from tui.commands import app as app_command

            return app_command.run(args)
        module = importlib.import_module(f"tui.commands.{args.command}")
        return int(module.run(args))
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130
