"""Issue 12 points 5 and 6: the review's diff against the Space, and the secrets the code needs.

Every Space here lives in the emulator, reached over loopback by the real huggingface_hub client;
the remote side of a diff is written with that client too (a hostile Space's own bytes).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from tui.domain.deploy.events import PlanReady
from tui.domain.deploy.plan import UploadPlan
from tui.domain.deploy.review import review_lines
from tui.domain.sanitize import is_safe

pytestmark = pytest.mark.asyncio

REMOTE_TOKEN = "hf_" + "QzWnTrKvLpXsMdJbHcFyGuEoIaRtPwQmVk"
LOCAL_KEY = "sk-proj-" + "Zq3WnTrKvLp_XsMdJbHcFyGu" * 3


async def _never(plan, findings) -> bool:  # noqa: ANN001 - the Confirm shape
    return False  # stop at the review: nothing is created or uploaded


def _plan(deploy) -> UploadPlan:  # noqa: ANN001 - the DeployRun fixture
    (event,) = deploy.of("plan")
    assert isinstance(event, PlanReady)
    return event.plan


def _push(api: HfApi, files: dict[str, bytes]) -> str:
    info = api.create_commit(
        "alice/app",
        operations=[CommitOperationAdd(p, data) for p, data in files.items()],
        commit_message="the Space's own bytes",
        repo_type="space",
    )
    return str(info.oid)


async def test_diff_shows_changed_text_and_sanitises_the_remote_side(
    deploy, space_folder: Path, alice_api: HfApi
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    hostile = "print('old')\n# \x1b]0;pwned\x07 \x1b[2J token " + REMOTE_TOKEN + "\n"
    head = _push(alice_api, {"notes.py": hostile.encode()})
    (space_folder / "notes.py").write_text("print('new')\n# plain\n")

    await deploy(space_folder, diff=True, confirm=_never)
    plan = _plan(deploy)
    (diff,) = plan.review.diffs
    assert diff.path == "notes.py" and diff.kind == "text"
    assert f"--- a/notes.py (Space {head[:7]})" in diff.lines
    assert "-print('old')" in diff.lines and "+print('new')" in diff.lines
    text = "\n".join(diff.lines)
    assert REMOTE_TOKEN not in text and "***" in text
    assert all(is_safe(line) and "\x1b" not in line for line in diff.lines)
    (escaped,) = [line for line in diff.lines if line.startswith("-# ")]
    assert escaped.endswith("  (control characters removed)")
    review = review_lines(plan, delete=False)
    assert "  diff of the changed files (1):" in review
    assert "    +print('new')" in review


async def test_without_diff_the_review_has_no_diff(
    deploy, space_folder: Path, alice_api: HfApi
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    (space_folder / "app.py").write_text("print('changed')\n")
    await deploy(space_folder, confirm=_never)
    assert _plan(deploy).review.diffs == ()


async def test_binary_and_large_files_by_size_and_hash(
    deploy, space_folder: Path, alice_api: HfApi
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    _push(alice_api, {"logo.bin": b"\x00\x01old", "big.txt": b"a\n" * 200_000})
    (space_folder / "logo.bin").write_bytes(b"\x00\x02new!")
    (space_folder / "big.txt").write_bytes(b"b\n" * 200_001)

    await deploy(space_folder, diff=True, confirm=_never)
    diffs = {d.path: d for d in _plan(deploy).review.diffs}
    assert diffs["logo.bin"].kind == "binary"
    assert diffs["logo.bin"].sha256 == hashlib.sha256(b"\x00\x02new!").hexdigest()
    assert diffs["logo.bin"].remote_size == 5 and diffs["logo.bin"].lines == ()
    assert diffs["big.txt"].kind == "large" and diffs["big.txt"].size == 400_002
    assert diffs["big.txt"].remote_id  # the Space's own id of its version (blob or sha256)
    shown = "\n".join(review_lines(_plan(deploy), delete=False))
    assert "~ logo.bin  binary, 6 B (was 5 B), sha256 " in shown


async def test_an_app_port_change_is_called_out_first_without_diff(
    deploy, space_folder: Path
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    readme = space_folder / "README.md"
    original = readme.read_text()
    readme.write_text(original.replace("app_port: 7860", 'app_port: "7860"') + "\nMore words.\n")
    await deploy(space_folder, confirm=_never)
    assert _plan(deploy).review.callouts == ()  # the same port, only written differently

    readme.write_text(original.replace("app_port: 7860", "app_port: 8080"))
    dockerfile = space_folder / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("7860", "8080"))

    await deploy(space_folder, confirm=_never, force=True)
    plan = _plan(deploy)
    assert plan.review.callouts == (
        "app_port changes: 7860 → 8080 (README.md front matter; the Space rebuilds with it)",
    )
    assert review_lines(plan, delete=False)[1].startswith("  ! app_port changes: 7860 → 8080")


async def test_missing_secrets_are_warned_and_provided_ones_are_not(
    deploy, space_folder: Path, alice_api: HfApi
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    alice_api.add_space_secret("alice/app", "DB_URL", "postgres://x")
    alice_api.add_space_variable("alice/app", "MODEL", "gpt2")
    (space_folder / "needs.py").write_text(
        "import os\n"
        "key = os.environ['OPENAI_API_KEY']\n"
        "db = os.getenv('DB_URL')\n"
        "model = os.environ.get('MODEL')\n"
        "mode = os.getenv('MODE', 'fast')\n"  # a default: optional
        "space = os.environ['SPACE_ID']\n"  # the Hub sets it
        "flag = os.environ['BAKED']\n"  # the Dockerfile sets it
    )
    dockerfile = space_folder / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "ENV BAKED=1\n")

    await deploy(space_folder, confirm=_never, variables={"OTHER": "1"})
    plan = _plan(deploy)
    assert [(n.name, n.file, n.line) for n in plan.review.missing] == [
        ("OPENAI_API_KEY", "needs.py", 2)
    ]
    assert (
        "  warning: needs.py:2 reads OPENAI_API_KEY, which the Space does not set: "
        "set it with `--secret OPENAI_API_KEY`." in review_lines(plan, delete=False)
    )


async def test_a_token_in_a_public_variable_of_the_space_is_a_warning(
    deploy, space_folder: Path, alice_api: HfApi
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    alice_api.add_space_variable("alice/app", "HF_TOKEN", REMOTE_TOKEN)  # the Hub lets it be
    (space_folder / "app.py").write_text("print('changed')\n")
    await deploy(space_folder, confirm=_never)
    plan = _plan(deploy)
    assert plan.review.warnings == (
        "the Space's public variable HF_TOKEN holds a token-shaped value: delete it and set it "
        "as a secret.",
    )
    shown = "\n".join(review_lines(plan, delete=False))
    assert "  warning: the Space's public variable HF_TOKEN holds" in shown
    assert REMOTE_TOKEN not in shown


async def test_secrets_from_a_file_in_the_folder_set_what_the_code_reads_and_are_not_uploaded(
    emulator, deploy, space_folder: Path, alice_api: HfApi
) -> None:
    (space_folder / "needs.py").write_text("import os\nos.environ['OPENAI_API_KEY']\n")
    env_file = space_folder / "local.env"  # not ignored by the scaffold's .hfignore
    # Real-shaped: were the file scanned as part of the upload, the secret check would stop it.
    env_file.write_text(f"OPENAI_API_KEY={LOCAL_KEY}\nUNUSED=nothing\n")
    from tui.domain.deploy.secrets_file import read_secrets_file

    result = await deploy(
        space_folder,
        create=True,
        probe=False,
        secrets_file=env_file,
        secrets_file_values=read_secrets_file(env_file),
    )
    assert result.ok, result.message
    plan = _plan(deploy)
    assert plan.review.missing == ()
    assert plan.review.secrets_from_file == ("OPENAI_API_KEY",)
    assert "local.env is the --secrets-from file: left out of the upload." in plan.review.notes
    assert "local.env" not in {f.path for f in plan.files}
    assert (
        "not set from the --secrets-from file (the code does not read them): UNUSED."
        in plan.review.notes
    )
    space = emulator.state.get_space("alice/app")
    assert space.secrets["OPENAI_API_KEY"]["value"] == LOCAL_KEY
    assert LOCAL_KEY not in repr(deploy.events)  # names only, in every event
    assert "UNUSED" not in space.secrets
    remote = {f.rfilename for f in alice_api.space_info("alice/app").siblings or ()}
    assert "local.env" not in remote and "needs.py" in remote


async def test_past_the_file_limit_changed_files_are_listed_not_fetched(
    deploy, space_folder: Path, alice_api: HfApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.domain.deploy import review_diff

    assert (await deploy(space_folder, create=True, probe=False)).ok
    _push(alice_api, {"a.txt": b"one\n", "b.txt": b"two\n"})
    (space_folder / "a.txt").write_text("ONE\n")
    (space_folder / "b.txt").write_text("TWO\n")
    monkeypatch.setattr(review_diff, "DIFF_FILE_LIMIT", 1)

    await deploy(space_folder, diff=True, confirm=_never)
    plan = _plan(deploy)
    assert [(d.path, d.kind) for d in plan.review.diffs] == [
        ("a.txt", "text"),
        ("b.txt", "skipped"),
    ]
    assert "    ~ b.txt  not diffed (only the first changed files are)" in review_lines(
        plan, delete=False
    )
