"""`spacetui history SPACE`: the Space's revisions, newest first, with files changed and outcomes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `history` subcommand."""
    parser = subparsers.add_parser(
        "history",
        help="list a Space's revisions with the files they changed and how each deploy ended",
        description=(
            "List the Space's commits, newest first: sha, date, author, title, files changed, "
            "and the outcome where known (from spacetui's own record of its deploys on this "
            "machine, and the Space's runtime for the revision it runs now)."
        ),
    )
    parser.add_argument("space", metavar="SPACE", help="the Space id, namespace/name")
    parser.add_argument("--json", action="store_true", help="print one JSON object per revision")
    parser.add_argument(
        "--limit",
        type=_positive_int,
        default=20,
        metavar="N",
        help="show the newest N revisions (default 20)",
    )
    parser.add_argument("--endpoint", dest="sub_endpoint", metavar="URL", help="Hub endpoint")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def run(args: argparse.Namespace) -> int:
    """Print the history; 0 on success, 1 when the Hub fails, 2 on bad input."""
    return history_main(args, stdout=sys.stdout, stderr=sys.stderr)


def history_main(args: argparse.Namespace, *, stdout: TextIO, stderr: TextIO) -> int:
    """The body of `spacetui history`, with injectable streams."""
    from tui.domain.auth import resolve_target
    from tui.domain.errors import SpacetuiError, UsageError
    from tui.domain.history import fetch_history
    from tui.domain.http import error_from_exception
    from tui.domain.hub.client import HubClient
    from tui.domain.models import is_valid_space_id

    if not is_valid_space_id(args.space):
        stderr.write(
            f"spacetui history: {args.space!r} is not a Space id: expected namespace/name.\n"
        )
        return 2
    try:
        target = resolve_target(args.sub_endpoint or getattr(args, "endpoint", None))
        # The command's one Hub connection: huggingface_hub's client as HubClient configures it.
        revisions = fetch_history(HubClient(target).hf_api(), args.space, limit=args.limit)
    except UsageError as exc:
        stderr.write(f"spacetui history: {exc.message}\n")
        return 2
    except SpacetuiError as exc:
        stderr.write(f"spacetui history: {exc.message}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - every Hub failure is one sentence, never a traceback
        stderr.write(
            f"spacetui history: {error_from_exception(exc, space_id=args.space).message}\n"
        )
        return 1
    if args.json:
        for revision in revisions:
            stdout.write(json.dumps(revision.to_json()) + "\n")
        return 0
    from tui.commands.history_render import history_lines

    for line in history_lines(revisions):
        stdout.write(line + "\n")
    return 0
