"""Messages between the deploy controller and the panes that show a deploy.

The controller posts facts (past tense) to each pane watching the Space; a pane posts what the
user asked for (requests), which bubble up to the app and reach the controller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.domain.checks.findings import Finding
    from tui.domain.deploy.events import DeployEvent, DeployResult
    from tui.domain.deploy.plan import UploadPlan
    from tui.ui.deploy_run import DeployRun


# ---- controller -> panes ---------------------------------------------------------------------


@dataclass
class DeployStarted(Message):
    """A deploy of the pane's Space started: the pane shows `run` from now on."""

    run: DeployRun


@dataclass
class DeployProgressed(Message):
    """One event of the running deploy; upload progress replaces older upload progress."""

    event: DeployEvent

    def can_replace(self, message: Message) -> bool:
        from tui.domain.deploy.events import UploadProgress

        return (
            isinstance(message, DeployProgressed)
            and isinstance(self.event, UploadProgress)
            and isinstance(message.event, UploadProgress)
        )


@dataclass
class DeployValueAsked(Message):
    """The deploy waits for the user: a prompt asks for this secret's or variable's value.

    Only the name travels; the value stays in the prompt and the controller.
    """

    name: str
    secret: bool


@dataclass
class DeployEngineStarted(Message):
    """Every value is in and the engine started: it checks the folder and reads the Space."""


@dataclass
class DeployReviewRequested(Message):
    """The engine waits for a yes or no on this plan."""

    plan: UploadPlan
    findings: tuple[Finding, ...]


@dataclass
class DeployFinished(Message):
    """The deploy ended (the engine's result, or the app's when it could not start or crashed)."""

    result: DeployResult


@dataclass
class ExistenceKnown(Message):
    """Whether the Space exists (decides the default of "create if missing")."""

    exists: bool


# ---- panes -> controller ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeployFlags:
    """The toggles of the pane at the moment the deploy starts."""

    create: bool
    public: bool
    delete: bool
    force: bool
    #: GET the app after RUNNING; the deploy succeeds only if it answers (DeployOptions.probe).
    probe: bool = True


@dataclass
class DeployRequested(Message):
    """The user asked to deploy `folder` to `space_id` with these toggles."""

    space_id: str
    folder: Path
    flags: DeployFlags


@dataclass
class ReviewAnswered(Message):
    """The user answered the review of the deploy of `space_id`."""

    space_id: str
    yes: bool


@dataclass
class DeployCancelRequested(Message):
    """The user asked to cancel the running deploy of `space_id`."""

    space_id: str


@dataclass
class SaveRequested(Message):
    """The user asked to save `text` (a build log) to `path`."""

    path: Path
    text: str
