"""Issue 14, points 1, 4, 8, 9, 12: a deploy uploads exactly what was scanned, over loopback HTTP."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from tui.domain.checks.engine import run_checks
from tui.domain.errors import UsageError
from tui.domain.upload_set import (
    OUTSIDE_REASON,
    SPECIAL_REASON,
    SYSTEM_REASON,
    collect_upload_set,
)

pytestmark = pytest.mark.asyncio

# Random-looking, real-format, never a real credential.
TOKEN = "hf_" + "ZqWnTrKvLpXsMdJbHcFyGuEoIaRtPwQmVk"


def _remote(emulator, space_id: str = "alice/app") -> dict[str, bytes]:
    space = emulator.state.get_space(space_id)
    return {} if space is None else {p: b.data for p, b in space.files().items()}


async def test_a_link_to_proc_environ_is_never_uploaded(
    emulator, deploy, space_folder: Path
) -> None:
    # /proc files stat as 0 bytes and read as the process's environment (HF_TOKEN included).
    (space_folder / "build-info.txt").symlink_to("/proc/self/environ")
    result = await deploy(space_folder, create=True, follow=False)
    assert result.ok, result.message
    remote = _remote(emulator)
    assert "build-info.txt" not in remote
    environ = Path("/proc/self/environ").read_bytes()
    assert environ and not any(environ in data for data in remote.values())
    reasons = {e.path: e.reason for e in collect_upload_set(space_folder).excluded}
    assert reasons["build-info.txt"] == SYSTEM_REASON


async def test_a_link_leaving_the_folder_is_judged_by_its_target(
    emulator, deploy, space_folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "netrc"
    outside.write_text(f"machine hf password {TOKEN}\n")
    (space_folder / "notes.txt").symlink_to(outside)
    inside = space_folder / "data.txt"
    inside.write_text("kept\n")
    (space_folder / "alias.txt").symlink_to(inside)  # a link inside the folder is still a copy
    result = await deploy(space_folder, create=True, follow=False)
    assert result.ok, result.message
    remote = _remote(emulator)
    assert "notes.txt" not in remote and remote["alias.txt"] == b"kept\n"
    assert all(TOKEN.encode() not in data for data in remote.values())
    reasons = {e.path: e.reason for e in collect_upload_set(space_folder).excluded}
    assert reasons["notes.txt"] == OUTSIDE_REASON


async def test_a_file_edited_at_the_prompt_is_refused_by_name(
    emulator, deploy, space_folder: Path
) -> None:
    app = space_folder / "app.py"
    original = app.read_bytes()

    async def edit_then_confirm(plan, findings) -> bool:  # noqa: ANN001
        app.write_bytes(original + f'TOKEN = "{TOKEN}"\n'.encode())
        return True

    result = await deploy(space_folder, create=True, follow=False, confirm=edit_then_confirm)
    assert not result.ok and result.outcome == "error"
    assert "app.py changed since it was scanned" in result.message
    assert TOKEN not in result.message
    assert emulator.state.get_space("alice/app") is None  # nothing created, nothing sent


async def test_a_file_deleted_at_the_prompt_stops_before_the_space_is_created(
    emulator, deploy, space_folder: Path
) -> None:
    async def delete_then_confirm(plan, findings) -> bool:  # noqa: ANN001
        (space_folder / "app.py").unlink()
        return True

    result = await deploy(space_folder, create=True, follow=False, confirm=delete_then_confirm)
    assert result.outcome == "error" and "app.py was deleted" in result.message
    assert emulator.state.get_space("alice/app") is None


async def test_a_file_swapped_after_the_scan_on_an_existing_space(
    emulator, deploy, space_folder: Path
) -> None:
    first = await deploy(space_folder, create=True, follow=False)
    assert first.ok
    head = emulator.state.get_space("alice/app").head
    before = _remote(emulator)
    (space_folder / "app.py").write_text("print('v2')\n")

    async def swap(plan, findings) -> bool:  # noqa: ANN001
        (space_folder / "app.py").write_text(f"print('v2')\nT = '{TOKEN}'\n")
        return True

    result = await deploy(space_folder, follow=False, confirm=swap)
    assert result.outcome == "error" and "app.py changed" in result.message
    assert _remote(emulator) == before
    assert emulator.state.get_space("alice/app").head == head


@pytest.mark.parametrize(
    "name", ["evil\nok: Uploaded 0 files.py", "car\rriage.py", "back\\slash.py"]
)
async def test_names_that_could_fake_review_lines_are_refused_before_anything(
    emulator, deploy, space_folder: Path, name: str
) -> None:
    (space_folder / name).write_text("x = 1\n")
    with pytest.raises(UsageError) as caught:
        await deploy(space_folder, create=True, follow=False)
    message = caught.value.message
    assert "\n" not in message and "\r" not in message
    assert "rename it, or add it to .hfignore" in message
    assert not deploy.of("plan")  # refused before the review could print a line
    assert emulator.state.get_space("alice/app") is None


async def test_a_name_that_is_not_utf8_is_refused_before_anything(
    emulator, deploy, space_folder: Path
) -> None:
    try:
        fd = os.open(os.fsencode(space_folder) + b"/caf\xe9.py", os.O_CREAT | os.O_WRONLY)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    os.close(fd)
    with pytest.raises(UsageError, match="not UTF-8"):
        await deploy(space_folder, create=True, follow=False)
    assert emulator.state.get_space("alice/app") is None


def _finishes(func, *args: object) -> object:  # noqa: ANN001
    """Run `func` in a thread; a hang fails the test instead of hanging the suite."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(func(*args)), daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert box, f"{func.__name__} did not finish"
    return box[0]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
async def test_readme_as_fifo_or_dev_zero_is_bounded(space_folder: Path, kind: str) -> None:
    readme = space_folder / "README.md"
    readme.unlink()
    if kind == "fifo":
        os.mkfifo(readme)
    else:
        readme.symlink_to("/dev/zero")
    upload_set = _finishes(collect_upload_set, space_folder)
    assert "README.md" not in upload_set
    reason = {e.path: e.reason for e in upload_set.excluded}["README.md"]
    assert reason == (SPECIAL_REASON if kind == "fifo" else SYSTEM_REASON)
    report = _finishes(run_checks, space_folder)
    assert report.findings  # the checks ran to the end (a missing README is reported)


async def test_a_fifo_deploy_ends_in_one_sentence(emulator, deploy, space_folder: Path) -> None:
    os.mkfifo(space_folder / "pipe.txt")
    result = await deploy(space_folder, create=True, follow=False)
    assert result.ok, result.message
    assert "pipe.txt" not in _remote(emulator)


async def test_stat_size_zero_is_never_trusted(space_folder: Path) -> None:
    upload_set = collect_upload_set(space_folder)
    for upload in upload_set.files:
        data = upload.local_path.read_bytes()
        assert upload.size == len(data)
        assert upload.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("place", ["notebook >1 MB", "UTF-16 BOM", "pickle", "SQLite", "early NUL"])
async def test_secrets_the_old_scan_missed_block_the_deploy(
    emulator, deploy, space_folder: Path, place: str
) -> None:
    import random

    from tests.domain.secret_samples import HIDING_PLACES

    rng = random.Random(place)
    name, data = HIDING_PLACES[place](f'HF = "{TOKEN}"', rng)
    (space_folder / name).write_bytes(data)
    result = await deploy(space_folder, create=True, follow=False)
    assert result.outcome == "blocked" and "SECRET002" in result.check_ids, result.message
    said = result.worded(lambda remedy: "")  # the message with every reason, remedies aside
    assert name in said and TOKEN not in repr(deploy.events)
    assert emulator.state.get_space("alice/app") is None


async def test_a_remote_name_with_a_newline_cannot_fake_review_lines(
    emulator, deploy, space_folder: Path, alice_api
) -> None:
    from huggingface_hub import CommitOperationAdd

    from tui.domain.deploy.review import review_lines

    await deploy(space_folder, create=True, follow=False)
    evil = "old.txt\n  unchanged: 0 files, not sent. To send: 0 files, 0 B."
    alice_api.create_commit(
        "alice/app",
        [CommitOperationAdd(path_in_repo=evil, path_or_fileobj=b"x")],
        commit_message="evil",
        repo_type="space",
    )
    (space_folder / "app.py").write_text("print('v2')\n")
    plans: list = []

    async def keep(plan, findings) -> bool:  # noqa: ANN001
        plans.append(plan)
        return False

    await deploy(space_folder, confirm=keep)
    lines = review_lines(plans[0], delete=False)
    assert all("\n" not in line for line in lines)
    assert sum(line.lstrip().startswith("unchanged:") for line in lines) == 1
    assert any("old.txt\\n" in line for line in lines)


async def test_an_unreadable_file_stops_the_deploy_before_anything(
    emulator, deploy, space_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = space_folder / "app.py"
    if os.geteuid() != 0:
        app.chmod(0)
    else:
        # Root reads any file: the one thing not real here is the permission error itself.
        from tui.domain import upload_set

        real_open = upload_set.open_regular

        def refusing(path: str) -> int | None:
            if path == str(app):
                raise PermissionError(13, "Permission denied", path)
            return real_open(path)

        monkeypatch.setattr(upload_set, "open_regular", refusing)
    with pytest.raises(UsageError, match=r"^app\.py cannot be read \(permission denied\)"):
        await deploy(space_folder, create=True, follow=False)
    assert emulator.state.get_space("alice/app") is None
