"""The review of a deploy plan as plain lines, shared by the CLI and the app."""

from __future__ import annotations

from tui.domain.deploy.plan import UploadPlan
from tui.domain.sanitize import strip_ansi
from tui.domain.units import format_bytes
from tui.domain.upload_set import shown_name
from tui.domain.wording import counted

#: Files listed per section before "… and N more".
REVIEW_LIMIT = 40


def review_lines(
    plan: UploadPlan, *, delete: bool, keep_hint: str = "use --delete to remove"
) -> list[str]:
    """The review shown before confirming: every change, sizes, and what stays.

    `keep_hint` says how to delete the files only the Space has (the app names its toggle).
    """
    lines = [f"Deploy to {plan.space_id}" + ("" if plan.space_exists else " (new Space)")]
    sections = (("added", "+", plan.added), ("changed", "~", plan.changed))
    for title, mark, files in sections:
        if files:
            lines.append(f"  {title} ({len(files)}):")
            lines += [
                f"    {mark} {shown_name(strip_ansi(f.path))}  {format_bytes(f.size)}"
                for f in files[:REVIEW_LIMIT]
            ]
            if len(files) > REVIEW_LIMIT:
                lines.append(f"    … and {len(files) - REVIEW_LIMIT} more")
    if plan.remote_only:
        verb = "deleted" if delete else f"only on the Space, kept ({keep_hint})"
        lines.append(f"  {verb} ({len(plan.remote_only)}):")
        lines += [
            # A remote name can hold a newline: escaped, it cannot fake a review line.
            f"    - {shown_name(strip_ansi(r.path))}"
            for r in plan.remote_only[:REVIEW_LIMIT]
        ]
    lines.append(
        f"  unchanged: {counted(len(plan.unchanged), 'file')}, not sent. "
        f"To send: {counted(len(plan.to_upload), 'file')}, {format_bytes(plan.upload_bytes)}."
    )
    return lines
