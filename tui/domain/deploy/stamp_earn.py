"""When a deploy earns a stamp (`stamp.py`), and writing it: called once, at the end of a deploy.

A stamp vouches that the next deploy of the same folder, with the same options, would decide
exactly "nothing to send, nothing to set, nothing to warn about". So only a deploy that:

- ended ok, with the Space's head at a known sha whose tree is the upload set (no file only on
  the Space, no rollback, no restart);
- set nothing on the Space (no secret, variable, hardware, `--secrets-from`: those are applied at
  every deploy);
- had checks with at most info findings, nothing forced, no note in its review;
- saw nothing in the folder change from before it started to its end (`stamp.folder_digest`)

leaves one. Any other end removes the folder's stamp for that Space (`stamp.remember_stamp`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tui.domain.checks.findings import Severity
from tui.domain.deploy.stamp import Stamp, folder_digest, outside_walked, settled_before
from tui.domain.stat_mark import stat_mark

if TYPE_CHECKING:
    from pathlib import Path

    from tui.domain.checks.engine import CheckReport
    from tui.domain.deploy.events import DeployResult
    from tui.domain.deploy.options import DeployOptions
    from tui.domain.deploy.plan import UploadPlan
    from tui.domain.upload_set import UploadSet

#: Outcomes after which the Space's head holds the deploy's tree.
_HOLDING = frozenset({"unchanged", "uploaded", "running"})


def earned_stamp(
    folder: Path,
    *,
    endpoint: str,
    options: DeployOptions,
    result: DeployResult,
    upload_set: UploadSet | None,
    report: CheckReport | None,
    plan: UploadPlan | None,
    forced: bool,
    started_ns: int,
) -> Stamp | None:
    """The stamp this deploy earned, or None (then `stamp.remember_stamp` removes the old one)."""
    if upload_set is None or report is None or plan is None:
        return None  # the deploy stopped before it knew the folder and the Space
    if not result.ok or result.outcome not in _HOLDING or not result.sha:
        return None
    if options.secrets or options.variables or options.hardware or options.restart:
        return None
    if options.secrets_file is not None or forced or not upload_set.walked:
        return None
    if any(f.severity != Severity.INFO or f.id.startswith("SECRET") for f in report.findings):
        return None
    if plan.remote_only and not options.delete:
        return None
    if plan.review.notes or plan.review.secrets_from_file:
        return None
    marks = outside_walked(report.touched, upload_set.walked)
    root = os.fspath(folder)
    if any(stat_mark(os.path.join(root, p)) != report.touched[p] for p in marks):
        return None  # changed since the checks looked at it

    digest = folder_digest(
        folder,
        upload_set.walked,
        marks,
        endpoint=endpoint,
        space_id=options.space_id,
        # Nothing may have moved since before the deploy began: what it read is what is there.
        settled_before_ns=settled_before(started_ns),
    )
    if digest is None:
        return None
    return Stamp(
        endpoint=endpoint,
        space_id=options.space_id,
        head_sha=result.sha,
        digest=digest[0],
        walked=tuple(upload_set.walked),
        marks=marks,
        files=len(upload_set.files),
        needed=plan.review.required,
    )
