"""Roll a Space back: one new commit whose tree equals an earlier revision's, then follow its build.

History is never rewritten. The commit copies every file that differs from the target revision
out of that revision (`CommitOperationCopy` with `src_revision`: LFS files by reference, regular
files downloaded by huggingface_hub) and deletes every file the target did not have, all in one
atomic `create_commit` whose parent is the head that was compared.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, Unpack

from huggingface_hub import CommitOperationCopy, CommitOperationDelete, HfApi

from tui.domain.deploy.events import Committed, DeployEvent, DeployResult
from tui.domain.deploy.follow import FollowOutcome, follow_space
from tui.domain.deploy.outcome import ResultFields, followed_result, make_result
from tui.domain.deploy.worker_thread import start_daemon_thread
from tui.domain.deploy_records import DeployRecord, record_result
from tui.domain.errors import SpacetuiError, UsageError
from tui.domain.history import FileChanges, diff_trees, last_good, read_tree
from tui.domain.models import is_valid_space_id

if TYPE_CHECKING:
    from tui.domain.hub.client import HubClient

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RollbackPlan:
    """Where the Space is, where it goes back to, and what the commit changes."""

    space_id: str
    head_sha: str
    target_sha: str
    target_title: str
    changes: FileChanges  # from the head's tree to the target's
    chosen_by_record: DeployRecord | None = None  # set when --to was not given

    @property
    def message(self) -> str:
        return f"Roll back to {self.target_sha[:7]}"


def plan_rollback(api: HfApi, space_id: str, to: str | None) -> RollbackPlan:
    """Resolve the target revision and compare trees; raises SpacetuiError/UsageError on bad input."""
    if not is_valid_space_id(space_id):
        raise UsageError(f"{space_id!r} is not a Space id: expected namespace/name.")
    commits = api.list_repo_commits(space_id, repo_type="space")
    if not commits:
        raise SpacetuiError(f"{space_id} has no commits to roll back to.")
    head = commits[0].commit_id
    record = None
    if to is not None:
        target = _match(to, [c.commit_id for c in commits], space_id)
    else:
        record = last_good(space_id, [c.commit_id for c in commits[1:]], endpoint=api.endpoint)
        if record is None:
            raise SpacetuiError(
                f"No earlier revision of {space_id} is recorded as reaching RUNNING on this "
                "machine: pass --to SHA (see `spacetui history`)."
            )
        target = record.sha
    title = next(c.title for c in commits if c.commit_id == target)
    changes = diff_trees(read_tree(api, space_id, head), read_tree(api, space_id, target))
    return RollbackPlan(space_id, head, target, title or "", changes, record)


def commit_rollback(api: HfApi, plan: RollbackPlan) -> tuple[str, str]:
    """The one atomic commit that makes the head's tree equal the target's; returns (sha, url)."""
    changes = plan.changes
    operations: list[CommitOperationCopy | CommitOperationDelete] = [
        CommitOperationCopy(src_path_in_repo=path, path_in_repo=path, src_revision=plan.target_sha)
        for path in (*changes.added, *changes.modified)
    ]
    operations.extend(CommitOperationDelete(path_in_repo=path) for path in changes.deleted)
    info = api.create_commit(
        plan.space_id,
        operations=operations,
        commit_message=plan.message,
        commit_description=f"Restores the tree of {plan.target_sha} ({plan.target_title}).",
        repo_type="space",
        parent_commit=plan.head_sha,
    )
    return str(info.oid), str(info.commit_url)


class Rollback:
    """Commit a planned rollback and follow the build, emitting the deploy's events."""

    def __init__(
        self,
        hub: HubClient,
        plan: RollbackPlan,
        *,
        emit: Callable[[DeployEvent], None],
        follow: bool = True,
        probe: bool = True,
        probe_path: str = "/",
        probe_wait: float | None = None,
        timeout: float = 30 * 60.0,
        poll_interval: float = 2.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hub, self.plan, self._emit = hub, plan, emit  # the caller's one Hub connection
        self._follow, self._timeout = follow, timeout
        self._probe, self._probe_path = probe, probe_path
        #: The probe's wait: the caller's deploy setting (`DeployOptions.probe_wait`), else 60 s.
        self._probe_wait = probe_wait
        self._poll_interval, self._sleep, self._clock = poll_interval, sleep, clock
        self._api = hub.hf_api()
        #: The rollback commit once it landed (read after a Ctrl+C to say what happened).
        self.committed_sha: str | None = None

    async def run(self) -> DeployResult:
        """Commit, follow, and return (and emit) the result; record how it ended."""
        result = await self._run()
        # Recorded here, not by a front end: the CLI and the app record alike, and once.
        record_result(result, kind="rollback", endpoint=self.hub.target.endpoint)
        return result

    async def _run(self) -> DeployResult:
        plan = self.plan
        if not plan.changes.count:
            result = self._result(
                "unchanged",
                f"{plan.space_id} already has the tree of {plan.target_sha[:7]}: no commit made.",
                ok=True,
                sha=plan.head_sha,
            )
            self._emit(result)
            return result
        try:
            sha, url = await _in_thread(lambda: commit_rollback(self._api, plan))
        except SpacetuiError as exc:
            result = self._result("error", exc.message)
            self._emit(result)
            return result
        except Exception as exc:  # noqa: BLE001 - every Hub failure becomes one typed sentence
            from tui.domain.http import error_from_exception

            result = self._result(
                "error", error_from_exception(exc, space_id=plan.space_id).message
            )
            self._emit(result)
            return result
        self.committed_sha = sha
        self._emit(Committed(sha=sha, url=url, changed=True))
        if not self._follow:
            result = self._result(
                "uploaded",
                f"Rolled {plan.space_id} back to {plan.target_sha[:7]} as {sha[:7]}.",
                ok=True,
                sha=sha,
            )
        else:
            try:
                outcome = await follow_space(
                    self.hub,
                    plan.space_id,
                    log="build",
                    initial_stage=None,
                    emit=self._emit,
                    timeout=self._timeout,
                    poll_interval=self._poll_interval,
                    sleep=self._sleep,
                    clock=self._clock,
                )
            except asyncio.CancelledError:
                result = self._result(
                    "cancelled",
                    f"Stopped following {plan.space_id}: rollback commit {sha[:7]} is on the "
                    "Space and its build goes on.",
                    sha=sha,
                )
                self._emit(result)
                return result
            result = self._followed(outcome, sha)
            if self._probe:
                result = await self._probed(result)
        self._emit(result)
        return result

    async def _probed(self, result: DeployResult) -> DeployResult:
        """RUNNING is the Hub's word: as after a deploy, the app itself must answer 2xx/3xx."""
        from tui.domain.deploy.app_address import DEFAULT_WAIT
        from tui.domain.deploy.probe import probe_after_running

        return await probe_after_running(
            result,
            target=self.hub.target,
            space_info=lambda: _in_thread(lambda: self._api.space_info(self.plan.space_id)),
            path=self._probe_path,
            wait=DEFAULT_WAIT if self._probe_wait is None else self._probe_wait,
            interval=self._poll_interval,
            sleep=self._sleep,
            clock=self._clock,
            emit=self._emit,
        )

    def _followed(self, outcome: FollowOutcome, sha: str) -> DeployResult:
        target = self.plan.target_sha[:7]
        return followed_result(
            outcome,
            sha,
            space_id=self.plan.space_id,
            timeout=self._timeout,
            make=self._result,
            running_note=f", rolled back to {target}",
            failed_note=" after the rollback",
        )

    def _result(self, outcome: str, message: str, **fields: Unpack[ResultFields]) -> DeployResult:
        extra = {"rollback_to": self.plan.target_sha}
        return make_result(self.plan.space_id, outcome, message, extra=extra, **fields)


async def _in_thread(func: Callable[[], T]) -> T:
    # A daemon thread, like the deploy's: Ctrl+C must not wait for a stuck HTTP call.
    return await asyncio.shield(start_daemon_thread(func))


def _match(prefix: str, shas: list[str], space_id: str) -> str:
    text = prefix.strip().lower()
    if len(text) < 4 or any(c not in "0123456789abcdef" for c in text):
        raise UsageError(f"{prefix!r} is not a commit sha: give at least 4 hex characters.")
    found = [sha for sha in shas if sha.startswith(text)]
    if not found:
        raise UsageError(f"{prefix} is not a revision of {space_id} (see `spacetui history`).")
    if len(found) > 1:
        raise UsageError(f"{prefix} matches {len(found)} revisions of {space_id}: give more of it.")
    return found[0]
