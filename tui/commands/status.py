"""`spacetui status` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `status` subcommand."""
    subparsers.add_parser("status", help="(not yet available)")


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    print("spacetui status: not available yet", file=sys.stderr)
    return 2
