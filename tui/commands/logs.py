"""`spacetui logs` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `logs` subcommand."""
    subparsers.add_parser("logs", help="(not yet available)")


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    print("spacetui logs: not available yet", file=sys.stderr)
    return 2
