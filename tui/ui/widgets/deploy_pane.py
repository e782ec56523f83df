"""DeployPane: deploy the Space's linked folder from the app, from review to RUNNING.

The deploy engine (`tui.domain.deploy.engine.Deployer`) runs in an app-level worker, so leaving
the Space screen does not cancel it and its toast still comes. Every engine event is kept in
the app's `DeployRun` for the Space and becomes a message to the pane; its handlers draw the
review, the progress bars, the build log and the result. A pane opened later replays the run. Secret values come from the environment or a masked prompt and are never shown.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Label, ProgressBar, Static

from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy.events import (
    BuildLogLine,
    ChecksDone,
    Committed,
    DeployEvent,
    DeployResult,
    PlanReady,
    SettingsApplied,
    SpaceCreated,
    StageReached,
    UploadPhase,
    UploadProgress,
)
from tui.domain.models import LogEvent, Stage
from tui.domain.wording import counted
from tui.ui.deploy_run import DeployRun
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.widgets.check_render import clean
from tui.ui.widgets.deploy_text import (
    file_progress_label,
    overall_progress_label,
    result_text,
    result_title,
    review_text,
    settings_text,
)
from tui.ui.widgets.log_view import LogView
from tui.ui.widgets.space_cells import stage_badge

if TYPE_CHECKING:
    from textual.worker import Worker

    from tui.domain.deploy.cancel import CancelToken
    from tui.domain.deploy.plan import UploadPlan
    from tui.ui.app import SpacesApp

DEPLOY_BINDINGS = [
    Binding("D", "deploy", "Deploy", id="deploy.start", tooltip="Deploy the linked folder"),
    Binding(
        "y", "answer(True)", "Confirm", id="deploy.confirm", tooltip="Go ahead after the review"
    ),
    Binding(
        "n",
        "answer(False)",
        "Decline",
        id="deploy.decline",
        show=False,
        tooltip="Stop at the review",
    ),
    Binding(
        "escape,c",
        "cancel_deploy",
        "Cancel deploy",
        id="deploy.cancel",
        tooltip="Cancel the running deploy (nothing is committed before the upload ends)",
    ),
]
_PHASES = {  # phase -> (what the stage line says, its style)
    "preparing": ("Preparing the upload: reading the files, asking the Hub how to send each …", ""),
    "committing": ("Committing: the Hub has every byte and applies the commit …", ""),
    "too_late": (
        "Too late to cancel: the Hub has the whole commit; waiting for its answer …",
        "yellow",
    ),
}
_OPTIONS = (
    ("create", "Create if missing"),
    ("public", "Public"),
    ("delete", "Delete remote-only"),
    ("force", "Force past check errors"),
)


#: The engine's CLI wording -> the pane's toggles, in results shown in the app.
_CLI_FLAGS = {
    "pass --create": "tick 'Create if missing'",
    "pass --force": "tick 'Force past check errors'",
    # No toggle publishes a flagged file: only the command line can, one path at a time.
    "pass --allow-secret PATH": "deploy from the command line with --allow-secret PATH",
}


@dataclass(frozen=True)
class DeployFlags:
    """The toggles of the pane at the moment the deploy starts."""

    create: bool
    public: bool
    delete: bool
    force: bool


class DeployPane(Vertical):
    """Review, confirm, upload with progress, then the build log until RUNNING or a failure."""

    BINDINGS = DEPLOY_BINDINGS
    DEFAULT_CSS = """
    DeployPane {
        height: 1fr;
        & > Static { padding: 0 1; height: auto; }
        & #deploy-options { height: auto; padding: 0 1; }
        & #deploy-options Checkbox { width: auto; height: 1; border: none; padding: 0 1 0 0; }
        & #deploy-options Button { margin-left: 2; }
        & #deploy-review { height: auto; max-height: 14; padding: 0 1; display: none; }
        & #deploy-confirm { height: auto; padding: 0 1; display: none; }
        & #deploy-confirm Button { margin-right: 2; }
        & #deploy-progress { height: auto; padding: 0 1; display: none; }
        & #deploy-progress ProgressBar Bar { width: 1fr; }
        & #deploy-log { height: 1fr; min-height: 4; border-top: solid $panel; }
        &.-reviewing #deploy-review, &.-reviewing #deploy-confirm { display: block; }
        &.-uploading #deploy-progress { display: block; }
    }
    """

    #: Seconds between runtime polls while following the build (tests make it short).
    poll_interval: ClassVar[float] = 2.0
    #: The clock of the upload's average rate (a test may replace it).
    clock: ClassVar[Callable[[], float]] = staticmethod(time.monotonic)

    @dataclass
    class Progressed(Message):
        """One event of the running deploy; upload progress replaces older upload progress."""

        event: DeployEvent
        #: The event's number in its `DeployRun` (0: not recorded), so a replay is not doubled.
        number: int = 0

        def can_replace(self, message: Message) -> bool:
            return (
                isinstance(message, DeployPane.Progressed)
                and isinstance(self.event, UploadProgress)
                and isinstance(message.event, UploadProgress)
            )

    @dataclass
    class ConfirmRequested(Message):
        """The engine waits for a yes or no on this plan."""

        plan: UploadPlan
        findings: tuple[Finding, ...]

    @dataclass
    class ExistenceKnown(Message):
        """Whether the Space exists (decides the default of "create if missing")."""

        exists: bool

    def __init__(self, space_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.space_id = space_id
        #: The deploy this pane shows (kept by the app: it outlives the pane).
        self.deploy_run: DeployRun | None = None
        self.flags: DeployFlags | None = None
        self.result: DeployResult | None = None
        self._answer: asyncio.Future[bool] | None = None
        self._findings: tuple[Finding, ...] = ()
        self._log_index = 0
        #: The number of the last event the replay showed; later messages up to it are skipped.
        self._replayed = 0

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    @property
    def running(self) -> bool:
        return self.deploy_run is not None and self.deploy_run.running

    @property
    def worker(self) -> Worker[None] | None:
        return self.deploy_run.worker if self.deploy_run else None

    @property
    def cancel_token(self) -> CancelToken | None:
        return self.deploy_run.cancel if self.deploy_run else None

    @property
    def committed_sha(self) -> str | None:
        return self.deploy_run.committed_sha if self.deploy_run else None

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="deploy-target")
        with Horizontal(id="deploy-options"):
            for name, label in _OPTIONS:
                yield Checkbox(label, name == "create" and self._looks_missing(), id=f"opt-{name}")
            yield Button("Deploy (D)", variant="primary", compact=True, id="deploy-start")
        yield Static(id="deploy-settings")
        yield Static(id="deploy-stage")  # "Ready" once a folder is linked (describe_target)
        with VerticalScroll(id="deploy-review"):
            yield Static(id="deploy-review-text")
        with Horizontal(id="deploy-confirm"):
            yield Button("Confirm (y)", variant="success", compact=True, id="deploy-yes")
            yield Button("Cancel (n)", variant="error", compact=True, id="deploy-no")
        with Vertical(id="deploy-progress"):
            # A total from the start: a bar without one animates at 15 fps even while hidden.
            yield Label(id="file-label")
            yield ProgressBar(total=1, show_eta=False, id="file-bar")
            yield Label(id="overall-label")
            yield ProgressBar(total=1, show_eta=False, id="overall-bar")
        yield Static(id="deploy-result")
        log = LogView(capacity=20_000, id="deploy-log")
        log.save_name = f"{self.space_id.replace('/', '-')}-deploy"
        yield log

    @on(LogView.PromptRequested, "#deploy-log")
    def ask_for_log_prompt(self, event: LogView.PromptRequested) -> None:
        """Search, filter and save in the build log: asked in a dialog, applied by the view."""
        event.stop()
        view = event.view
        titles = {
            "search": "Search the build log",
            "filter": "Filter the build log",
            "save": "Save the build log",
        }
        hints = {
            "search": "a regex; ! inverts",
            "filter": "a regex; ! inverts; empty shows all",
            "save": "a file path",
        }

        def apply(answer: str | None) -> None:
            if answer is not None or event.mode == "filter":
                view.call_later(view.apply_prompt, event.mode, answer or "")

        self.app.push_screen(
            TextPrompt(
                titles.get(event.mode, event.mode), hints.get(event.mode, ""), value=event.initial
            ),
            apply,
        )

    @on(LogView.SaveRequested, "#deploy-log")
    def save_build_log(self, event: LogView.SaveRequested) -> None:
        event.stop()
        path, text = Path(event.path).expanduser(), event.text

        def write() -> None:
            path.write_text(text, encoding="utf-8")

        def done(worker_ok: bool, error: str = "") -> None:
            if worker_ok:
                self.notify(f"Saved to {path}", timeout=4)
            else:
                self.notify(f"Could not save to {path}: {error}", severity="error")

        async def run() -> None:
            try:
                await asyncio.to_thread(write)
            except OSError as exc:
                done(False, exc.strerror or str(exc))
            else:
                done(True)

        self.run_worker(run(), group="deploy-log-save", exit_on_error=False)

    def on_mount(self) -> None:
        # The target, the settings and the "Ready" line summarise spacetui.yaml's entry for the
        # Space: redraw them when a saved edit replaces it (`f` links a folder while shown).
        self.spaces_app.config_changed.subscribe(self, lambda _: self._follow_config())
        self.describe_target()
        run = self.spaces_app.deploy_runs.get(self.space_id)
        if run is not None and self._about_another_folder(run):
            # Finished with a folder linked no longer (relinked from the list): not this one's.
            del self.spaces_app.deploy_runs[self.space_id]
            run = None
        if run is not None:
            # Started from an earlier Space screen (running or done): show it whole, then follow.
            self._replay(run)
            if run.running:
                return
        self.run_worker(self._probe_existence(), group="deploy-probe", exit_on_error=False)

    def _replay(self, run: DeployRun) -> None:
        """Show what `run` did so far, as if this pane had seen every event."""
        self.deploy_run = run
        self._replayed = run.count
        self.query_one("#deploy-start", Button).disabled = run.running
        for _, event in run.milestones:
            if not isinstance(event, DeployResult):
                self._show(event)
        first = run.log_total - len(run.log) + 1
        lines = [self._log_event(index, event) for index, (_, event) in enumerate(run.log, first)]
        self._log_index = run.log_total
        self.query_one("#deploy-log", LogView).append_batch(lines)
        if run.result is not None:
            self._show(run.result)
        elif not run.running:
            # The worker ended without a result (it was cancelled mid-await): say so, not "Uploading".
            self._stage(Text("The last deploy stopped before it finished.", style="yellow"))
        elif not run.milestones and not lines:
            self._stage(Text(f"A deploy of {self.space_id} is starting …"))

    @property
    def _group(self) -> str:
        return f"deploy:{self.space_id}"

    def _live_pane(self, run: DeployRun) -> DeployPane | None:
        """The pane showing `run`: this one, or the one opened after the user came back."""
        if self.is_attached and self.deploy_run is run:
            return self
        for screen in reversed(self.app.screen_stack):
            for pane in screen.query(DeployPane):
                if pane.deploy_run is run:
                    return pane
        return None

    def on_show(self) -> None:
        # The Space screen switches panes without moving focus; the pane's keys need it.
        self.describe_target()
        self.call_after_refresh(self._focus_default)

    def on_hide(self) -> None:
        # Another pane is shown: keys must reach the Space screen, not this hidden pane.
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            self.screen.set_focus(None)

    def on_unmount(self) -> None:
        # The engine waits on the review; nobody is left to answer it.
        self._settle_answer(False)

    def _focus_default(self) -> None:
        if self.has_class("-reviewing"):
            self.query_one("#deploy-yes" if not self._deletes() else "#deploy-no").focus()
        elif not self.running:
            self.query_one("#deploy-start", Button).focus()
        else:
            self.query_one("#deploy-log", LogView).focus()

    def _refocus(self) -> None:
        """Move focus off a control the deploy's progress hid or disabled: to the build log once
        it has lines (so its `/`, `e`, `s` keys work at once), else to the Deploy button."""
        if not self.is_attached or not self.display:
            return
        focused = self.screen.focused
        if focused is not None:
            if self not in focused.ancestors_with_self:
                return  # the user is elsewhere on the screen: leave them there
            shown = all(node.display for node in focused.ancestors_with_self if node is not self)
            usable = shown and focused.focusable
            if usable and not isinstance(focused, Button):
                return  # a toggle or the log itself, chosen with Tab
        log = self.query_one("#deploy-log", LogView)
        if self.running or log.model.store.next_seq or log.pending_lines:
            log.focus()
        else:
            self.query_one("#deploy-start", Button).focus()

    def _looks_missing(self) -> bool:
        return self.spaces_app.board.get(self.space_id) is None

    def linked_folder(self) -> Path | None:
        """The folder spacetui.yaml links to the Space (read each time: `f` may link one)."""
        entry = self.spaces_app.config.space(self.space_id)
        return entry.folder if entry else None

    def setting_names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The secret and variable names spacetui.yaml lists for the Space."""
        entry = self.spaces_app.config.space(self.space_id)
        return (entry.secrets, entry.variables) if entry else ((), ())

    def _follow_config(self) -> None:
        """spacetui.yaml was saved: forget a finished deploy of a folder no longer linked (its
        "Finished: blocked" was about that folder), then redraw the target. A running deploy
        stays: it goes on with the folder it started from."""
        run = self.deploy_run
        if run is not None and self._about_another_folder(run):
            self._forget_run(run)
        self.describe_target()

    def _about_another_folder(self, run: DeployRun) -> bool:
        """True when `run` finished with a folder that is no longer the linked one."""
        return not run.running and run.folder is not None and run.folder != self.linked_folder()

    def _forget_run(self, run: DeployRun) -> None:
        """Clear what the pane shows of `run`, and stop a reopened pane replaying it."""
        if self.spaces_app.deploy_runs.get(self.space_id) is run:
            del self.spaces_app.deploy_runs[self.space_id]
        self.deploy_run = None
        self._clear_shown_deploy()
        self.query_one("#deploy-review-text", Static).update("")
        self.query_one("#deploy-start", Button).disabled = False
        self.refresh_bindings()

    def _clear_shown_deploy(self) -> None:
        """Empty the result, findings and log of the deploy the pane showed."""
        self.result = None
        self._findings = ()
        self._log_index = 0
        self._replayed = 0
        self.query_one("#deploy-log", LogView).clear()
        self.query_one("#deploy-result", Static).update("")
        self.remove_class("-reviewing", "-uploading")

    def describe_target(self) -> None:
        folder = self.linked_folder()
        target = self.query_one("#deploy-target", Static)
        if folder is None:
            target.update(
                Text(
                    f"No local folder is linked to {self.space_id}: press f to link one "
                    "(saved in spacetui.yaml), then D to deploy it."
                )
            )
        else:
            text = Text("Deploy ")
            text.append(clean(str(folder)), style="bold")
            text.append(" → ")
            text.append(self.space_id, style="bold")
            target.update(text)
        if self.deploy_run is None and not self.has_class("-reviewing"):
            # Idle (no deploy shown yet): with no folder, the line above says what to do first.
            ready = Text("Ready: press D to deploy.", style="dim") if folder else Text("")
            self._stage(ready)
        secrets, variables = self.setting_names()
        self.query_one("#deploy-settings", Static).update(
            settings_text(secrets, variables, os.environ)
        )

    async def _probe_existence(self) -> None:
        from tui.domain.errors import SpaceNotFound, SpacetuiError

        try:
            await self.spaces_app.hub.space_status(self.space_id)
        except SpaceNotFound:
            self.post_message(self.ExistenceKnown(False))
        except SpacetuiError:
            return  # unknown: keep the board's guess
        else:
            self.post_message(self.ExistenceKnown(True))

    @on(ExistenceKnown)
    def default_create(self, event: ExistenceKnown) -> None:
        if not self.running:
            self.query_one("#opt-create", Checkbox).value = not event.exists

    def _flags(self) -> DeployFlags:
        values = {name: self.query_one(f"#opt-{name}", Checkbox).value for name, _ in _OPTIONS}
        return DeployFlags(**values)

    def _deletes(self) -> bool:
        return bool(self.deploy_run and self.deploy_run.delete)

    # ---- starting and stopping -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An inapplicable key falls through to the Space screen (Escape: back, c: checks)
        # and leaves the footer.
        if not self.display:
            return False
        if action == "answer":
            return self._answer is not None
        if action == "cancel_deploy":
            return self.running
        return True

    @on(Button.Pressed, "#deploy-start")
    def action_deploy(self) -> None:
        if self.running:
            self.app.notify(f"A deploy of {self.space_id} is already running.", severity="warning")
            return
        folder = self.linked_folder()
        if folder is None:
            self.app.notify(
                f"Link a folder to {self.space_id} first (press f).", severity="warning"
            )
            return
        from tui.domain.deploy.cancel import CancelToken

        self.flags = self._flags()
        run = DeployRun(self.space_id, CancelToken(), delete=self.flags.delete, folder=folder)
        self.spaces_app.deploy_runs[self.space_id] = run  # a reopened pane finds it here
        self.deploy_run = run
        self._clear_shown_deploy()
        self.query_one("#deploy-start", Button).disabled = True
        self._stage(Text("Checking the folder and comparing it with the Space …"))
        secrets, variables = self.setting_names()
        # An app worker: the deploy outlives this pane if the user leaves the Space screen.
        run.worker = self.app.run_worker(
            self._deploy(run, folder, self.flags, secrets, variables),
            group=self._group,
            exit_on_error=False,
            description=f"Deploy of {self.space_id}",
        )
        self.refresh_bindings()

    def action_answer(self, yes: bool) -> None:
        if self._answer is None:
            raise SkipAction()
        self._settle_answer(yes)

    @on(Button.Pressed, "#deploy-yes")
    def confirm_pressed(self) -> None:
        self._settle_answer(True)

    @on(Button.Pressed, "#deploy-no")
    def decline_pressed(self) -> None:
        self._settle_answer(False)

    def _settle_answer(self, yes: bool) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(yes)
            if yes and self.deploy_run is not None:
                self.deploy_run.upload_started = self.clock()  # the whole upload's average
            if yes and self.is_mounted:
                self._stage(Text("Confirmed: starting the upload …"))
        self.remove_class("-reviewing")
        if self.is_mounted:
            self.refresh_bindings()
            # The review's buttons just hid; a hidden button keeping focus sends every key
            # past the build log to the Space screen (`e` opened its secrets, `/` did nothing).
            self.call_after_refresh(self._refocus)

    def action_cancel_deploy(self) -> None:
        if not self.running:
            raise SkipAction()  # Escape then goes back, `c` shows the checks
        if self._answer is not None:
            self._settle_answer(False)
            return
        self._stage(Text("Cancelling …", style="yellow"))
        if self.cancel_token is not None:
            self.cancel_token.cancel()
        if self.worker is not None:
            self.worker.cancel()

    # ---- the worker ----------------------------------------------------------------------

    async def _deploy(
        self,
        run: DeployRun,
        folder: Path,
        flags: DeployFlags,
        secret_names: Sequence[str],
        variable_names: Sequence[str],
    ) -> None:
        """Ask for missing values, run the engine, then raise the toast (even if the pane is gone)."""
        from tui.domain.deploy.engine import Deployer
        from tui.domain.deploy.options import DeployOptions
        from tui.domain.errors import SpacetuiError
        from tui.domain.redact import register_secret

        app = self.spaces_app
        secrets = await self._values(secret_names, secret=True)
        variables = (
            await self._values(variable_names, secret=False) if secrets is not None else None
        )
        if secrets is None or variables is None:
            result = self._local_result("cancelled", "Deploy not started: a value was not given.")
        else:
            for value in secrets.values():
                register_secret(value)  # a build log that echoes it shows *** instead
            options = DeployOptions(
                folder=folder,
                space_id=self.space_id,
                create=flags.create,
                public=flags.public,
                delete=flags.delete,
                force=flags.force,
                secrets=secrets,
                variables=variables,
            )
            deployer = Deployer(
                app.target,
                options,
                emit=lambda event: self._emit(run, event),
                confirm=lambda plan, findings: self._confirm(run, plan, findings),
                cancel=run.cancel,
                poll_interval=self.poll_interval,
            )
            try:
                result = await deployer.run()  # also emitted as the last event
            except SpacetuiError as exc:
                result = self._local_result("error", exc.message)
            except Exception as exc:  # noqa: BLE001 - a bug must not leave the pane locked
                result = self._local_result("error", f"Deploy failed: {type(exc).__name__}: {exc}")
            else:
                result = self._reworded(result, run.committed_sha)
        number = run.record(result)
        pane = self._live_pane(run)
        if pane is not None:
            pane.post_message(pane.Progressed(result, number))
        self._announce(app, result)

    def _local_result(self, outcome: str, message: str) -> DeployResult:
        return DeployResult(ok=False, outcome=outcome, message=message, space_id=self.space_id)

    def _reworded(self, result: DeployResult, committed_sha: str | None) -> DeployResult:
        """The engine's CLI wording, said the app's way."""
        for flag, toggle in _CLI_FLAGS.items():
            if flag in result.message:
                result = dataclasses.replace(result, message=result.message.replace(flag, toggle))
        # A cancel after the commit stops following the build; the commit itself stays.
        if result.outcome == "cancelled" and committed_sha:
            return dataclasses.replace(
                result,
                message=f"Stopped following the build; commit {committed_sha[:7]} "
                "is on the Space and keeps building.",
            )
        return result

    async def _values(self, names: Sequence[str], *, secret: bool) -> dict[str, str] | None:
        """Each name's value from the environment, else from a prompt (masked for secrets)."""
        values: dict[str, str] = {}
        for name in names:
            if name in os.environ:
                values[name] = os.environ[name]
                continue
            kind = "secret" if secret else "variable"
            answer = await self.app.push_screen_wait(
                TextPrompt(
                    f"Deploy {self.space_id}: {kind} {name}",
                    f"{name} is not set in the environment. Its value "
                    + ("(hidden, never shown or saved):" if secret else "(not saved):"),
                    password=secret,
                )
            )
            if answer is None:
                return None
            values[name] = answer
        return values

    def _emit(self, run: DeployRun, event: DeployEvent) -> None:
        # Called on the event loop from the engine's coroutine: kept, then handed over.
        if isinstance(event, DeployResult):
            return  # recorded and posted by the worker once reworded
        number = run.record(event)
        pane = self._live_pane(run)
        if pane is not None:
            pane.post_message(pane.Progressed(event, number))

    async def _confirm(self, run: DeployRun, plan: UploadPlan, findings: Sequence[Finding]) -> bool:
        pane = self._live_pane(run)
        if pane is None:
            return False  # nobody can see the review: never deploy without one
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        pane._answer = answer
        try:
            if not pane.post_message(pane.ConfirmRequested(plan, tuple(findings))):
                return False
            return await answer
        finally:
            pane._answer = None

    def _announce(self, app: SpacesApp, result: DeployResult) -> None:
        """A toast (and the bell if asked for), wherever the user is in the app."""
        severity = (
            "information" if result.ok else "warning" if result.outcome == "cancelled" else "error"
        )
        app.notify(clean(result.message), title=result_title(result), severity=severity, timeout=10)
        if app.config.ui.bell:
            app.bell()

    # ---- handlers ------------------------------------------------------------------------

    def _stage(self, text: Text) -> None:
        self.query_one("#deploy-stage", Static).update(text)

    @on(ConfirmRequested)
    def show_confirm(self, event: ConfirmRequested) -> None:
        delete = self._deletes()
        self.query_one("#deploy-review-text", Static).update(
            review_text(event.plan, event.findings, delete=delete)
        )
        self.add_class("-reviewing")
        self.refresh_bindings()
        self._stage(Text("Review the changes: y to deploy, n to stop.", style="bold"))
        self.call_after_refresh(self._focus_default)

    @on(Progressed)
    def show_event(self, message: Progressed) -> None:
        if message.number and message.number <= self._replayed:
            return  # recorded before this pane's replay, which showed it
        self._show(message.event)

    def _show(self, event: DeployEvent) -> None:
        handler = getattr(self, f"_on_{event.kind}", None)
        if handler is not None:
            handler(event)

    def _on_checks(self, event: ChecksDone) -> None:
        self._findings = event.findings
        errors = sum(1 for f in event.findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in event.findings if f.severity is Severity.WARNING)
        text = Text(f"Checks: {counted(errors, 'error')}, {counted(warnings, 'warning')}")
        if event.forced and not event.blocking:  # force never gets past a possible secret
            text.append(" — deploying anyway (force)", style="yellow")
        self._stage(text)

    def _on_plan(self, event: PlanReady) -> None:
        self.query_one("#deploy-review-text", Static).update(
            review_text(event.plan, self._findings, delete=self._deletes())
        )
        self._stage(Text(f"To send: {counted(len(event.plan.to_upload), 'file')}."))

    def _on_create(self, event: SpaceCreated) -> None:
        visibility = "private" if event.private else "public"
        self._stage(Text(f"Created the {visibility} {clean(event.sdk)} Space {event.space_id}."))

    def _on_settings(self, event: SettingsApplied) -> None:
        names = [f"secret {n}" for n in event.secrets] + [f"variable {n}" for n in event.variables]
        if event.hardware:
            names.append(f"hardware {event.hardware}")
        self._stage(Text("Set " + ", ".join(clean(name) for name in names) + "."))

    def _on_upload(self, event: UploadProgress) -> None:
        self.add_class("-uploading")
        self.query_one("#file-label", Label).update(file_progress_label(event))
        self.query_one("#file-bar", ProgressBar).update(
            total=max(event.file_total, 1), progress=event.file_bytes
        )
        run = self.deploy_run
        started = run.upload_started if run else None
        if started is None:
            started = self.clock()
            if run is not None:
                run.upload_started = started
        average = None
        elapsed = self.clock() - started
        if event.bytes_done >= event.bytes_total and elapsed > 0:
            average = event.bytes_total / elapsed
        self.query_one("#overall-label", Label).update(overall_progress_label(event, average))
        self.query_one("#overall-bar", ProgressBar).update(
            total=max(event.bytes_total, 1), progress=event.bytes_done
        )
        self._stage(Text("Uploading …"))

    def _on_phase(self, event: UploadPhase) -> None:
        # The stretches with no bytes to count: without a word they look like a hang.
        if event.phase in _PHASES:
            words, style = _PHASES[event.phase]
            self._stage(Text(words, style=style))

    def _on_commit(self, event: Committed) -> None:
        if event.changed:
            self._stage(Text(f"Committed {(event.sha or '?')[:7]}; following the build …"))
        else:
            self._stage(Text("Nothing changed since the last deploy: no commit made."))

    def _log_event(self, index: int, event: BuildLogLine) -> LogEvent:
        return LogEvent(
            index=index,
            timestamp=event.timestamp,
            text=event.text,
            space_id=self.space_id,
            kind=event.log,
        )

    def _on_log(self, event: BuildLogLine) -> None:
        self._log_index += 1
        line = self._log_event(self._log_index, event)
        self.query_one("#deploy-log", LogView).append_batch([line])
        if self._log_index == 1:
            self._refocus()  # the build streams: its log is what the keys are for now

    def _on_stage(self, event: StageReached) -> None:
        text = Text("Stage: ")
        text.append_text(stage_badge(Stage.parse(event.stage), event.stage))
        self._stage(text)

    def _on_result(self, event: DeployResult) -> None:
        self.result = event
        self.remove_class("-reviewing")
        self.query_one("#deploy-result", Static).update(result_text(event))
        stage = Text("Finished: ")
        if event.stage:
            stage.append_text(stage_badge(Stage.parse(event.stage), event.stage))
        else:
            stage.append(event.outcome)
        self._stage(stage)
        self.query_one("#deploy-start", Button).disabled = False
        self.refresh_bindings()
        self.call_after_refresh(self._refocus)
