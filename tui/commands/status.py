"""`spacetui status`: stage, SDK and hardware of Spaces, once or `--watch`ed, as a table or JSON lines."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tui.domain.hub import HubClient
    from tui.domain.models import SpaceStatus
    from tui.domain.monitor import MonitorUpdate, SpaceMonitor, StageChanged

COLUMNS = ("SPACE", "SDK", "STAGE", "HARDWARE", "LAST CHANGE", "ERROR")
#: The error column's cut: one line of the runtime's errorMessage (`--json` has it whole).
ERROR_WIDTH = 80
_NO_TARGET = (
    "no Space or --author given and no token to find your own Spaces; "
    "sign in with `hf auth login` or set HF_TOKEN"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `status` subcommand."""
    parser = subparsers.add_parser(
        "status",
        help="stage, hardware and SDK of Spaces, once or --watch",
        description=(
            "Show the runtime stage, SDK and hardware of Spaces. With no SPACE and no --author, "
            "shows the Spaces of the token's own account."
        ),
    )
    parser.add_argument("spaces", nargs="*", metavar="SPACE", help="Space id (namespace/name)")
    parser.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="NAME",
        help="every Space of this user or organisation (repeatable)",
    )
    parser.add_argument("--watch", "-w", action="store_true", help="keep printing stage changes")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--interval",
        type=_positive_seconds,
        default=30.0,
        metavar="SECONDS",
        help="with --watch: seconds between refreshes while every Space is stable (default 30; "
        "transitional Spaces are polled every 2 s or this, whichever is shorter)",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        default=argparse.SUPPRESS,  # keeps a global `spacetui --endpoint URL status` intact
        help="Hub endpoint (default: $HF_ENDPOINT, then https://huggingface.co)",
    )


def run(args: argparse.Namespace) -> int:
    """Resolve the target, then print once or watch; returns the exit code."""
    import asyncio

    from tui.domain.errors import HubError, SpacetuiError, UsageError

    try:
        return asyncio.run(_run(args))
    except UsageError as error:
        return _fail(error.message, 2)
    except (HubError, SpacetuiError) as error:
        return _fail(error.message, 1)
    except BrokenPipeError:  # `spacetui status | head`: the reader left, which is fine
        _silence_stdout()
        return 0
    except Exception as error:  # a bug of ours still gets one redacted line, not a traceback
        from tui.domain.redact import redact

        return _fail(redact(f"unexpected error: {type(error).__name__}: {_safe(str(error))}"), 1)


async def _run(args: argparse.Namespace) -> int:
    from tui.domain.auth import resolve_target
    from tui.domain.errors import UsageError
    from tui.domain.hub import HubClient
    from tui.domain.models import is_valid_space_id
    from tui.domain.monitor import SpaceMonitor

    for space_id in args.spaces:
        if not is_valid_space_id(space_id):
            raise UsageError(f"not a Space id: {_safe(repr(space_id))} (expected namespace/name)")
    for author in args.author:
        if not author or "/" in author:
            raise UsageError(f"not a user or organisation name: {_safe(repr(author))}")
    target = resolve_target(getattr(args, "endpoint", None))
    if not args.spaces and not args.author and not target.has_token:
        raise UsageError(_NO_TARGET)
    async with HubClient(target) as hub:
        authors = list(args.author) or ([] if args.spaces else [await _own_name(hub)])
        monitor = SpaceMonitor(
            hub,
            space_ids=args.spaces,
            authors=authors,
            fast_interval=min(2.0, args.interval),
            slow_interval=args.interval,
        )
        if args.watch:
            return await _watch(monitor, as_json=args.json)
        update = await monitor.refresh()
        _print_statuses(update, as_json=args.json, out=sys.stdout)
        return _report_problems(update, authors, sys.stderr, signed_in=target.has_token)


async def _own_name(hub: HubClient) -> str:
    return (await hub.whoami()).name


async def _watch(monitor: SpaceMonitor, *, as_json: bool) -> int:
    """Print the first round in full, then one line per stage change, until Ctrl+C."""
    shown_stale: dict[str, str] = {}
    first = True
    async for update in monitor.updates():
        if first:
            _print_statuses(update, as_json=as_json, out=sys.stdout)
            first = False
        else:
            for change in update.changes:
                print(_change_line(change, as_json=as_json), file=sys.stdout, flush=True)
        problems = {**update.stale, **{f"{a} (author)": r for a, r in update.author_errors.items()}}
        for key, reason in problems.items():
            if shown_stale.get(key) != reason:
                print(f"{_clock()}  {key}  stale: {reason}", file=sys.stderr, flush=True)
        for key in set(shown_stale) - set(problems):
            print(f"{_clock()}  {key}  fresh again", file=sys.stderr, flush=True)
        shown_stale = problems
    return 0  # pragma: no cover - updates() never ends; Ctrl+C leaves through KeyboardInterrupt


def _print_statuses(update: MonitorUpdate, *, as_json: bool, out: TextIO) -> None:
    statuses = list(update.statuses.values())
    if as_json:
        for status in statuses:
            print(status_json(status, stale=update.stale.get(status.space_id)), file=out)
    elif statuses:
        print(format_table(statuses), file=out)
    out.flush()


def _report_problems(
    update: MonitorUpdate, authors: Iterable[str], err: TextIO, *, signed_in: bool
) -> int:
    """One stderr line per Space or author that could not be read; exit 1 if there was any."""
    problems = [*update.stale.values(), *update.author_errors.values()]
    for reason in dict.fromkeys(problems):  # several Spaces of one failed listing share a reason
        print(f"spacetui status: {reason}", file=err)
    if not problems and not update.statuses:
        names = ", ".join(authors) or "these authors"
        who = "to this token" if signed_in else "without a token"
        print(f"spacetui status: no Spaces of {_safe(names)} are visible {who}", file=err)
    return 1 if problems else 0


def format_table(statuses: Iterable[SpaceStatus], *, now: float | None = None) -> str:
    """Plain aligned columns (no colour, no markup), one row per Space."""
    rows = [COLUMNS] + [
        (
            _safe(s.space_id),
            _safe(s.sdk or "-"),
            stage_label(s),
            hardware_label(s),
            age_label(s.last_modified, now=now),
            error_label(s),
        )
        for s in statuses
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def status_json(status: SpaceStatus, *, stale: str | None = None) -> str:
    """One JSON object (one line) per Space; `json` escapes every control character."""
    import json

    record: dict[str, Any] = {
        "id": status.space_id,
        "stage": status.stage.value,
        "raw_stage": status.raw_stage,
        "sdk": status.sdk,
        "hardware": status.hardware,
        "requested_hardware": status.requested_hardware,
        "private": status.private,
        "sleep_time": status.sleep_time,
        "last_modified": status.last_modified,
        "sha": status.sha,
        "error_message": status.error_message,
    }
    if stale:
        record["stale"] = stale
    return json.dumps(record, ensure_ascii=True)


def error_label(status: SpaceStatus) -> str:
    """The runtime's error message on one line, token-free, cut to ERROR_WIDTH; '' when none."""
    from tui.domain.redact import redact

    text = _safe(redact(status.error_message or ""))
    return text if len(text) <= ERROR_WIDTH else text[: ERROR_WIDTH - 1] + "…"


def stage_label(status: SpaceStatus) -> str:
    """The stage name; an unknown raw stage is shown as the Hub sent it (made safe)."""
    if status.stage.value == "UNKNOWN" and status.raw_stage:
        return _safe(status.raw_stage)
    return status.stage.value


def hardware_label(status: SpaceStatus) -> str:
    """Current hardware, with the requested one when a change is pending (`cpu-basic->t4-small`)."""
    current, requested = status.hardware, status.requested_hardware
    if requested and current and requested != current:
        return _safe(f"{current}->{requested}")
    return _safe(current or requested or "-")


def age_label(iso: str | None, *, now: float | None = None) -> str:
    """`5m ago` from an ISO-8601 timestamp (k9s-style compact ages); `-` when unknown."""
    if not iso:
        return "-"
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return "-"
    seconds = max(0, int((time.time() if now is None else now) - then))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def _change_line(change: StageChanged, *, as_json: bool) -> str:
    old = change.old.stage.value if change.old is not None else None
    if as_json:
        import json

        return json.dumps(
            {
                "time": _clock(iso=True),
                "id": change.space_id,
                "old": old,
                "new": change.new.stage.value,
            }
        )
    return f"{_clock()}  {_safe(change.space_id)}  {old or '(new)'} -> {stage_label(change.new)}"


def _clock(*, iso: bool = False) -> str:
    now = datetime.now().astimezone()
    return now.isoformat(timespec="seconds") if iso else now.strftime("%H:%M:%S")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _safe(text: str) -> str:
    """One terminal-safe line: escape sequences go with their payload, then any leftover control."""
    from tui.domain.sanitize import for_terminal

    return for_terminal(text, one_line=True)


def _fail(message: str, code: int) -> int:
    print(f"spacetui status: {message}", file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit-time flush cannot fail again."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
