"""Running `spacetui` with no command: open the Textual app (placeholder)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    print("spacetui: the app is not available yet", file=sys.stderr)
    return 2
