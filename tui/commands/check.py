"""`spacetui check`: pre-deploy checks of a local Space folder, for people and for CI."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO

from tui.domain.units import format_bytes

if TYPE_CHECKING:
    from tui.domain.checks.engine import CheckReport
    from tui.domain.checks.findings import Finding

_HEADINGS = (("error", "Errors"), ("warning", "Warnings"), ("info", "Info"))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        metavar="PATH",
        help="the Space folder (default: the current folder)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json (same as --json) or github (GitHub Actions annotations)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the hygiene notes (info)"
    )
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
    # Paths and values in messages come from the folder: no terminal controls, no bidi tricks.
    # (Imported here: every command line loads this module's parser, a deploy included.)
    from tui.domain.sanitize import UNSAFE, redact

    text = redact(text.encode("utf-8", "backslashreplace").decode("utf-8"))
    return UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def _where(finding: Finding) -> str:
    if finding.file is None:
        return "-"
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


#: Where a message's advice starts: an explicit "Fix:", or the last sentence in the imperative.
_FIX = re.compile(
    r"(?:(?<=[.:;!?)\"]) )(?:Fix: |(?=(?:Add|Use|Set|Write|Remove|Rename|Put|Quote|Move|Make|"
    r"Keep|Drop|Install|Replace|Stop|Upload|Save|End|Choose|Delete|List|Start|Create|Declare)\b))"
)
#: Three colours are all the report needs: plain ANSI codes, only on a terminal without NO_COLOR.
_COLOURS = {"error": "31;1", "warning": "33;1", "info": "2", "id": "36", "fix": "32"}


def split_fix(message: str) -> tuple[str, str | None]:
    """(what is wrong, how to fix it) from one finding message; the fix may be absent."""
    matches = list(_FIX.finditer(message))
    if not matches:
        return message, None
    start, end = matches[-1].start(), matches[-1].end()
    return message[:start].rstrip(), message[end:].strip()


def _use_colour(out: TextIO) -> bool:
    return out.isatty() and not os.environ.get("NO_COLOR")


def _paint(text: str, what: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if colour else text


def _wrapped(text: str, indent: int, width: int | None) -> list[str]:
    if width is None:
        return [text]
    return textwrap.wrap(text, max(width - indent, 30), break_on_hyphens=False) or [""]


def render_text(report: CheckReport, out: TextIO, *, verbose: bool = False) -> None:
    """Errors and warnings, one root cause each with a `fix:` line; hygiene folded into a count.

    On a terminal the lines wrap to its width and headings are coloured (not with NO_COLOR);
    piped output stays one line per finding, uncoloured, for grep and logs.
    """
    tty = out.isatty()
    colour = _use_colour(out)
    width = shutil.get_terminal_size((100, 24)).columns if tty else None
    where_width = max((len(safe(_where(f))) for f in report.findings), default=0)
    shown = _HEADINGS if verbose else _HEADINGS[:2]
    for severity, heading in shown:
        group = [f for f in report.findings if f.severity.value == severity]
        if not group:
            continue
        print(_paint(f"{heading} ({len(group)})", severity, colour), file=out)
        for finding in group:
            problem, fix = split_fix(safe(finding.message))
            where = safe(_where(finding)).ljust(where_width)
            head = f"  {where}  {finding.id:<12} "
            lines = _wrapped(problem, len(head), width)
            ident = _paint(f"{finding.id:<12}", "id", colour)
            print(f"  {where}  {ident} {lines[0]}", file=out)
            for line in lines[1:]:
                print(" " * len(head) + line, file=out)
            if fix:
                label = _paint("fix:", "fix", colour)
                for i, line in enumerate(_wrapped(fix, len(head) + 5, width)):
                    print(" " * len(head) + (f"{label} " if i == 0 else "     ") + line, file=out)
        print(file=out)
    infos = len(report.infos)
    if infos and not verbose:
        print(
            _paint(
                f"{_plural(infos, 'hygiene note')} (spacetui check --verbose lists them)",
                "info",
                colour,
            ),
            file=out,
        )
    summary = report.summary()
    print(
        f"{safe(str(report.path))}: {_plural(summary['files'], 'file')}, "
        f"{format_bytes(summary['bytes'])}, {summary['excluded']} excluded; "
        f"{_plural(summary['errors'], 'error')}, {_plural(summary['warnings'], 'warning')}, "
        f"{summary['infos']} info",
        file=out,
    )


def _gh_escape(text: str, *, prop: bool = False) -> str:
    """GitHub workflow-command escaping (data: %, CR, LF; properties also `:` and `,`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(report: CheckReport, out: TextIO, base: str) -> None:
    """One GitHub Actions annotation per finding: `::error file=…,line=…,title=ID::message`."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for finding in report.findings:
        props = []
        if finding.file is not None:
            path = finding.file if base in ("", ".") else f"{base.rstrip('/')}/{finding.file}"
            props.append(f"file={_gh_escape(safe(path), prop=True)}")
            if finding.line:
                props.append(f"line={finding.line}")
        props.append(f"title={_gh_escape(finding.id, prop=True)}")
        print(
            f"::{level[finding.severity.value]} {','.join(props)}::"
            f"{_gh_escape(safe(finding.message))}",
            file=out,
        )
    summary = report.summary()
    print(
        f"{_plural(summary['errors'], 'error')}, {_plural(summary['warnings'], 'warning')}, "
        f"{summary['infos']} info",
        file=out,
    )


def _online(args: argparse.Namespace) -> tuple[list[Finding], str | None]:
    import asyncio

    from tui.domain.auth import resolve_target
    from tui.domain.checks.online import OnlineResult, run_online
    from tui.domain.hub import HubClient

    target = resolve_target(getattr(args, "endpoint", None))

    async def online() -> OnlineResult:
        async with HubClient(target) as hub:  # the command's one connection to the Hub
            return await run_online(args.path, hub=hub, space_id=args.space)

    result = asyncio.run(online())
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
    if args.json or args.format == "json":
        json.dump(report.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "github":
        render_github(report, sys.stdout, os.path.normpath(args.path))
    else:
        render_text(report, sys.stdout, verbose=args.verbose)
    if report.errors or (args.strict and report.warnings):
        return 1
    return 0
