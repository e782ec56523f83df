"""`spacetui rollback SPACE`: restore an earlier revision's tree as one new commit, then follow it."""

from __future__ import annotations

import argparse
import sys

from tui.commands.deploy_options import add_run_options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `rollback` subcommand."""
    parser = subparsers.add_parser(
        "rollback",
        help="restore an earlier revision as one new commit and follow the build",
        description=(
            "Make the Space's files equal an earlier revision's, byte for byte, in one new commit "
            "(history is never rewritten), then follow the build like a deploy. Without --to, "
            "the revision is the newest earlier one recorded on this machine as reaching RUNNING "
            "(and passing the health probe where one ran). Exit codes as for deploy."
        ),
    )
    parser.add_argument("space", metavar="SPACE", help="the Space id, namespace/name")
    parser.add_argument("--to", metavar="SHA", help="the revision to restore (4+ hex characters)")
    add_run_options(parser)


def run(args: argparse.Namespace) -> int:
    """Roll back and return 0 (RUNNING/committed), 1 (failed), 2 (usage) or 130 (cancelled)."""
    from tui.commands.rollback_run import rollback_main

    return rollback_main(args, stdout=sys.stdout, stderr=sys.stderr, stdin=sys.stdin)
