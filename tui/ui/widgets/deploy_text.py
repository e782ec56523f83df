"""How the deploy pane words things: the review, progress figures, settings and the result.

Pure functions from deploy events to Rich `Text`; every path and remote string is cleaned and
appended as plain text (a file named `[bold].txt` stays literal).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rich.text import Text

from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy.events import DeployResult, UploadProgress
from tui.domain.deploy.plan import UploadPlan
from tui.domain.deploy.review import review_lines
from tui.domain.units import format_bytes as human_size
from tui.ui.deploy_wording import app_message
from tui.ui.widgets.check_render import SEVERITY_STYLES, clean, place

_MARK_STYLES = {"+": "green", "~": "yellow", "-": "red", "!": "bold yellow", "@": "cyan"}
#: How many flagged findings the review lists before "… and N more".
FLAGGED_LIMIT = 20


def review_text(plan: UploadPlan, findings: Sequence[Finding], *, delete: bool) -> Text:
    """The review before confirming: every change with sizes, then the flagged files."""
    text = Text()
    hint = "tick 'Delete remote-only' to remove them"
    # Diff lines and call-outs are marked like the file lines: `+`/`-`, `!` for an SDK change.
    secret_hint = "add it in Secrets/vars (key e, then s), or list it in spacetui.yaml"
    for line in review_lines(plan, delete=delete, keep_hint=hint, secret_hint=secret_hint):
        mark = "!" if line.lstrip().startswith("warning:") else line.strip()[:1]
        text.append(clean(line) + "\n", style=_MARK_STYLES.get(mark, ""))
    flagged = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    if flagged:
        text.append(f"  flagged by the checks ({len(flagged)}):\n", style="bold")
        for finding in flagged[:FLAGGED_LIMIT]:
            text.append(
                f"    {finding.severity.value:<7} ", style=SEVERITY_STYLES[finding.severity]
            )
            text.append(f"{finding.id:<10} {place(finding)}  ")
            text.append(" ".join(clean(finding.message).split()) + "\n")
        if len(flagged) > FLAGGED_LIMIT:
            text.append(f"    … and {len(flagged) - FLAGGED_LIMIT} more (see the checks pane)\n")
    return text


def duration(seconds: float | None) -> str:
    """`42 s`, `3 min 5 s`, or `?` while unknown."""
    if seconds is None:
        return "?"
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60} s"


def file_progress_label(event: UploadProgress) -> Text:
    """The line above the per-file bar: which file, how far."""
    if event.path is None:
        return Text("Preparing the upload …")
    return Text(
        f"{clean(event.path)}  {human_size(event.file_bytes)} of {human_size(event.file_total)}"
    )


def overall_progress_label(event: UploadProgress, average: float | None = None) -> Text:
    """The line above the overall bar: bytes, files, throughput and ETA; once every byte is
    sent, the average rate of the whole upload (`average`, bytes/s, if known) and no ETA."""
    figures = (
        f"{human_size(event.bytes_done)} of {human_size(event.bytes_total)} · "
        f"{event.files_done}/{event.files_total} files"
    )
    if event.bytes_done >= event.bytes_total:
        rate = f" · {human_size(average)}/s on average" if average else ""
        return Text(f"{figures}{rate} · sent")
    return Text(f"{figures} · {human_size(event.throughput)}/s · ETA {duration(event.eta)}")


def settings_text(
    secrets: Sequence[str], variables: Sequence[str], environ: Mapping[str, str]
) -> Text:
    """Which secret and variable names the deploy sets, and where each value will come from."""
    if not secrets and not variables:
        return Text("No secrets or variables to set (list their names in spacetui.yaml).", "dim")
    text = Text("Sets ")
    names = [("secret", name) for name in secrets] + [("variable", name) for name in variables]
    for index, (kind, name) in enumerate(names):
        if index:
            text.append(", ")
        source = "from the environment" if name in environ else "asked before the deploy"
        text.append(f"{kind} {clean(name)} ({source})")
    return text


#: A log line that gives context, not an error (`INFO: Started server process`).
_CONTEXT_LINE = re.compile(r"\b(?:INFO|DEBUG|NOTICE)\b|\[notice\]")


def result_text(result: DeployResult) -> Text:
    """The outcome, then the first error lines and the checks that likely explain them."""
    if result.ok:
        style = "bold green"
    elif result.outcome == "cancelled":
        style = "bold yellow"
    else:
        style = "bold red"
    text = Text(clean(app_message(result)), style=style)
    if result.forced:
        text.append("\n(deployed despite check errors: force was on)", style="yellow")
    if result.error_lines:
        # The lines that prove the cause: an error and the lines around it that say why.
        text.append("\nFrom the log:\n", style="bold")
        for line in result.error_lines:
            text.append(f"  {clean(line)}\n", style="dim" if _CONTEXT_LINE.search(line) else "red")
    if result.check_ids:
        if not text.plain.endswith("\n"):
            text.append("\n")  # its own line, not run on after the message's full stop
        label = (
            "Blocked by checks: " if result.outcome == "blocked" else "Likely explained by checks: "
        )
        text.append(label, style="bold")
        text.append(", ".join(clean(check_id) for check_id in result.check_ids))
        text.append(" (press c for the config checks)")
    return text


def result_title(result: DeployResult) -> str:
    """The toast's title."""
    what = "Rollback" if result.extra.get("rollback_to") else "Deploy"
    if result.ok:
        return f"{what} finished"
    if result.extra.get("declined"):
        return f"{what} declined at the review, nothing sent"
    if result.outcome == "cancelled":
        return f"{what} cancelled"
    if result.outcome == "blocked":
        return f"{what} blocked by checks" if result.check_ids else f"{what} blocked"
    if result.outcome == "plan_refused":
        return "Plan required"
    if result.outcome == "probe_failed":
        return f"{what} failed: the app does not answer"
    return f"{what} failed"
