"""`spacetui init` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `init` subcommand."""
    subparsers.add_parser("init", help="(not yet available)")


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    print("spacetui init: not available yet", file=sys.stderr)
    return 2
