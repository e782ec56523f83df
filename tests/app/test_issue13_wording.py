"""Issue 13 bug 12 in the app's words: a deploy blocked by checks says so, a declined review
says nothing was sent, the proving log lines are not all called errors, and the help screen's
groups line up."""

from __future__ import annotations

from tests.helpers.app import Hub, MakeApp, screen_text, wait_for
from tui.domain.deploy.events import DeployResult
from tui.ui.widgets.deploy_text import result_text, result_title


def test_blocked_and_declined_deploys_are_titled_as_what_they_were() -> None:
    blocked = DeployResult(
        ok=False, outcome="blocked", message="", space_id="a/b", check_ids=("DOCKER012",)
    )
    assert result_title(blocked) == "Deploy blocked by checks"
    assert "Blocked by checks: DOCKER012" in result_text(blocked).plain
    assert "Likely explained" not in result_text(blocked).plain
    declined = DeployResult(
        ok=False,
        outcome="cancelled",
        space_id="a/b",
        message="Deploy not confirmed: nothing was changed.",
        extra={"declined": True},
    )
    assert result_title(declined) == "Deploy declined at the review, nothing sent"


def test_an_info_line_among_the_proving_lines_is_not_shown_as_an_error() -> None:
    failed = DeployResult(
        ok=False,
        outcome="build_failed",
        message="x",
        space_id="a/b",
        error_lines=("INFO:     Uvicorn running on http://127.0.0.1:8000", "ERROR: bind failed"),
    )
    text = result_text(failed)
    assert "First error lines" not in text.plain and "From the log:" in text.plain
    styles = {text.plain[span.start : span.end].strip(): span.style for span in text.spans}
    assert styles["INFO:     Uvicorn running on http://127.0.0.1:8000"] == "dim"
    assert styles["ERROR: bind failed"] == "red"


async def test_the_help_screens_groups_share_their_columns(hub: Hub, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 300)) as pilot:  # tall: every group on screen
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "welcome.demo" in screen_text(app))
        lines = screen_text(app).splitlines()
        demo = next(line for line in lines if "welcome.demo" in line)
        filt = next(line for line in lines if "list.filter" in line)
        assert demo.index("Open the demo") == filt.index("Filter")
        assert demo.index("welcome.demo") == filt.index("list.filter")


async def test_the_help_box_fits_an_80_column_terminal(hub: Hub, make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "spacetui keys" in screen_text(app))
        box = app.screen.query_one("#help-box")
        assert box.region.x >= 0 and box.region.right <= 80
