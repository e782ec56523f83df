"""A deploy's result in the app's words: remedies name the pane's toggles, not CLI flags."""

from __future__ import annotations

import re
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
    message = result.worded(app_remedy)
    if result.outcome in ("plan_refused", "probe_failed"):
        # Their sentences are the domain's, written with the CLI's flags: say the app's ways out.
        return app_words(message)
    return message


#: (CLI words, app words) in the plan gate's and the health probe's sentences
#: (tui/domain/plan_gate.py, tui/domain/deploy/probe.py); a test proves no flag is left.
_APP_WORDS = (
    (r"or pass --no-probe to skip this check", "or untick 'Probe app' to skip it"),
    (r"\(`spacetui logs [^`]*`\)", "(press l on the Space screen)"),
    (r"\(no --hardware\)", "(its default hardware)"),
    (r"\(--hardware zero-a10g,", "(hardware zero-a10g: h on the Space screen,"),
)


def app_words(message: str) -> str:
    """A plan gate or probe sentence in the app's words (the create dialog shows them too)."""
    for cli, app in _APP_WORDS:
        message = re.sub(cli, app, message)
    return message
