"""The options `spacetui deploy` and `spacetui rollback` share: one definition of a run that
commits and follows a build (loaded with the parser, so it imports nothing but argparse)."""

from __future__ import annotations

import argparse

DEFAULT_TIMEOUT = 30 * 60.0


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Confirmation, following, the health probe, output and endpoint: one definition for both."""
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--no-follow", action="store_true", help="stop once the commit landed")
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up following the build after this long (default 1800)",
    )
    parser.add_argument(
        "--no-probe",
        action="store_true",
        help="do not GET the app after RUNNING (by default only a 2xx/3xx answer is success)",
    )
    parser.add_argument(
        "--probe-path",
        type=probe_path,
        metavar="PATH",
        help=(
            "the app path the probe GETs after RUNNING (default: the Space's probe_path in "
            "spacetui.yaml, else /)"
        ),
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


def positive_seconds(text: str) -> float:
    """`--timeout`: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 seconds")
    return value


def probe_path(text: str) -> str:
    """`--probe-path`: an absolute path with no spaces or control characters."""
    # The same rule as spacetui.yaml's `probe_path`; imported here, when an argument is parsed.
    from tui.domain.config import is_probe_path

    if not is_probe_path(text):
        raise argparse.ArgumentTypeError(f"{text!r} must be a path starting with /, like /health")
    return text
