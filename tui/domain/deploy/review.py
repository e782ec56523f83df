"""The review of a deploy plan as plain lines, shared by the CLI and the app."""

from __future__ import annotations

from tui.domain.deploy.plan import UploadPlan
from tui.domain.deploy.plan_review import PlanReview
from tui.domain.sanitize import strip_ansi
from tui.domain.units import format_bytes
from tui.domain.upload_set import shown_name
from tui.domain.wording import counted

#: Files listed per section before "… and N more".
REVIEW_LIMIT = 40


def review_lines(
    plan: UploadPlan,
    *,
    delete: bool,
    keep_hint: str = "use --delete to remove",
    secret_hint: str = "set it with `--secret {name}`",
) -> list[str]:
    """The review shown before confirming: every change, sizes, and what stays.

    `keep_hint` says how to delete the files only the Space has (the app names its toggle);
    `secret_hint` how to set a secret the code needs (`{name}` is replaced by its name).
    """
    lines = [f"Deploy to {plan.space_id}" + ("" if plan.space_exists else " (new Space)")]
    # An SDK or port change rebuilds the Space differently: said first, before any file.
    lines += [f"  ! {callout}" for callout in plan.review.callouts]
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
    return lines + extra_lines(plan.review, secret_hint=secret_hint)


def extra_lines(review: PlanReview, *, secret_hint: str) -> list[str]:
    """Secrets the code needs but the Space lacks, notes, then the diffs (when asked for)."""
    lines = []
    for needed in review.missing:
        lines.append(
            f"  warning: {shown_name(needed.file)}:{needed.line} reads {needed.name}, which the "
            f"Space does not set: {secret_hint.format(name=needed.name)}."
        )
    if review.secrets_from_file:
        lines.append(f"  secrets set from the file: {', '.join(review.secrets_from_file)}")
    lines += [f"  warning: {warning}" for warning in review.warnings]
    lines += [f"  note: {note}" for note in review.notes]
    if review.diffs:
        lines.append(f"  diff of the changed files ({len(review.diffs)}):")
    for diff in review.diffs:
        name = shown_name(strip_ansi(diff.path))
        if diff.kind == "text":
            lines += [f"    {line}" for line in diff.lines] or [f"    ~ {name}  (no line differs)"]
            continue
        if diff.kind == "skipped":
            lines.append(f"    ~ {name}  not diffed (only the first changed files are)")
            continue
        was = f" (was {format_bytes(diff.remote_size)})" if diff.remote_size is not None else ""
        lines.append(
            f"    ~ {name}  {diff.kind}, {format_bytes(diff.size)}{was}, "
            f"sha256 {(diff.sha256 or '?')[:12]} (Space: {_short_id(diff.remote_id)})"
        )
    return lines


def _short_id(remote_id: str | None) -> str:
    if not remote_id:
        return "?"
    kind, _, value = remote_id.partition(" ")
    return f"{kind} {value[:12]}"
