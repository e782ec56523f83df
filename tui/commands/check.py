"""`spacetui check` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check` subcommand."""
    subparsers.add_parser("check", help="(not yet available)")


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    print("spacetui check: not available yet", file=sys.stderr)
    return 2
