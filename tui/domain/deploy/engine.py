"""The deploy engine: one folder to one running Space, reported as a sequence of typed events.

Steps: plan (upload set vs the Space's head) → checks → review → create → settings → upload and
commit (one atomic commit through huggingface_hub) → follow the build → result. Everything a
caller sees arrives through `emit`; the CLI prints events, the app posts them as messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack

from tui.domain import stat_cache
from tui.domain.checks.engine import CheckReport, build_context, run_checks
from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy import remote, remote_listing
from tui.domain.deploy.cancel import CancelToken, DeployCancelled
from tui.domain.deploy.events import (
    ChecksDone,
    Committed,
    DeployEvent,
    DeployResult,
    PlanReady,
    Reason,
    Remedy,
    SettingsApplied,
    SpaceCreated,
    StageReached,
    UploadPhase,
)
from tui.domain.deploy.follow import FollowOutcome, follow_space
from tui.domain.deploy.interrupted import CommitWatch, after_hard_stop
from tui.domain.deploy.options import DeployOptions
from tui.domain.deploy.outcome import (
    ResultFields,
    followed_result,
    make_result,
    on_the_space,
    short,
)
from tui.domain.deploy.plan import UploadPlan, compare
from tui.domain.deploy.plan_check import check_deploy_plan
from tui.domain.deploy.progress import ProgressTracker
from tui.domain.deploy.review_build import build_review
from tui.domain.deploy.secrets_file import repo_path_in, without_secrets_file
from tui.domain.deploy.stamp import remember_stamp
from tui.domain.deploy.stamp_earn import earned_stamp
from tui.domain.deploy.worker_thread import start_daemon_thread
from tui.domain.deploy_records import record_result
from tui.domain.errors import HubError, PaymentRequired, SpacetuiError, UsageError
from tui.domain.memory import release_free_memory
from tui.domain.models import SpaceStatus, Stage, is_valid_space_id
from tui.domain.secret_shapes import variable_refusal
from tui.domain.upload_set import (
    UploadSet,
    collect_upload_set,
    refuse_unsafe_names,
    without_remote_ignored,
)
from tui.domain.upload_verify import verified_additions
from tui.domain.wording import counted

if TYPE_CHECKING:
    from huggingface_hub import CommitOperationAdd, HfApi

    from tui.domain.hub.client import HubClient

T = TypeVar("T")

#: Asked before anything is created or uploaded; False stops the deploy.
Confirm = Callable[[UploadPlan, Sequence[Finding]], Awaitable[bool]]


class Deployer:
    """Runs one deploy. Not reusable: build a new one per deploy."""

    def __init__(
        self,
        hub: HubClient,
        options: DeployOptions,
        *,
        emit: Callable[[DeployEvent], None],
        confirm: Confirm | None = None,
        cancel: CancelToken | None = None,
        poll_interval: float = 2.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        stamp: bool = False,
    ) -> None:
        self.hub = hub  # the caller's connection: the deploy never builds its own
        self.options = options
        self.cancel = cancel or CancelToken()
        self._emit = emit
        self._confirm = confirm
        self._poll_interval = poll_interval
        self._sleep = sleep
        self._clock = clock
        self._forced = False
        self._created = False
        self._late_cancel = False  # a cancel that came after the commit body's last slice
        self._fired: frozenset[str] = frozenset()  # ids of the pre-deploy findings
        self._app_port = 7860
        self._committed_sha: str | None = None
        #: Filled from the upload thread, so a hard stop (second Ctrl+C) can still tell the truth.
        self.commit_watch = CommitWatch()
        # Built (and checked against the scan) before creating.
        self._verified_adds: list[CommitOperationAdd] = []
        self._file_secrets: dict[str, str] = {}  # from --secrets-from: the names the code reads
        self._secrets_file_excluded = False
        # What the deploy decided on, kept for the stamp it may earn (stamp_earn.py).
        self._upload_set: UploadSet | None = None
        self._report: CheckReport | None = None
        self._plan: UploadPlan | None = None
        # The command line's: its next re-deploy of the folder asks the stamp first. The app's
        # deploys leave none (the stamp's walk would run on its event loop, for no reader).
        self._stamp = stamp

    @property
    def _api(self) -> HfApi:
        # huggingface_hub (and the upload's counting transport) load on first use: an unchanged
        # re-deploy never needs them, and importing them cost it a quarter of its time.
        api = self.hub.hf_api()
        from tui.domain.deploy.upload_watch import install_counting_transport

        install_counting_transport()  # once per process; before the deploy's first Hub call
        return api

    async def run(self) -> DeployResult:
        """Deploy and return the result (also emitted last). Usage errors raise `UsageError`."""
        started_ns = time.time_ns()
        try:
            # The folder's stat cache answers for unchanged files (upload set, plan) until saved.
            with stat_cache.using(self.options.folder):
                result = await self._run()
            if self.options.probe:
                result = await self._probed(result)
        except (DeployCancelled, asyncio.CancelledError):
            if self._committed_sha and self._late_cancel:
                message = (
                    f"Too late to cancel: the Hub already had the whole commit, and "
                    f"{short(self._committed_sha)} is on the Space; its build goes on."
                )
            elif self._committed_sha:
                message = (
                    f"Stopped following {self.options.space_id}: commit "
                    f"{short(self._committed_sha)} is on the Space and its build goes on."
                )
            elif self.cancel.committing or self.commit_watch.sha:
                # Stopped again while the commit may be landing: wait for it or read the head.
                message = await asyncio.to_thread(self.hard_stop_sentence)
            else:
                message = "Nothing was committed."
            sha = self._committed_sha or self.commit_watch.sha
            result = self._result("cancelled", message, sha=sha)
        except UsageError:
            raise
        except PaymentRequired as exc:
            # The plan gate (before any work) or the Hub's own 402: the plan does not allow it.
            refusal = getattr(exc, "refusal", None)  # the gate's (`PlanRefused`), as data
            result = replace(self._result("plan_refused", exc.message), refusal=refusal)
        except SpacetuiError as exc:
            message = exc.message
            if self._created and not self._committed_sha:
                message += (
                    f" {self.options.space_id} was created by this deploy and has no files yet."
                )
            elif self._committed_sha:  # whatever failed after it, the commit is on the Space
                message += f" {on_the_space(self._committed_sha, self.options.space_id)}"
            result = self._result("error", message, sha=self._committed_sha)
        # Recorded here, not by a front end: the CLI and the app record alike, and once.
        record_result(result, kind="deploy", endpoint=self.hub.target.endpoint)
        if self._stamp:
            self._leave_stamp(result, started_ns)
        self._emit(result)
        return result

    def _leave_stamp(self, result: DeployResult, started_ns: int) -> None:
        """Keep the stamp this deploy earned (`stamp_earn.py`), or remove the folder's old one."""
        folder = Path(self.options.folder).resolve()
        endpoint, space_id = self.hub.target.endpoint, self.options.space_id
        stamp = earned_stamp(
            folder,
            endpoint=endpoint,
            options=self.options,
            result=result,
            upload_set=self._upload_set,
            report=self._report,
            plan=self._plan,
            forced=self._forced,
            started_ns=started_ns,
        )
        remember_stamp(folder, endpoint, space_id, stamp)

    # -- the steps ----------------------------------------------------------------------------

    async def _run(self) -> DeployResult:
        options = self.options
        folder = self._validated_folder()
        # The Space's state is read while the checks run (read-only, and it costs a round trip);
        # nothing is written to the Hub before the checks have passed.
        # Over the caller's httpx client, decoded with msgspec (remote_listing): for a large
        # Space, huggingface_hub's parse of the file list cost more than the request.
        remote_state = asyncio.ensure_future(
            remote_listing.fetch_remote_state(
                self.hub, options.space_id, cache=stat_cache.active_for(folder)
            )
        )
        try:
            # Before checks, hashing and upload: what the namespace's plan cannot host.
            if options.create or options.hardware not in (None, "cpu-basic"):
                # (Without either, check_deploy_plan asks nothing: no huggingface_hub to load.)
                await check_deploy_plan(self._api, options, remote_state, self._hub)
            upload_set = await asyncio.to_thread(collect_upload_set, folder)
            # The --secrets-from file never goes up, ignored or not (nor is it scanned as code).
            secrets_path = repo_path_in(folder, options.secrets_file)
            if secrets_path is not None:
                upload_set, self._secrets_file_excluded = without_secrets_file(
                    upload_set, secrets_path
                )
            refuse_unsafe_names(upload_set)  # before any review line shows a name
            report = await asyncio.to_thread(run_checks, folder, upload_set=upload_set)
            self._report = report
            blocking = self._blocking(report)
            self._fired = frozenset(f.id for f in report.findings)
            self._emit(ChecksDone(findings=report.findings, blocking=blocking, forced=self._forced))
            if blocking:
                return self._blocked(blocking)
            state = await remote_state
        finally:
            if not remote_state.done():
                remote_state.cancel()
            elif not remote_state.cancelled():
                remote_state.exception()  # retrieved: a blocked deploy ignores a network error
        if not state.exists and not options.create:
            return self._result(
                "error",
                "",
                reasons=(
                    Reason(
                        f"Space {options.space_id} does not exist (or your token cannot see it)",
                        Remedy.CREATE,
                    ),
                ),
            )
        if state.exists and ".gitignore" not in upload_set and _has(state, ".gitignore"):
            remote_gitignore = await self._hub(
                remote.fetch_remote_gitignore, self._api, options.space_id, state.head_sha
            )
            if remote_gitignore is not None:  # filtered, not read again: sent == scanned
                upload_set = without_remote_ignored(upload_set, remote_gitignore)
        self._app_port = build_context(folder, upload_set).app_port
        plan = await asyncio.to_thread(_plan, options.space_id, upload_set, state)
        review, self._file_secrets = await build_review(
            self.hub,
            options,
            plan,
            state,
            upload_set,
            call=self._hub,
            secrets_file_excluded=secrets_path if self._secrets_file_excluded else None,
        )
        plan = replace(plan, review=review)
        self._upload_set, self._plan = upload_set, plan
        self._emit(PlanReady(plan=plan))
        changes = plan.has_changes(delete=options.delete)
        if self._confirm and (changes or not state.exists):
            if not await self._confirm(plan, report.findings):
                result = self._result("cancelled", "Deploy not confirmed: nothing was changed.")
                result.extra["declined"] = True  # the front ends word a "no" apart from a cancel
                return result
        # The bytes to send are re-read and checked against the scan before anything is created:
        # a file edited at the prompt stops the deploy here, named.
        self._verified_adds = await asyncio.to_thread(
            verified_additions, plan.to_upload, upload_set
        )
        stat_cache.save_active()  # written now: the upload and the build may take a long time

        if not state.exists:
            await self._create(folder, upload_set)
        await self._apply_settings()

        sha: str | None
        log: Literal["build", "run"]
        if changes:
            sha = await self._upload(plan)
            log, stage = "build", None
        elif options.restart:
            sha, log, stage = plan.head_sha, "run", await self._restart()
        else:
            self._emit(Committed(sha=plan.head_sha, url=None, changed=False))
            return await self._unchanged(plan.head_sha)

        if not options.follow:
            if not changes:
                return self._result(
                    "restarted",
                    f"Nothing changed (no commit made); restarted {options.space_id} at "
                    f"{short(sha)}.",
                    ok=True,
                    sha=sha,
                    stage=stage,
                )
            return self._result(
                "uploaded",
                f"{_what_was_sent(plan, options.delete)} {options.space_id} at {short(sha)}.",
                ok=True,
                sha=sha,
            )
        outcome = await self._follow(log, stage)
        return self._outcome_result(outcome, sha)

    async def _restart(self) -> Stage:
        runtime = await self._hub(self._api.restart_space, self.options.space_id)
        stage = Stage.parse(getattr(runtime, "stage", None))
        self._emit(StageReached(stage=stage.value))
        return stage

    async def _unchanged(self, sha: str | None) -> DeployResult:
        """No commit: the result is the Space's own state (a broken Space is not a success)."""
        status = await self._runtime()
        if status.stage.is_transitional and self.options.follow:
            self._emit(StageReached(stage=status.stage.value))
            followed = self._outcome_result(await self._follow("build", status.stage), sha)
            if not followed.ok:
                return followed
            return replace(
                followed,
                outcome="unchanged",
                message=f"Nothing changed since the last deploy (no commit made); "
                f"{followed.message}",
            )
        if status.stage.is_error:
            reason = Reason(
                f"Nothing changed since the last deploy (no commit made), but "
                f"{self.options.space_id} is {status.stage.value}",
                Remedy.RESTART,
            )
            return self._result("unchanged", "", sha=sha, stage=status.stage, reasons=(reason,))
        return self._result(
            "unchanged",
            "Nothing changed since the last deploy: no commit made.",
            ok=True,
            sha=sha,
            stage=status.stage,
        )

    def _validated_folder(self) -> Path:
        folder = self.options.folder
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder.")
        if not is_valid_space_id(self.options.space_id):
            raise UsageError(
                f"{self.options.space_id!r} is not a Space id: expected namespace/name."
            )
        for key, value in self.options.variables.items():
            refusal = variable_refusal(key, value)  # variables are public: never a token
            if refusal:
                raise UsageError(refusal)
        return folder

    def _blocking(self, report: CheckReport) -> tuple[Finding, ...]:
        allowed = {p.replace("\\", "/") for p in self.options.allow_secrets}
        # A possible secret blocks even with --force; an info (advice, no secret found) never does.
        secrets = [
            f
            for f in report.findings
            if f.id.startswith("SECRET") and f.severity != Severity.INFO and f.file not in allowed
        ]
        errors = [
            f
            for f in report.findings
            if f.severity == Severity.ERROR and f not in secrets and not f.id.startswith("SECRET")
        ]
        if errors and self.options.force:
            self._forced = True
            errors = []
        return tuple(secrets + errors)

    def _blocked(self, blocking: Sequence[Finding]) -> DeployResult:
        secret_files = sorted({f.file or "?" for f in blocking if f.id.startswith("SECRET")})
        errors = [f for f in blocking if not f.id.startswith("SECRET")]
        reasons = []
        if secret_files:
            reasons.append(
                Reason(f"Possible secrets in {', '.join(secret_files)}", Remedy.ALLOW_SECRET)
            )
        if errors:
            text = f"The checks found {counted(len(errors), 'error')}, which stop the deploy"
            reasons.append(Reason(text, Remedy.FORCE))
        check_ids = tuple(sorted({f.id for f in blocking}))
        return self._result("blocked", "", check_ids=check_ids, reasons=tuple(reasons))

    async def _create(self, folder: Path, upload_set: UploadSet) -> None:
        # The Space's sdk is the one its README front matter declares.
        sdk = build_context(folder, upload_set).sdk or "docker"
        private = not self.options.public
        await self._hub(
            remote.create_space,
            self._api,
            self.options.space_id,
            sdk=sdk,
            private=private,
            hardware=self.options.hardware,
        )
        self._created = True
        self._emit(SpaceCreated(space_id=self.options.space_id, sdk=sdk, private=private))

    async def _apply_settings(self) -> None:
        options = self.options
        secrets = {**self._file_secrets, **options.secrets}  # a --secret beats the file
        if not (secrets or options.variables or options.hardware):
            return
        await self._hub(
            remote.apply_settings,
            self._api,
            options.space_id,
            secrets=secrets,
            variables=options.variables,
            hardware=options.hardware,
        )
        self._emit(
            SettingsApplied(
                secrets=tuple(sorted(secrets)),
                variables=tuple(sorted(options.variables)),
                hardware=options.hardware,
            )
        )

    async def _upload(self, plan: UploadPlan) -> str:
        files = plan.to_upload
        deletions = [r.path for r in plan.remote_only] if self.options.delete else []
        self._emit(UploadPhase("preparing"))
        from tui.domain.deploy.upload_watch import UploadWatch

        operations = [*self._verified_adds, *remote.build_operations([], deletions)]
        loop = asyncio.get_running_loop()
        # Progress is counted in the upload thread; events reach the caller on the event loop.
        tracker = ProgressTracker(
            [(f.path, f.size) for f in files],
            lambda event: _soon(loop, self._emit, event),
            clock=self._clock,
        )
        watch = UploadWatch(
            tracker,
            {f.path: f.local_path for f in files},
            self.cancel,
            sha256_of_path=lambda: remote.sha256_by_path(operations),
            on_committing=lambda: _soon(loop, self._emit, UploadPhase("committing")),
        )
        message = self.options.message or _commit_message(plan, len(deletions))

        self.commit_watch.parent = plan.head_sha

        def upload_and_commit() -> tuple[str, str]:
            with watch:
                landed = remote.commit(
                    self._api,
                    self.options.space_id,
                    operations,
                    message=message,
                    parent_commit=plan.head_sha,
                )
            self.commit_watch.land(landed[0])
            # From this thread, so the last progress event is queued before the commit's.
            tracker.complete_all()
            return landed

        sha, url = await self._in_thread(upload_and_commit)
        self._committed_sha = sha
        # The upload's buffers are freed now; without this the process kept their size for good.
        await asyncio.to_thread(release_free_memory)
        self._emit(Committed(sha=sha, url=url, changed=True))
        if self.cancel.cancelled:
            # Asked to stop, but past the point of no return: the commit landed. Say so and stop.
            self._late_cancel = True
            raise DeployCancelled("cancelled after the commit was sent")
        return sha

    def hard_stop_sentence(self) -> str:
        """What happened, for a deploy stopped hard (blocking: waits for the commit's answer)."""
        return after_hard_stop(
            self._api,
            self.options.space_id,
            self.commit_watch,
            committing=self.cancel.committing,
        )

    async def _runtime(self) -> SpaceStatus:
        return await self.hub.runtime(self.options.space_id)

    async def _follow(self, log: Literal["build", "run"], stage: Stage | None) -> FollowOutcome:
        """Follow the new build (after a commit) or the new run (after a restart) to its end."""
        return await follow_space(
            self.hub,
            self.options.space_id,
            log=log,
            initial_stage=stage,
            emit=self._emit,
            timeout=self.options.timeout,
            poll_interval=self._poll_interval,
            sleep=self._sleep,
            clock=self._clock,
        )

    def _outcome_result(self, outcome: FollowOutcome, sha: str | None) -> DeployResult:
        return followed_result(
            outcome,
            sha,
            space_id=self.options.space_id,
            timeout=self.options.timeout,
            make=self._result,
            app_port=self._app_port,
            fired=self._fired,
        )

    async def _probed(self, result: DeployResult) -> DeployResult:
        """After RUNNING, the app itself must answer 2xx/3xx (probe.py)."""
        # Loaded on use, like the HTTP boundary it brings along: importing the engine needs no httpx.
        from tui.domain.deploy.probe import probe_after_running

        return await probe_after_running(
            result,
            target=self.hub.target,
            space_info=lambda: self._hub(self._api.space_info, self.options.space_id),
            path=self.options.probe_path,
            wait=self.options.probe_wait,
            interval=self._poll_interval,
            sleep=self._sleep,
            clock=self._clock,
            emit=self._emit,
        )

    # -- plumbing -----------------------------------------------------------------------------

    async def _hub(self, func: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run a huggingface_hub call off the event loop, mapping its errors to typed ones."""
        return await self._in_thread(lambda: func(*args, **kwargs))

    async def _in_thread(self, func: Callable[[], T]) -> T:
        future = start_daemon_thread(func)
        try:
            return await self._unless_cancelled(future)
        except asyncio.CancelledError:
            # Before the point of no return, cancelling makes a commit impossible (the upload
            # refuses to send the commit body's last slice), so stop at once and let the thread
            # fail on its next slice. After it, the Hub may be applying the commit: wait for its
            # answer and report what really happened.
            if self.cancel.cancel():
                # Nobody awaits the thread now: read its expected failure when it comes, or
                # asyncio logs "Future exception was never retrieved" whenever it is collected.
                future.add_done_callback(_retrieved)
                raise
            self._emit(UploadPhase("too_late"))
            return await self._finish_commit(future)
        except (DeployCancelled, SpacetuiError):
            raise
        except Exception as exc:
            if self.cancel.cancelled:
                raise DeployCancelled("deploy cancelled") from exc
            raise _hub_error(exc, self.options.space_id) from exc

    async def _unless_cancelled(self, future: asyncio.Future[T]) -> T:
        """The thread's result; a cancel asked through the token (not the task) stops the wait
        too, as a task cancel does: a thread stuck in a send never reads the token itself."""
        loop = asyncio.get_running_loop()
        asked: asyncio.Future[None] = loop.create_future()

        def settle() -> None:
            if not asked.done():
                asked.set_result(None)

        def wake() -> None:  # from the thread that cancels
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
                loop.call_soon_threadsafe(settle)

        self.cancel.when_cancelled(wake)
        # `wait`, not `shield`: a task cancel reaches the except clauses in `_in_thread` while
        # the thread's future runs on untouched.
        either: set[asyncio.Future[Any]] = {future, asked}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if future.done():
            return future.result()
        if not self.cancel.committing:
            # Before the point of no return the commit cannot happen any more (the thread fails
            # on its next slice); nobody awaits its failure: read it when it comes.
            future.add_done_callback(_retrieved)
            raise DeployCancelled("deploy cancelled")
        self._emit(UploadPhase("too_late"))
        return await self._finish_commit(future)

    async def _finish_commit(self, future: asyncio.Future[T]) -> T:
        try:
            return await future
        except DeployCancelled:
            raise
        except Exception as exc:
            raise _hub_error(exc, self.options.space_id) from exc

    def _result(self, outcome: str, message: str, **fields: Unpack[ResultFields]) -> DeployResult:
        return make_result(self.options.space_id, outcome, message, forced=self._forced, **fields)


def _soon(
    loop: asyncio.AbstractEventLoop, emit: Callable[[DeployEvent], None], event: DeployEvent
) -> None:
    """Hand `event` to `emit` on the event loop (called from the upload thread)."""
    loop.call_soon_threadsafe(emit, event)


def _hub_error(exc: BaseException, space_id: str) -> SpacetuiError:
    # The HTTP boundary (and httpx with it) loads only when something went wrong.
    from tui.domain.http import error_from_exception

    return error_from_exception(exc, space_id=space_id)


def _has(state: remote.RemoteState, path: str) -> bool:
    return any(f.path == path for f in state.files)


def _plan(space_id: str, upload_set: UploadSet, state: remote.RemoteState) -> UploadPlan:
    # The ids the upload set read (or the stat cache gave): the plan reads no file twice. Its
    # files are compared as they are (a copy of each, as the plan once made, cost 10,000 objects).
    return compare(
        space_id, upload_set.files, state.files, head_sha=state.head_sha, space_exists=state.exists
    )


def _what_was_sent(plan: UploadPlan, delete: bool) -> str:
    """'Uploaded 3 files to', 'Deleted 1 file from', 'Uploaded 2 files and deleted 1 file on'."""
    sent = len(plan.to_upload)
    deleted = len(plan.remote_only) if delete else 0
    if sent and deleted:
        return f"Uploaded {counted(sent, 'file')} and deleted {counted(deleted, 'file')} on"
    if deleted:
        return f"Deleted {counted(deleted, 'file')} from"
    return f"Uploaded {counted(sent, 'file')} to"


def _commit_message(plan: UploadPlan, deletions: int) -> str:
    parts = [f"{len(plan.added)} added", f"{len(plan.changed)} changed"]
    if deletions:
        parts.append(f"{deletions} deleted")
    return f"Deploy with spacetui ({', '.join(parts)})"


__all__ = ["Confirm", "DeployOptions", "Deployer", "HubError"]


def _retrieved(future: asyncio.Future[Any]) -> None:
    """Mark an abandoned future's outcome as read (its failure is the expected cancel)."""
    if not future.cancelled():
        future.exception()
