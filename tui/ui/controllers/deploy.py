"""DeployController: owns every deploy started from the app, from the request to the toast.

It starts the deploy engine in an app worker (leaving the Space screen does not cancel it), keeps
each run's bounded event history (`DeployRun`), and posts typed messages to the panes watching
the run's Space (a pane registers with `watch` and replays the run so far). Panes post what the
user asked for (deploy, answer the review, cancel) and the app hands it here. The deploy modules
are imported on the first deploy, not with the app (start-up time).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.message import Message
from textual.notifications import SeverityLevel

from tui.ui.controllers.deploy_messages import (
    DeployEngineStarted,
    DeployFinished,
    DeployFlags,
    DeployProgressed,
    DeployReviewRequested,
    DeployStarted,
    DeployValueAsked,
    ExistenceKnown,
)

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.domain.checks.findings import Finding
    from tui.domain.deploy.events import DeployEvent, DeployResult, UploadProgress
    from tui.domain.deploy.plan import UploadPlan
    from tui.domain.rollback import RollbackPlan
    from tui.ui.app import SpacesApp
    from tui.ui.deploy_run import DeployRun


@dataclass(frozen=True, slots=True)
class ProbeSettings:
    """The app's health-probe settings for a Space: the path it GETs and how long it keeps asking."""

    path: str
    wait: float


class DeployController:
    """The app's deploys: at most one running per Space, the latest of each kept for a replay."""

    #: Seconds between runtime polls while following the build (tests make it short).
    poll_interval: ClassVar[float] = 2.0
    #: Seconds the health probe keeps asking an app that answers 5xx (DeployOptions.probe_wait).
    probe_wait: ClassVar[float] = 60.0

    def __init__(self, app: SpacesApp, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        #: The clock of the upload's average rate.
        self.clock = clock
        #: How deploys and rollbacks wait (polls, the follow's backoff, the probe); tests swap it.
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        #: The latest deploy per Space (running or done).
        self.runs: dict[str, DeployRun] = {}
        self._watchers: dict[str, list[Widget]] = {}

    # ---- panes ------------------------------------------------------------------------------

    def watch(self, space_id: str, pane: Widget) -> DeployRun | None:
        """Post the messages of `space_id`'s deploys to `pane`; return the run to replay."""
        self._watchers.setdefault(space_id, []).append(pane)
        return self.runs.get(space_id)

    def unwatch(self, space_id: str, pane: Widget) -> None:
        watchers = self._watchers.get(space_id, [])
        if pane in watchers:
            watchers.remove(pane)
        run = self.runs.get(space_id)
        if not watchers and run is not None:
            self._settle_review(run, False)  # nobody is left to answer the review

    def forget(self, space_id: str, run: DeployRun) -> None:
        """Stop replaying `run` (a finished deploy of a folder no longer linked)."""
        if self.runs.get(space_id) is run:
            del self.runs[space_id]

    def _post(self, space_id: str, message_for: Callable[[], Message]) -> bool:
        """Post a new message to each pane watching `space_id`; False when none watches."""
        posted = False
        for pane in list(self._watchers.get(space_id, ())):
            posted = pane.post_message(message_for()) or posted
        return posted

    def probe_existence(self, space_id: str) -> None:
        """Ask the Hub whether `space_id` exists; watching panes get `ExistenceKnown`."""
        self.app.run_worker(
            self._probe(space_id), group=f"deploy-probe:{space_id}", exit_on_error=False
        )

    async def _probe(self, space_id: str) -> None:
        from tui.domain.errors import SpaceNotFound, SpacetuiError

        try:
            await self.app.hub.space_status(space_id)
        except SpaceNotFound:
            self._post(space_id, lambda: ExistenceKnown(False))
        except SpacetuiError:
            return  # unknown: keep the board's guess
        else:
            self._post(space_id, lambda: ExistenceKnown(True))

    def probe_settings(self, space_id: str) -> ProbeSettings:
        """Where and how long the health probe asks a Space's app, for its deploys and its
        rollbacks alike (one place, so a rollback never probes differently from a deploy): the
        Space's `probe_path` in spacetui.yaml (else `/`) and the app's probe wait."""
        entry = self.app.config.space(space_id)
        path = entry.probe_path if entry is not None and entry.probe_path else "/"
        return ProbeSettings(path=path, wait=self.probe_wait)

    # ---- what the user asked for ------------------------------------------------------------

    def start(self, space_id: str, folder: Path, flags: DeployFlags) -> None:
        """Start a deploy of `folder` to `space_id` (refused while one is running)."""
        from tui.domain.deploy.cancel import CancelToken
        from tui.ui.deploy_run import DeployRun

        current = self.runs.get(space_id)
        if current is not None and current.running:
            self.app.notify(f"A deploy of {space_id} is already running.", severity="warning")
            return
        run = DeployRun(space_id, CancelToken(), delete=flags.delete, folder=folder)
        self.runs[space_id] = run  # a pane opened later finds it here
        entry = self.app.config.space(space_id)
        secrets, variables = (entry.secrets, entry.variables) if entry else ((), ())
        run.worker = self.app.run_worker(
            self._deploy(run, folder, flags, secrets, variables),
            group=f"deploy:{space_id}",
            exit_on_error=False,
            description=f"Deploy of {space_id}",
        )
        self._post(space_id, lambda: DeployStarted(run))

    def answer(self, space_id: str, yes: bool) -> None:
        run = self.runs.get(space_id)
        if run is not None:
            self._settle_review(run, yes)

    def cancel(self, space_id: str) -> None:
        run = self.runs.get(space_id)
        if run is None or not run.running:
            return
        if run.review is not None:
            self._settle_review(run, False)
            return
        run.cancel.cancel()
        if run.worker is not None:
            run.worker.cancel()

    def _settle_review(self, run: DeployRun, yes: bool) -> None:
        if run.review is not None and not run.review.done():
            run.review.set_result(yes)
            if yes:
                run.upload_started = self.clock()  # the whole upload's average

    # ---- the worker -------------------------------------------------------------------------

    async def _deploy(
        self,
        run: DeployRun,
        folder: Path,
        flags: DeployFlags,
        secret_names: Sequence[str],
        variable_names: Sequence[str],
    ) -> None:
        """Ask for missing values, run the engine, then raise the toast (even if no pane is left)."""
        from tui.domain.deploy.engine import Deployer
        from tui.domain.deploy.options import DeployOptions
        from tui.domain.errors import SpacetuiError
        from tui.domain.redact import register_secret

        space_id = run.space_id
        secrets = await self._values(space_id, secret_names, secret=True)
        variables = (
            await self._values(space_id, variable_names, secret=False)
            if secrets is not None
            else None
        )
        probe = self.probe_settings(space_id)
        if secrets is None or variables is None:
            result = _local_result(
                space_id, "cancelled", "Deploy not started: a value was not given."
            )
        else:
            for value in secrets.values():
                register_secret(value)  # a build log that echoes it shows *** instead
            options = DeployOptions(
                folder=folder,
                space_id=space_id,
                create=flags.create,
                public=flags.public,
                delete=flags.delete,
                force=flags.force,
                probe=flags.probe,
                probe_path=probe.path,
                probe_wait=probe.wait,
                secrets=secrets,
                variables=variables,
                diff=True,  # the review shows each changed text file's diff
            )
            # Only now does the deploy check anything: the panes said "waiting" until here.
            self._post(space_id, DeployEngineStarted)
            deployer = Deployer(
                self.app.hub,
                options,
                emit=lambda event: self._emit(run, event),
                confirm=lambda plan, findings: self._confirm(run, plan, findings),
                cancel=run.cancel,
                poll_interval=self.poll_interval,
                sleep=self.sleep,
            )
            try:
                result = await deployer.run()  # also emitted as the last event
            except SpacetuiError as exc:
                result = _local_result(space_id, "error", exc.message)
            except Exception as exc:  # noqa: BLE001 - a bug must not leave the pane locked
                result = _local_result(
                    space_id, "error", f"Deploy failed: {type(exc).__name__}: {exc}"
                )
        self._finish(run, result)

    def _finish(self, run: DeployRun, result: DeployResult) -> None:
        """Record the result (with the build's elapsed time), tell the panes, raise the toast."""
        if run.committed_at is not None:
            run.build_seconds = self.clock() - run.committed_at
        run.record(result)
        self._post(run.space_id, lambda: DeployFinished(result))
        self._announce(result)

    # ---- rollbacks (confirmed in the History pane, shown like a deploy) ---------------------

    def start_rollback(self, plan: RollbackPlan, *, probe: bool = True) -> None:
        """Commit a confirmed rollback and follow its build: same run, pane messages and toast."""
        from tui.domain.deploy.cancel import CancelToken
        from tui.ui.deploy_run import DeployRun

        space_id = plan.space_id
        current = self.runs.get(space_id)
        if current is not None and current.running:
            self.app.notify(f"A deploy of {space_id} is already running.", severity="warning")
            return
        run = DeployRun(space_id, CancelToken(), rollback_to=plan.target_sha)
        self.runs[space_id] = run
        run.worker = self.app.run_worker(
            self._roll_back(run, plan, probe),
            group=f"deploy:{space_id}",
            exit_on_error=False,
            description=f"Rollback of {space_id}",
        )
        self._post(space_id, lambda: DeployStarted(run))

    async def _roll_back(self, run: DeployRun, plan: RollbackPlan, probe: bool) -> None:
        from tui.domain.rollback import Rollback

        settings = self.probe_settings(plan.space_id)  # the same probe as the app's deploys
        runner = Rollback(
            self.app.hub,
            plan,
            emit=lambda event: self._emit(run, event),
            probe=probe,
            probe_path=settings.path,
            probe_wait=settings.wait,
            poll_interval=self.poll_interval,
            sleep=self.sleep,
        )
        try:
            result = await runner.run()  # it records how it ended, as the CLI's does
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the pane locked
            result = _local_result(
                plan.space_id, "error", f"Rollback failed: {type(exc).__name__}: {exc}"
            )
        self._finish(run, result)

    async def _values(
        self, space_id: str, names: Sequence[str], *, secret: bool
    ) -> dict[str, str] | None:
        """Each name's value from the environment, else from a prompt (masked for secrets)."""
        from tui.ui.screens.dialogs import TextPrompt

        values: dict[str, str] = {}
        for name in names:
            if name in os.environ:
                values[name] = os.environ[name]
                continue
            kind = "secret" if secret else "variable"
            # The panes say what the deploy waits for (the name only, never a value).
            self._post(space_id, partial(DeployValueAsked, name, secret))
            answer = await self.app.push_screen_wait(
                TextPrompt(
                    f"Deploy {space_id}: {kind} {name}",
                    f"{name} is not set in the environment. Its value "
                    + ("(hidden, never shown or saved):" if secret else "(not saved):"),
                    password=secret,
                    check=_value_needed,
                )
            )
            if answer is None:
                return None
            values[name] = answer
        return values

    def _emit(self, run: DeployRun, event: DeployEvent) -> None:
        # Called on the event loop from the engine's coroutine: kept, then handed over.
        from tui.domain.deploy.events import Committed, DeployResult, UploadProgress

        if isinstance(event, Committed) and event.changed:
            run.committed_at = self.clock()
        if isinstance(event, DeployResult):
            return  # recorded and posted by the worker, with the app's own results
        if run.result is not None:
            return  # the upload thread's last slices, after the deploy ended: nothing to draw
        if isinstance(event, UploadProgress) and run.cancel.cancelled:
            # Bytes counted after the cancel would put "Uploading …" back over "Cancelling …".
            return
        if isinstance(event, UploadProgress):
            self._time_upload(run, event)
        run.record(event)
        self._post(run.space_id, lambda: DeployProgressed(event))

    def _time_upload(self, run: DeployRun, event: UploadProgress) -> None:
        now = self.clock()
        if run.upload_started is None:
            run.upload_started = now
        elapsed = now - run.upload_started
        if event.bytes_done >= event.bytes_total and elapsed > 0:
            run.upload_average = event.bytes_total / elapsed

    async def _confirm(self, run: DeployRun, plan: UploadPlan, findings: Sequence[Finding]) -> bool:
        review: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        run.review = review
        try:
            if not self._post(run.space_id, lambda: DeployReviewRequested(plan, tuple(findings))):
                return False  # nobody can see the review: never deploy without one
            return await review
        finally:
            run.review = None

    def _announce(self, result: DeployResult) -> None:
        """A toast (and the bell if asked for), wherever the user is in the app."""
        from tui.ui.deploy_wording import app_message
        from tui.ui.widgets.check_render import clean
        from tui.ui.widgets.deploy_text import result_title

        severity: SeverityLevel = (
            "information" if result.ok else "warning" if result.outcome == "cancelled" else "error"
        )
        self.app.notify(
            clean(app_message(result)),
            title=result_title(result),
            severity=severity,
            timeout=10,
        )
        if self.app.config.ui.bell:
            self.app.bell()


def _value_needed(value: str) -> str | None:
    """An empty answer is a slip of Enter, not a value: the prompt stays open (Esc cancels)."""
    # Never word the value itself: this sentence is drawn under a masked input.
    return None if value else "A value is needed: type it, or press Esc to cancel the deploy."


def _local_result(space_id: str, outcome: str, message: str) -> DeployResult:
    from tui.domain.deploy.events import DeployResult

    return DeployResult(ok=False, outcome=outcome, message=message, space_id=space_id)
