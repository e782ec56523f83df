"""The app's review shows the plan's call-outs, missing secrets and diffs, as plain styled text."""

from __future__ import annotations

from pathlib import Path

from tui.domain.deploy.needed_env import NeededName
from tui.domain.deploy.plan import PlannedFile, UploadPlan
from tui.domain.deploy.plan_review import FileDiff, PlanReview
from tui.ui.widgets.deploy_text import review_text


def test_review_text_shows_diff_callouts_and_missing_secrets() -> None:
    review = PlanReview(
        callouts=("sdk changes: gradio → docker (README.md front matter; the Space rebuilds with it)",),
        diffs=(
            FileDiff(
                "app.py", "text", 10, 9, None, "blob 1234",
                ("--- a/app.py (Space abc1234)", "+++ b/app.py (local)", "@@ -1 +1 @@",
                 "-print('[bold]old')", "+print('new')"),
            ),
        ),
        missing=(NeededName("OPENAI_API_KEY", "app.py", 2, optional=False),),
    )  # fmt: skip
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
    assert lines[1] == "  ! sdk changes: gradio → docker (README.md front matter; the Space rebuilds with it)"
    assert "    -print('[bold]old')" in lines  # remote markup stays literal
    assert any("reads OPENAI_API_KEY, which the Space does not set: add it in Secrets/vars" in line
               for line in lines)  # fmt: skip
    styles = {text.plain[s.start : s.end].strip(): str(s.style) for s in text.spans}
    assert styles["+print('new')"] == "green"
    assert styles["-print('[bold]old')"] == "red"
