"""A deploy's result in the app's words: remedies name the pane's toggles, not CLI flags."""

from __future__ import annotations

from typing import assert_never

from tui.domain.deploy.events import DeployResult, Remedy


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
        case _:
            assert_never(remedy)


def app_message(result: DeployResult) -> str:
    """The result's whole message as the app says it."""
    if result.outcome == "cancelled" and result.sha:
        # A cancel after the commit stops following the build; the commit itself stays.
        return (
            f"Stopped following the build; commit {result.sha[:7]} "
            "is on the Space and keeps building."
        )
    return result.worded(app_remedy)
