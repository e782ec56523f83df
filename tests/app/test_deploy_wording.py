"""The app words a deploy's remedies with its own toggles, never the command line's flags."""

from __future__ import annotations

import pytest

from tui.domain.deploy.events import DeployResult, Reason, Remedy
from tui.ui.deploy_wording import app_message, app_remedy


def _result(*reasons: Reason, outcome: str = "blocked", sha: str | None = None) -> DeployResult:
    return DeployResult(
        ok=False, outcome=outcome, message="", space_id="a/b", sha=sha, reasons=reasons
    )


@pytest.mark.parametrize(
    ("remedy", "words"),
    [
        (Remedy.CREATE, "tick 'Create if missing'"),
        (Remedy.FORCE, "tick 'Force past check errors'"),
        (Remedy.ALLOW_SECRET, "deploy from the command line with --allow-secret PATH"),
        (Remedy.RESTART, "restart the Space"),
    ],
)
def test_each_remedy_names_what_the_app_offers(remedy: Remedy, words: str) -> None:
    assert words in app_remedy(remedy)


def test_no_remedy_says_pass_a_flag_in_the_app() -> None:
    assert all("pass --" not in app_remedy(remedy) for remedy in Remedy)


def test_reasons_are_worded_in_order_after_the_message() -> None:
    result = _result(
        Reason("Possible secrets in .env", Remedy.ALLOW_SECRET),
        Reason("The checks found 1 error, which stop the deploy", Remedy.FORCE),
    )
    message = app_message(result)
    assert message.startswith("Possible secrets in .env: remove them")
    assert message.endswith("tick 'Force past check errors' to deploy anyway.")


def test_a_cancel_after_the_commit_says_the_commit_stays() -> None:
    message = app_message(_result(outcome="cancelled", sha="abcdef1234"))
    assert message == (
        "Stopped following the build; commit abcdef1 is on the Space and keeps building."
    )
