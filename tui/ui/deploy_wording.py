"""A deploy's result in the app's words: remedies name the pane's toggles, not CLI flags."""

from __future__ import annotations

from typing import assert_never

from tui.domain.deploy.events import DeployResult, Remedy
from tui.domain.plan_gate import PlanRefusal


def app_remedy(remedy: Remedy) -> str:
    """What the user can do in the app (follows the reason's text, punctuation included)."""
    match remedy:
        case Remedy.CREATE:
            return "; tick 'Create if missing' to create it."
        case Remedy.FORCE:
            return ": fix them, or tick 'Force past check errors' to deploy anyway."
        case Remedy.ALLOW_SECRET:
            # No toggle publishes a flagged file: only the command line can, one path at a time.
            return (
                ": remove them, add them to .hfignore, or deploy from the command line with "
                "--allow-secret PATH for each file you really mean to publish."
            )
        case Remedy.RESTART:
            return (
                ": fix the folder and deploy again, or restart the Space to try the same "
                "revision again."
            )
        case Remedy.PROBE:
            return "; read its run log (press l on the Space screen), or untick 'Probe app' to skip it."
        case _:
            assert_never(remedy)


def app_hardware(flavor: str | None) -> str:
    """How the app chooses hardware (the Space screen's `h`), in a plan refusal's ways out."""
    return f"hardware {flavor}: h on the Space screen" if flavor else "its default hardware"


def app_refusal(refusal: PlanRefusal) -> str:
    """A plan gate refusal in the app's words (the create dialog and the deploy pane)."""
    return refusal.worded(app_hardware)


def app_message(result: DeployResult) -> str:
    """The result's whole message as the app says it."""
    if result.outcome == "cancelled" and result.sha:
        # A cancel after the commit stops following the build; the commit itself stays.
        return (
            f"Stopped following the build; commit {result.sha[:7]} "
            "is on the Space and keeps building."
        )
    if result.refusal is not None:
        return app_refusal(result.refusal)
    return result.worded(app_remedy)
