"""`spacetui check`: pre-deploy checks of a local Space folder, for people and for CI."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, TextIO

from tui.domain.sanitize import UNSAFE, redact
from tui.domain.units import format_bytes

if TYPE_CHECKING:
    from tui.domain.checks.engine import CheckReport
    from tui.domain.checks.findings import Finding

# Paths and values in messages come from the folder: no terminal controls, no bidi tricks.
_UNSAFE = UNSAFE
_HEADINGS = (("error", "Errors"), ("warning", "Warnings"), ("info", "Info"))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="pre-deploy checks of a local Space folder",
        description=(
            "Check a Space folder before uploading it: README config, Dockerfile, files, "
            "ignore rules, secrets. Exit 0 without errors, 1 with errors (or warnings with "
            "--strict), 2 on a usage error."
        ),
    )
    parser.add_argument("path", nargs="?", default=".", metavar="PATH",
                        help="the Space folder (default: the current folder)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--online",
        action="store_true",
        help="also ask the Hub: validate the README, fetch the Space's .gitignore (--space)",
    )
    parser.add_argument("--space", metavar="ID", help="target Space id for --online")
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        default=argparse.SUPPRESS,  # keeps a global `spacetui --endpoint URL check` intact
        help="Hub endpoint for --online (default: $HF_ENDPOINT, then https://huggingface.co)",
    )


def safe(text: str) -> str:
    """`text` with control and bidi characters shown as escapes, never interpreted.

    Undecodable bytes in file names (surrogate escapes) are shown as `\\udcxx` too, so the
    output encodes under any locale.
    """
    text = redact(text.encode("utf-8", "backslashreplace").decode("utf-8"))
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def _where(finding: Finding) -> str:
    if finding.file is None:
        return "-"
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render_text(report: CheckReport, out: TextIO) -> None:
    """Findings grouped by severity, `file:line  ID  message`, then one summary line."""
    width = max((len(safe(_where(f))) for f in report.findings), default=0)
    for severity, heading in _HEADINGS:
        group = [f for f in report.findings if f.severity.value == severity]
        if not group:
            continue
        print(f"{heading} ({len(group)})", file=out)
        for finding in group:
            where = safe(_where(finding)).ljust(width)
            print(f"  {where}  {finding.id:<12} {safe(finding.message)}", file=out)
        print(file=out)
    summary = report.summary()
    print(
        f"{safe(str(report.path))}: {_plural(summary['files'], 'file')}, "
        f"{format_bytes(summary['bytes'])}, {summary['excluded']} excluded; "
        f"{_plural(summary['errors'], 'error')}, {_plural(summary['warnings'], 'warning')}, "
        f"{summary['infos']} info",
        file=out,
    )


def _online(args: argparse.Namespace) -> tuple[list[Finding], str | None]:
    import asyncio

    from tui.domain.auth import resolve_target
    from tui.domain.checks.online import run_online

    target = resolve_target(getattr(args, "endpoint", None))
    result = asyncio.run(
        run_online(args.path, endpoint=target.endpoint, token=target.token, space_id=args.space)
    )
    return result.findings, result.remote_gitignore


def run(args: argparse.Namespace) -> int:
    """Run the checks and print them; the exit code says whether the folder may be deployed."""
    from pathlib import Path

    from tui.domain.checks.engine import CheckReport, run_checks, sort_findings
    from tui.domain.checks.registry import ALL_CHECKS, REPORT_ONLY_CHECKS
    from tui.domain.errors import SpacetuiError, UsageError
    from tui.domain.redact import redact

    root = Path(args.path)
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        print(f"spacetui check: {safe(str(root))} {what}", file=sys.stderr)
        return 2
    if args.space and not args.online:
        print("spacetui check: --space is only used with --online", file=sys.stderr)
        return 2
    try:
        extra: list[Finding] = []
        remote_gitignore = None
        if args.online:
            extra, remote_gitignore = _online(args)
        report = run_checks(
            root, remote_gitignore=remote_gitignore, checks=[*ALL_CHECKS, *REPORT_ONLY_CHECKS]
        )
    except UsageError as exc:
        print(f"spacetui check: {safe(exc.message)}", file=sys.stderr)
        return 2
    except SpacetuiError as exc:
        print(f"spacetui check: {safe(exc.message)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"spacetui check: {safe(redact(str(exc)))}", file=sys.stderr)
        return 1
    if extra:
        from tui.domain.checks.online import merge_hub_findings

        merged = merge_hub_findings(report.findings, extra)
        report = CheckReport(report.path, report.upload_set, sort_findings(merged))
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        render_text(report, sys.stdout)
    if report.errors or (args.strict and report.warnings):
        return 1
    return 0
