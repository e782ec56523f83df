"""DeployPane: draws a deploy of the Space's linked folder, from review to RUNNING.

The app's `DeployController` runs the deploy and keeps its history (`DeployRun`); this pane
watches the Space's runs, replays the latest when it opens, draws each message (review, progress
bars, build log, result), and posts what the user asked for (deploy, answer, cancel).
Secret values come from the environment or a masked prompt (the controller's) and are never shown.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, assert_never, cast

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Static

from tui.domain.checks.findings import Finding
from tui.domain.deploy.events import (
    AnyDeployEvent,
    BuildLogLine,
    BuildLogLines,
    ChecksDone,
    Committed,
    DeployEvent,
    DeployResult,
    FollowWaiting,
    PlanReady,
    ProbeStarted,
    SettingsApplied,
    SpaceCreated,
    StageReached,
    UploadPhase,
    UploadProgress,
)
from tui.domain.models import LogEvent
from tui.domain.wording import counted
from tui.ui.controllers.deploy_messages import (
    DeployCancelRequested,
    DeployEngineStarted,
    DeployFinished,
    DeployFlags,
    DeployProgressed,
    DeployRequested,
    DeployReviewRequested,
    DeployStarted,
    DeployValueAsked,
    ExistenceKnown,
    ReviewAnswered,
    SaveRequested,
)
from tui.ui.deploy_run import DeployRun
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.widgets.check_render import clean
from tui.ui.widgets.deploy_lines import (
    checks_line,
    commit_line,
    created_line,
    finished_line,
    phase_line,
    probe_line,
    settings_line,
    stage_line,
    value_asked_line,
    waiting_line,
)
from tui.ui.widgets.deploy_progress import DeployProgress
from tui.ui.widgets.deploy_text import (
    result_text,
    review_text,
    settings_text,
)
from tui.ui.widgets.log_view import LogView

if TYPE_CHECKING:
    from tui.ui.app import SpacesApp

DEPLOY_BINDINGS: list[BindingType] = [
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
    # Esc is Back and c is Checks everywhere: cancelling has a key of its own.
    Binding(
        "ctrl+x",
        "cancel_deploy",
        "Cancel deploy",
        id="deploy.cancel",
        key_display="^x",
        tooltip="Cancel the running deploy (nothing is committed before the upload ends)",
    ),
]
_OPTIONS = (
    ("create", "Create if missing"),
    ("public", "Public"),
    ("delete", "Delete remote-only"),
    ("force", "Force past check errors"),
    ("probe", "Probe app"),  # short: the row must keep its Deploy button at 120 columns
)


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
        /* Narrow (80 columns): the toggles and the Deploy button in two columns, not cut. */
        &.-narrow #deploy-options { layout: grid; grid-size: 2; grid-rows: 1; }
        &.-narrow #deploy-options Button { margin-left: 0; }
    }
    """

    def __init__(self, space_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.space_id = space_id
        #: The deploy this pane shows (kept by the app's controller: it outlives the pane).
        self.deploy_run: DeployRun | None = None
        self.result: DeployResult | None = None
        #: True while the engine waits for this review's answer.
        self._reviewing = False
        self._findings: tuple[Finding, ...] = ()
        self._log_index = 0
        #: The last upload progress shown had bytes left to send.
        self._upload_cut_short = False
        #: The app's own URL, once the deploy asked the app (`ProbeStarted`).
        self._app_url: str | None = None

    @property
    def spaces_app(self) -> SpacesApp:
        return cast("SpacesApp", self.app)

    @property
    def running(self) -> bool:
        return self.deploy_run is not None and self.deploy_run.running

    @property
    def committed_sha(self) -> str | None:
        return self.deploy_run.committed_sha if self.deploy_run else None

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="deploy-target")
        with Horizontal(id="deploy-options"):
            for name, label in _OPTIONS:
                # "Create" follows the Space's existence; the probe is on, as on the CLI.
                value = self._looks_missing() if name == "create" else name == "probe"
                box = Checkbox(label, value, id=f"opt-{name}")
                if name == "probe":
                    box.tooltip = (
                        "After RUNNING, ask the app itself: the deploy succeeds only if it answers"
                    )
                yield box
            yield Button("Deploy (D)", variant="primary", compact=True, id="deploy-start")
        yield Static(id="deploy-settings")
        yield Static(id="deploy-stage")  # "Ready" once a folder is linked (describe_target)
        with VerticalScroll(id="deploy-review"):
            yield Static(id="deploy-review-text")
        with Horizontal(id="deploy-confirm"):
            yield Button("Confirm (y)", variant="success", compact=True, id="deploy-yes")
            yield Button("Cancel (n)", variant="error", compact=True, id="deploy-no")
        yield DeployProgress(id="deploy-progress")
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
        self.post_message(SaveRequested(Path(event.path), event.text))

    def on_mount(self) -> None:
        # The target, the settings and the "Ready" line summarise spacetui.yaml's entry for the
        # Space: redraw them when a saved edit replaces it (`f` links a folder while shown).
        self.spaces_app.config_changed.subscribe(self, lambda _: self._follow_config())
        self.describe_target()
        deploys = self.spaces_app.deploys
        run = deploys.watch(self.space_id, self)
        if run is not None and self._about_another_folder(run):
            # Finished with a folder linked no longer (relinked from the list): not this one's.
            deploys.forget(self.space_id, run)
            run = None
        if run is not None:
            # Started from an earlier Space screen (running or done): show it whole, then follow.
            self._replay(run)
            if run.running:
                return
        deploys.probe_existence(self.space_id)

    def on_unmount(self) -> None:
        self.spaces_app.deploys.unwatch(self.space_id, self)

    def _replay(self, run: DeployRun) -> None:
        """Show what `run` did so far, as if this pane had seen every event."""
        self.deploy_run = run
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

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")

    def on_show(self) -> None:
        # The Space screen switches panes without moving focus; the pane's keys need it.
        self.describe_target()
        self.call_after_refresh(self._focus_default)

    def on_hide(self) -> None:
        # Another pane is shown: keys must reach the Space screen, not this hidden pane.
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            self.screen.set_focus(None)

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
        self.spaces_app.deploys.forget(self.space_id, run)
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
        self._upload_cut_short = False
        self._app_url = None
        self.query_one("#deploy-log", LogView).clear()
        self.query_one("#deploy-result", Static).update("")
        self.remove_class("-reviewing", "-uploading")

    def describe_target(self) -> None:
        folder = self.linked_folder()
        target = self.query_one("#deploy-target", Static)
        if folder is None:
            target.update(
                Text(
                    f"No local folder is linked to {self.space_id}: press F to link one "
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
            errors = self._known_check_errors(folder)
            if errors:
                # Not "Ready": the deploy would stop at the checks' errors.
                ready = Text(
                    f"The checks found {counted(errors, 'error')} in this folder: D stops at "
                    "them (fix them, or tick 'Force past check errors').",
                    style="yellow",
                )
            self._stage(ready)
        secrets, variables = self.setting_names()
        self.query_one("#deploy-settings", Static).update(
            settings_text(secrets, variables, os.environ)
        )

    def _known_check_errors(self, folder: Path | None) -> int:
        """Errors the Space screen's checks pane found in `folder` (0 when it has not run)."""
        from tui.ui.widgets.checks_pane import ChecksPane

        if folder is None or not self.is_attached:
            return 0
        for pane in self.screen.query(ChecksPane):
            if pane.space_id == self.space_id and pane.report is not None and pane.folder == folder:
                return len(pane.report.errors)
        return 0

    @on(ExistenceKnown)
    def default_create(self, event: ExistenceKnown) -> None:
        if not self.running:
            self.query_one("#opt-create", Checkbox).value = not event.exists

    def _flags(self) -> DeployFlags:
        values = {name: self.query_one(f"#opt-{name}", Checkbox).value for name, _ in _OPTIONS}
        return DeployFlags(**values)

    def _deletes(self) -> bool:
        return bool(self.deploy_run and self.deploy_run.delete)

    # ---- what the user asks for ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An inapplicable key falls through to the Space screen
        # and leaves the footer.
        if not self.display:
            return False
        if action == "answer":
            return self._reviewing
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
                f"Link a folder to {self.space_id} first (press F).", severity="warning"
            )
            return
        self.post_message(DeployRequested(self.space_id, folder, self._flags()))

    def action_answer(self, yes: bool) -> None:
        if not self._reviewing:
            raise SkipAction()
        self._answer(yes)

    @on(Button.Pressed, "#deploy-yes")
    def confirm_pressed(self) -> None:
        self._answer(True)

    @on(Button.Pressed, "#deploy-no")
    def decline_pressed(self) -> None:
        self._answer(False)

    def _answer(self, yes: bool) -> None:
        if self._reviewing:
            self.post_message(ReviewAnswered(self.space_id, yes))
            if yes:
                self._stage(Text("Confirmed: starting the upload …"))
        self._end_review()

    def _end_review(self) -> None:
        self._reviewing = False
        self.remove_class("-reviewing")
        self.refresh_bindings()
        # The review's buttons just hid; a hidden button keeping focus sends every key
        # past the build log to the Space screen (`e` opened its secrets, `/` did nothing).
        self.call_after_refresh(self._refocus)

    def action_cancel_deploy(self) -> None:
        if not self.running:
            raise SkipAction()
        if self._reviewing:
            self._answer(False)
            return
        self._stage(Text("Cancelling …", style="yellow"))
        self.post_message(DeployCancelRequested(self.space_id))

    # ---- what the controller reports ------------------------------------------------------

    def _stage(self, text: Text) -> None:
        self.query_one("#deploy-stage", Static).update(text)

    @on(DeployStarted)
    def show_start(self, message: DeployStarted) -> None:
        self.deploy_run = message.run
        self._clear_shown_deploy()
        self.query_one("#deploy-start", Button).disabled = True
        if message.run.rollback_to:
            self._stage(Text(f"Rolling back to {message.run.rollback_to[:7]}: committing …"))
        else:
            # Not "Checking" yet: the controller may first ask for values (`DeployValueAsked`).
            self._stage(Text(f"A deploy of {self.space_id} is starting …"))
        self.refresh_bindings()

    @on(DeployValueAsked)
    def show_value_asked(self, message: DeployValueAsked) -> None:
        self._stage(value_asked_line(message.name, secret=message.secret))

    @on(DeployEngineStarted)
    def show_engine_start(self) -> None:
        self._stage(Text("Checking the folder and comparing it with the Space …"))

    @on(DeployReviewRequested)
    def show_review(self, message: DeployReviewRequested) -> None:
        self._reviewing = True
        self.query_one("#deploy-review-text", Static).update(
            review_text(message.plan, message.findings, delete=self._deletes())
        )
        self.add_class("-reviewing")
        self.refresh_bindings()
        self._stage(Text("Review the changes: y to deploy, n to stop.", style="bold"))
        self.call_after_refresh(self._focus_default)

    @on(DeployProgressed)
    def show_event(self, message: DeployProgressed) -> None:
        self._show(message.event)

    @on(DeployFinished)
    def show_finish(self, message: DeployFinished) -> None:
        self._show(message.result)

    def _show(self, event: DeployEvent) -> None:
        shown = cast("AnyDeployEvent", event)
        match shown:
            case ChecksDone():
                self._findings = shown.findings
                self._stage(checks_line(shown))
            case PlanReady():
                self.query_one("#deploy-review-text", Static).update(
                    review_text(shown.plan, self._findings, delete=self._deletes())
                )
                self._stage(Text(f"To send: {counted(len(shown.plan.to_upload), 'file')}."))
            case SpaceCreated():
                self._stage(created_line(shown))
            case SettingsApplied():
                self._stage(settings_line(shown))
            case UploadPhase():
                line = phase_line(shown)
                if line is not None:
                    self._stage(line)
            case UploadProgress():
                self._show_upload(shown)
            case Committed():
                self._stage(commit_line(shown))
            case BuildLogLine():
                self._show_log_line(shown)
            case BuildLogLines():
                self._show_log_lines(shown)
            case StageReached():
                self._stage(stage_line(shown, self._since_commit()))
            case FollowWaiting():
                self._stage(waiting_line(shown))
            case ProbeStarted():
                self._app_url = shown.url
                self._stage(probe_line(shown))
            case DeployResult():
                self._show_result(shown)
            case _:
                assert_never(shown)

    def _since_commit(self) -> float | None:
        """Seconds since the deploy's commit landed, on the controller's clock (None before)."""
        run = self.deploy_run
        if run is None or run.committed_at is None:
            return None
        return max(0.0, self.spaces_app.deploys.clock() - run.committed_at)

    def _show_upload(self, event: UploadProgress) -> None:
        if self.result is not None:
            return  # a late slice of an upload that already ended (cancelled): keep the result
        self._upload_cut_short = event.bytes_done < event.bytes_total
        self.add_class("-uploading")
        average = self.deploy_run.upload_average if self.deploy_run else None
        self.query_one(DeployProgress).show(event, average)
        self._stage(Text("Uploading …"))

    def _log_event(self, index: int, event: BuildLogLine) -> LogEvent:
        return LogEvent(
            index=index,
            timestamp=event.timestamp,
            data=event.text,
            space_id=self.space_id,
            kind="run" if event.log == "run" else "build",
        )

    def _show_log_line(self, event: BuildLogLine) -> None:
        self._show_log_lines(BuildLogLines((event,)))

    def _show_log_lines(self, event: BuildLogLines) -> None:
        first = self._log_index + 1
        lines = [self._log_event(index, line) for index, line in enumerate(event.lines, first)]
        self._log_index += len(lines)
        self.query_one("#deploy-log", LogView).append_batch(lines)
        if first == 1 and lines:
            self._refocus()  # the build streams: its log is what the keys are for now

    def _show_result(self, event: DeployResult) -> None:
        self.result = event
        self._reviewing = False
        self.remove_class("-reviewing")
        if self._upload_cut_short:
            # Bars stopped half way with a speed and ETA that no longer mean anything.
            self.remove_class("-uploading")
        shown = result_text(event)
        if event.ok and event.outcome == "running":
            # Where to see it: the app's own URL when the deploy asked the app, else its page.
            endpoint = self.spaces_app.target.endpoint.rstrip("/")
            url = self._app_url or f"{endpoint}/spaces/{self.space_id}"
            shown.append("\nOpen it: ", style="bold")
            shown.append(clean(url))
            shown.append("  (o opens it in the browser, y copies the URL)", style="dim")
        self.query_one("#deploy-result", Static).update(shown)
        self._stage(
            finished_line(event, self.deploy_run.build_seconds if self.deploy_run else None)
        )
        self.query_one("#deploy-start", Button).disabled = False
        self.refresh_bindings()
        self.call_after_refresh(self._refocus)
