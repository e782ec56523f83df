"""`spacetui rollback SPACE`: restore an earlier revision's tree as one new commit, then follow it."""

from __future__ import annotations

import argparse
import sys


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
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--no-follow", action="store_true", help="stop once the commit landed")
    parser.add_argument(
        "--no-probe",
        action="store_true",
        help="after RUNNING, do not ask the app itself for a 2xx/3xx answer",
    )
    parser.add_argument(
        "--probe-path",
        metavar="PATH",
        default="/",
        help="the app path the probe asks after RUNNING (default /)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=30 * 60.0,
        metavar="SECONDS",
        help="give up following the build after this long (default 1800)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON event per line (needs --yes)"
    )
    parser.add_argument(
        "--ci",
        action="store_true",
        help="CI mode (also on when $CI is true): no prompts, sparse plain lines, summaries",
    )
    parser.add_argument("--endpoint", dest="sub_endpoint", metavar="URL", help="Hub endpoint")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 seconds")
    return value


def run(args: argparse.Namespace) -> int:
    """Roll back and return 0 (RUNNING/committed), 1 (failed), 2 (usage) or 130 (cancelled)."""
    from tui.commands.rollback_run import rollback_main

    return rollback_main(args, stdout=sys.stdout, stderr=sys.stderr, stdin=sys.stdin)
