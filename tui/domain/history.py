"""A Space's revisions, newest first, each with the files it changed and its outcome where known.

Commits come from huggingface_hub's `list_repo_commits`; the files a commit changed are the
difference between its tree and its parent's (`list_repo_tree` at each revision), since the Hub
has no per-commit file list in its API. Outcomes come from spacetui's deploy records and, for
the revision the Space runs now, from its runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from huggingface_hub import HfApi
from huggingface_hub.hf_api import RepoFile

from tui.domain.deploy_records import DeployRecord, latest_by_sha, load_records

#: A file's identity in a tree: its LFS sha256 when it has one, else its git blob id.
Tree = dict[str, str]


@dataclass(frozen=True, slots=True)
class FileChanges:
    """Paths a commit added, modified and deleted, compared with its parent."""

    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.added) + len(self.modified) + len(self.deleted)


@dataclass(frozen=True, slots=True)
class Revision:
    """One commit of the Space and what is known about how it ran."""

    sha: str
    date: datetime
    authors: tuple[str, ...]
    title: str
    changes: FileChanges | None  # None when the parent's tree was not read (beyond --limit)
    outcome: str | None = None  # the recorded deploy outcome, or "current" for the runtime's
    stage: str | None = None
    probe: str | None = None
    recorded: bool = False  # the outcome comes from spacetui's own record
    current: bool = False  # the revision the Space's runtime reports now
    record: DeployRecord | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The `spacetui history --json` shape of one revision."""
        return {
            "sha": self.sha,
            "date": self.date.isoformat(),
            "authors": list(self.authors),
            "title": self.title,
            "files_changed": None
            if self.changes is None
            else {
                "added": list(self.changes.added),
                "modified": list(self.changes.modified),
                "deleted": list(self.changes.deleted),
            },
            "outcome": self.outcome,
            "stage": self.stage,
            "probe": self.probe,
            "recorded": self.recorded,
            "current": self.current,
        }


def read_tree(api: HfApi, space_id: str, revision: str) -> Tree:
    """Every file of `space_id` at `revision` with its content id."""
    tree: Tree = {}
    for entry in api.list_repo_tree(space_id, recursive=True, revision=revision, repo_type="space"):
        if isinstance(entry, RepoFile):
            tree[entry.path] = entry.lfs.sha256 if entry.lfs else entry.blob_id
    return tree


def diff_trees(old: Mapping[str, str], new: Mapping[str, str]) -> FileChanges:
    """What changed from `old` to `new`, each list sorted by path."""
    return FileChanges(
        added=tuple(sorted(p for p in new if p not in old)),
        modified=tuple(sorted(p for p in new if p in old and old[p] != new[p])),
        deleted=tuple(sorted(p for p in old if p not in new)),
    )


def fetch_history(api: HfApi, space_id: str, *, limit: int | None = None) -> list[Revision]:
    """The newest `limit` revisions of `space_id` (all when None), newest first, with outcomes."""
    commits = api.list_repo_commits(space_id, repo_type="space")
    shown = commits if limit is None else commits[:limit]
    # One tree per shown commit, plus the parent of the oldest shown one (if there is one).
    trees = [read_tree(api, space_id, c.commit_id) for c in commits[: len(shown) + 1]]
    current_sha, current_stage = _runtime(api, space_id)
    if current_stage and current_sha is None and commits:
        # The runtime's `sha` is optional on the Hub; its stage then describes the head's build.
        current_sha = commits[0].commit_id
    # The records of this Space on this Hub: the same id on another endpoint is another Space.
    records = latest_by_sha(load_records(space_id, endpoint=api.endpoint))
    revisions = []
    for index, commit in enumerate(shown):
        if index + 1 < len(trees):
            changes: FileChanges | None = diff_trees(trees[index + 1], trees[index])
        elif index + 1 == len(commits):
            changes = diff_trees({}, trees[index])  # the first commit: everything was added
        else:
            changes = None
        revisions.append(
            _revision(commit, changes, records.get(commit.commit_id), current_sha, current_stage)
        )
    return revisions


def last_good(space_id: str, shas: list[str], *, endpoint: str) -> DeployRecord | None:
    """The newest revision among `shas` (newest first) recorded on the Hub at `endpoint` as
    reaching RUNNING."""
    records = latest_by_sha(load_records(space_id, endpoint=endpoint))
    for sha in shas:
        record = records.get(sha)
        if record is not None and record.reached_running:
            return record
    return None


def _revision(
    commit: Any,
    changes: FileChanges | None,
    record: DeployRecord | None,
    current_sha: str | None,
    current_stage: str | None,
) -> Revision:
    current = commit.commit_id == current_sha
    outcome = record.outcome if record else None
    stage = record.stage if record else None
    if current and current_stage:
        # What the runtime says now outranks what a deploy saw when it ended.
        stage = current_stage
        outcome = outcome or "current"
    return Revision(
        sha=commit.commit_id,
        date=commit.created_at,
        authors=tuple(commit.authors or ()),
        title=commit.title or "",
        changes=changes,
        outcome=outcome,
        stage=stage,
        probe=record.probe if record else None,
        recorded=record is not None,
        current=current,
        record=record,
    )


def _runtime(api: HfApi, space_id: str) -> tuple[str | None, str | None]:
    """(sha, stage) the Space's runtime reports; (None, None) when it cannot be read."""
    from huggingface_hub.errors import HfHubHTTPError

    try:
        runtime = api.get_space_runtime(space_id)
    except HfHubHTTPError:
        return None, None
    raw = runtime.raw if isinstance(runtime.raw, dict) else {}
    sha = raw.get("sha")
    stage = raw.get("stage")
    return (sha if isinstance(sha, str) else None), (stage if isinstance(stage, str) else None)
