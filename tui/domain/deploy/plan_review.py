"""What the review says beyond the file list: call-outs, per-file diffs, secrets the code lacks.

Plain data, carried on the `UploadPlan` (`plan.review`) so the CLI, `--json` and the app read
the same thing; every remote string in it is already made safe for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the app imports this with every review; the name scan loads on use
    from tui.domain.deploy.needed_env import NeededName


@dataclass(frozen=True, slots=True)
class FileDiff:
    """One changed file: a unified diff for text, size and hash for binary or large files."""

    path: str
    kind: str  # "text" | "binary" | "large" | "skipped" (past the number of files diffed)
    size: int
    remote_size: int | None
    sha256: str | None  # of the local bytes (binary and large files)
    remote_id: str | None  # "sha256 …" (LFS) or "blob …" (git) as the Space's tree reports it
    lines: tuple[str, ...] = ()  # the unified diff, each line safe for a terminal

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "size": self.size,
            "remote_size": self.remote_size,
            "sha256": self.sha256,
            "remote_id": self.remote_id,
            "diff": list(self.lines),
        }


@dataclass(frozen=True, slots=True)
class PlanReview:
    """The extras of one review; empty fields say nothing."""

    #: SDK or app_port changes in the README front matter: shown first, always.
    callouts: tuple[str, ...] = ()
    #: One entry per changed file, only when a diff was asked for (`--diff`).
    diffs: tuple[FileDiff, ...] = ()
    #: Names the code reads that no secret, variable, Dockerfile ENV or the Hub provides.
    missing: tuple[NeededName, ...] = ()
    #: What may break the Space (a public variable holding a token), one sentence each.
    warnings: tuple[str, ...] = ()
    #: What the deploy did about the review (the --secrets-from file left out…).
    notes: tuple[str, ...] = ()
    #: Secret names the deploy sets from the --secrets-from file (values never kept here).
    secrets_from_file: tuple[str, ...] = ()
    #: Names the code needs from the Space's secrets or variables (nothing in the folder or the
    #: Hub sets them): what a deploy stamp makes the next re-deploy ask the Space for.
    required: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "callouts": list(self.callouts),
            "diffs": [d.to_json() for d in self.diffs],
            "missing": [{"name": n.name, "file": n.file, "line": n.line} for n in self.missing],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "secrets_from_file": list(self.secrets_from_file),
        }
