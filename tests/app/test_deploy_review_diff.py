"""The app's review shows the plan's call-outs, missing secrets and diffs, as plain styled text."""

from __future__ import annotations

from pathlib import Path

from tui.domain.deploy.needed_env import NeededName
from tui.domain.deploy.plan import PlannedFile, UploadPlan
from tui.domain.deploy.plan_review import FileDiff, PlanReview
from tui.ui.widgets.deploy_text import review_text


def test_review_text_shows_diff_callouts_and_missing_secrets() -> None:
    review = PlanReview(
        callouts=(
            "sdk changes: gradio → docker (README.md front matter; the Space rebuilds with it)",
        ),
        diffs=(
            FileDiff(
                "app.py",
                "text",
                10,
                9,
                None,
                "blob 1234",
                (
                    "--- a/app.py (Space abc1234)",
                    "+++ b/app.py (local)",
                    "@@ -1 +1 @@",
                    "-print('[bold]old')",
                    "+print('new')",
                ),
            ),
        ),
        missing=(NeededName("OPENAI_API_KEY", "app.py", 2, optional=False),),
    )
    plan = UploadPlan(
        space_id="alice/app",
        head_sha="abc1234",
        files=(PlannedFile("app.py", Path("app.py"), 10, "changed", 9),),
        remote_only=(),
        space_exists=True,
        review=review,
    )
    text = review_text(plan, (), delete=False)
    lines = text.plain.splitlines()
    assert (
        lines[1]
        == "  ! sdk changes: gradio → docker (README.md front matter; the Space rebuilds with it)"
    )
    assert "    -print('[bold]old')" in lines  # remote markup stays literal
    assert any(
        "reads OPENAI_API_KEY, which the Space does not set: add it in Secrets/vars" in line
        for line in lines
    )
    styles = {text.plain[s.start : s.end].strip(): str(s.style) for s in text.spans}
    assert styles["+print('new')"] == "green"
    assert styles["-print('[bold]old')"] == "red"


async def test_the_app_s_review_shows_the_diff_of_a_changed_file(
    emulator, tmp_path: Path, alice_api
) -> None:  # noqa: ANN001 - the shared emulator fixtures
    from huggingface_hub import CommitOperationAdd
    from textual.widgets import Static

    from tests.app.conftest import wait_for
    from tests.helpers.deploy_pane import flat, make_app, open_deploy, scaffold

    folder = scaffold(tmp_path)
    alice_api.create_repo("alice/app", repo_type="space", space_sdk="docker")
    alice_api.create_commit(
        "alice/app",
        operations=[CommitOperationAdd("notes.py", b"print('on the space')\n")],
        commit_message="the Space's version",
        repo_type="space",
    )
    (folder / "notes.py").write_text("print('in the folder')\n")
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_deploy(app, pilot)
        await pilot.press("D")
        await wait_for(pilot, lambda: "Review the changes" in flat(app))
        assert "--- a/notes.py (Space" in flat(app) and "+++ b/notes.py (local)" in flat(app)
        # The rest of the diff is further down the scrolling review: read the widget's text.
        lines = app.screen.query_one("#deploy-review-text", Static).render().plain.splitlines()
        assert "    -print('on the space')" in lines
        assert "    +print('in the folder')" in lines
        await pilot.press("n")
    assert len(emulator.state.get_space("alice/app").commits) == 2  # nothing committed by the app
