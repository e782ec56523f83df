"""`spacetui deploy`: a reviewed upload with byte-level progress, then the build followed to RUNNING."""

from __future__ import annotations

import argparse
import sys

from tui.commands.deploy_options import add_run_options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `deploy` subcommand."""
    parser = subparsers.add_parser(
        "deploy",
        help="upload a Space folder (after review) and follow the build to RUNNING",
        description=(
            "Check PATH, compare it with the Space's current revision, show what changes, upload "
            "only what changed in one commit, then follow the build until RUNNING or an error."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="the local Space folder")
    parser.add_argument("--space", required=True, metavar="ID", help="the Space id, namespace/name")
    parser.add_argument("--create", action="store_true", help="create the Space if it is missing")
    parser.add_argument("--public", action="store_true", help="create it public (default: private)")
    parser.add_argument("--delete", action="store_true", help="delete remote files missing locally")
    parser.add_argument("--force", action="store_true", help="deploy despite check errors")
    parser.add_argument(
        "--allow-secret",
        action="append",
        default=[],
        metavar="PATH",
        help="publish this file although it looks like it holds a secret (repeatable)",
    )
    parser.add_argument("--restart", action="store_true", help="restart even if nothing changed")
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="NAME",
        help="set Space secret NAME from $NAME (or a prompt) before uploading (repeatable)",
    )
    parser.add_argument(
        "--variable",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="set Space variable NAME (value given, or from $NAME) before uploading (repeatable)",
    )
    parser.add_argument(
        "--secrets-from",
        metavar="FILE",
        help="set the secrets the code reads from this dotenv file (never uploaded, never printed)",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="show a unified diff of each changed text file against the Space in the review",
    )
    parser.add_argument("--hardware", metavar="FLAVOR", help="request this hardware")
    parser.add_argument("--message", "-m", metavar="TEXT", help="commit message")
    add_run_options(parser)


def run(args: argparse.Namespace) -> int:
    """Deploy and return 0 (RUNNING/uploaded), 1 (failed), 2 (usage) or 130 (cancelled)."""
    # A folder its last deploy stamped is confirmed unchanged without loading the engine.
    from tui.commands.deploy_unchanged import try_unchanged

    done = try_unchanged(args, stdout=sys.stdout, stderr=sys.stderr, stdin=sys.stdin)
    if done is not None:
        return done
    from tui.commands.deploy_run import deploy_main

    return deploy_main(args, stdout=sys.stdout, stderr=sys.stderr, stdin=sys.stdin)
