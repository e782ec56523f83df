"""`spacetui init`: scaffold a known-good Docker Space that `spacetui check` reports clean."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `init` subcommand."""
    parser = subparsers.add_parser(
        "init",
        help="scaffold a known-good Docker Space",
        description=(
            "Create README.md, Dockerfile, app.py, requirements.txt and .hfignore for a Docker "
            "Space that passes `spacetui check`. Existing files are never overwritten without "
            "--force."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="folder to create or fill")
    parser.add_argument("--sdk", default="docker", choices=("docker",), help="Space SDK")
    parser.add_argument("--port", type=int, default=7860, help="app_port (default 7860)")
    parser.add_argument("--python", default="3.12", help="Python version of the base image")
    parser.add_argument("--title", help="Space title (default: from the folder name)")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--web-dashboard",
        action="store_true",
        help="scaffold a private Space that serves `spacetui web` instead (see docs/web.md)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the scaffold; 1 when it would overwrite files, 2 on bad options."""
    from pathlib import Path

    from tui.domain.errors import UsageError
    from tui.domain.scaffold import ScaffoldConflict, ScaffoldOptions, title_for, write_scaffold

    root = Path(args.path)
    try:
        options = ScaffoldOptions(
            title=args.title or title_for(root), port=args.port, python=args.python, sdk=args.sdk
        )
        if getattr(args, "web_dashboard", False):
            from tui.web.scaffold import write_dashboard

            written = write_dashboard(root, options, force=args.force)
        else:
            written = write_scaffold(root, options, force=args.force)
    except UsageError as exc:
        print(f"spacetui init: {exc.message}", file=sys.stderr)
        return 2
    except ScaffoldConflict as exc:
        print(
            f"spacetui init: {', '.join(exc.paths)} already exist in {root}; "
            "nothing was written (use --force to overwrite)",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(f"spacetui init: cannot write {root}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"created {', '.join(written)} in {root}")
    print(f"next: spacetui check {root}")
    return 0
