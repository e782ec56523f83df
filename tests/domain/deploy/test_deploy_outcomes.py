"""What a deploy says it did: restarts, deletions, blocks, the Hub refusing the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import HfApi

from tui.domain.deploy.events import Remedy

pytestmark = pytest.mark.asyncio

TOKEN = "hf_" + "ZpQwLmRtXvNbKsJdHgFyUcEoIaWqTzMkVr"


async def test_a_restart_with_nothing_changed_says_restarted_not_uploaded(
    deploy, space_folder: Path
) -> None:
    first = await deploy(space_folder, create=True, follow=False)
    again = await deploy(space_folder, follow=False, restart=True)
    assert again.ok and again.outcome == "restarted"
    assert again.message.startswith("Nothing changed (no commit made); restarted alice/app at")
    assert again.sha == first.sha and again.stage is not None


async def test_a_delete_only_deploy_says_what_it_deleted(
    deploy, space_folder: Path, alice_api: HfApi
) -> None:
    (space_folder / "old.txt").write_text("old\n")
    await deploy(space_folder, create=True, follow=False)
    (space_folder / "old.txt").unlink()
    result = await deploy(space_folder, follow=False, delete=True)
    assert result.ok and result.outcome == "uploaded"
    assert result.message.startswith("Deleted 1 file from alice/app at")
    (space_folder / "new.txt").write_text("new\n")
    (space_folder / "app.py").write_text((space_folder / "app.py").read_text() + "\n# edit\n")
    first = await deploy(space_folder, follow=False)
    assert first.message.startswith("Uploaded 2 files to alice/app at")


async def test_a_block_names_the_secrets_and_the_check_errors_together(
    deploy, space_folder: Path, emulator
) -> None:
    (space_folder / "settings.py").write_text(f'TOKEN = "{TOKEN}"\n')
    readme = space_folder / "README.md"
    readme.write_text(readme.read_text().replace("colorTo: green", "colorTo: orange"))
    blocked = await deploy(space_folder, create=True)
    assert blocked.outcome == "blocked"
    # Reasons with remedies as data: the CLI and the app word the remedy each their own way.
    assert [(r.text, r.remedy) for r in blocked.reasons] == [
        ("Possible secrets in settings.py", Remedy.ALLOW_SECRET),
        ("The checks found 1 error, which stop the deploy", Remedy.FORCE),
    ]
    assert {"SECRET002", "README007"} <= set(blocked.check_ids)
    assert TOKEN not in blocked.worded(lambda remedy: remedy.value)
    assert emulator.state.get_space("alice/app") is None


async def test_the_hub_refusing_the_readme_is_a_typed_error_that_says_the_space_is_empty(
    deploy, space_folder: Path, emulator
) -> None:
    # Forced past the local README errors, the commit meets the Hub's own validation.
    readme = space_folder / "README.md"
    readme.write_text(readme.read_text().replace("colorTo: green", "colorTo: orange"))
    result = await deploy(space_folder, create=True, force=True, follow=False)
    assert result.outcome == "error" and not result.ok
    assert result.message.startswith("The Hub refused the front matter of README.md:")
    assert '"colorTo" must be one of' in result.message
    assert "ValueError" not in result.message and "Unexpected" not in result.message
    assert "alice/app was created by this deploy and has no files yet." in result.message
    assert emulator.state.get_space("alice/app") is not None


async def test_a_failure_names_only_the_checks_that_fired(deploy, space_folder: Path) -> None:
    # No front matter: the checks report README001 only; the failure's catalogue also lists
    # README002/003, which did not fire and must not be offered as the explanation.
    readme = space_folder / "README.md"
    readme.write_text("# App\n\nNo front matter here.\n")
    result = await deploy(space_folder, create=True, force=True, timeout=60)
    assert result.outcome == "build_failed" and result.stage == "CONFIG_ERROR"
    fired = {f.id for f in deploy.of("checks")[0].findings}
    assert result.check_ids and set(result.check_ids) <= fired


async def test_a_cancel_after_the_last_slice_says_the_commit_landed(
    deploy, space_folder: Path, emulator
) -> None:
    import asyncio

    emulator.faults.set(route="/commit/", latency=0.5)  # the Hub takes a while to apply it
    task = asyncio.create_task(deploy(space_folder, create=True, follow=False))
    while not [e for e in deploy.of("phase") if e.phase == "committing"]:
        await asyncio.sleep(0.01)
    task.cancel()  # Ctrl+C: past the point of no return
    result = await task
    phases = [e.phase for e in deploy.of("phase")]
    assert phases == ["preparing", "committing", "too_late"]
    assert result.outcome == "cancelled" and result.sha == deploy.of("commit")[0].sha
    assert result.message.startswith("Too late to cancel")
    assert emulator.state.get_space("alice/app").head == result.sha
