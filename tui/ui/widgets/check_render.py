"""How config-check findings look in the app: Rich `Text` built from plain strings, never markup.

Finding messages quote the user's files (`emoji '[bold]x' is not ...`), and paths may hold any
byte, so every piece goes through `strip_ansi` and `redact` and is appended as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text

from tui.domain.checks.findings import Finding, Severity
from tui.domain.redact import redact
from tui.domain.sanitize import strip_ansi
from tui.domain.units import format_bytes as human_size
from tui.domain.wording import counted

SEVERITY_STYLES: Mapping[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
SEVERITY_TITLES: Mapping[Severity, str] = {
    Severity.ERROR: "Errors (block a deploy)",
    Severity.WARNING: "Warnings (very likely break the Space)",
    Severity.INFO: "Info",
}
#: The largest file the viewer loads; a Space config file is a few KB, a stray dataset is not.
MAX_VIEW_BYTES = 2_000_000


def clean(text: str | None) -> str:
    """File or remote text made safe to show: no escapes, no control characters, no token."""
    if not text:
        return ""
    return redact(strip_ansi(text)).replace("\t", "    ")


def place(finding: Finding) -> str:
    """`file:line`, `file`, or '' when the finding is about the folder as a whole."""
    file = clean(finding.file)
    if finding.line:
        return f"{file}:{finding.line}"
    return file


def finding_text(finding: Finding) -> Text:
    """One finding on (possibly wrapped) lines: id, place, then the message with its fix."""
    style = SEVERITY_STYLES.get(finding.severity, "")
    text = Text(no_wrap=False)
    text.append(f"{finding.id:<10}", style=style)
    where = place(finding)
    if where:
        text.append(f" {where}", style="underline")
    text.append("\n    ")
    text.append(" ".join(clean(finding.message).split()))
    return text


def group_title(severity: Severity, count: int) -> Text:
    """The header of one severity group."""
    return Text(f"── {SEVERITY_TITLES[severity]}: {count}", style=SEVERITY_STYLES[severity])


def grouped(findings: Iterable[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """Findings by severity, worst first, empty groups left out (file order kept inside)."""
    groups: dict[Severity, list[Finding]] = {severity: [] for severity in Severity}
    for finding in findings:
        groups[finding.severity].append(finding)
    return [(severity, items) for severity, items in groups.items() if items]


def summary_text(folder: str, summary: Mapping[str, int]) -> Text:
    """`<folder>: 5 files, 3.2 KB to upload, 2 excluded · 1 error, no warnings, 2 info`."""
    text = Text()
    text.append(clean(folder), style="bold")
    text.append(
        f": {counted(summary['files'], 'file')}, {human_size(summary['bytes'])} to upload, "
        f"{summary['excluded']} excluded · "
    )
    for key, noun, plural, severity in (
        ("errors", "error", None, Severity.ERROR),
        ("warnings", "warning", None, Severity.WARNING),
        ("infos", "info", "info", Severity.INFO),
    ):
        count = summary[key]
        text.append(
            counted(count, noun, plural), style=SEVERITY_STYLES[severity] if count else "dim"
        )
        if key != "infos":
            text.append(", ")
    return text


def viewable_lines(data: bytes) -> list[str]:
    """A file's bytes as lines fit for a read-only viewer (undecodable bytes shown as �)."""
    text = data[:MAX_VIEW_BYTES].decode("utf-8", errors="replace")
    lines = [clean(line) for line in text.splitlines()]
    if len(data) > MAX_VIEW_BYTES:
        lines.append(f"… (file cut at {human_size(MAX_VIEW_BYTES)} for display)")
    return lines
