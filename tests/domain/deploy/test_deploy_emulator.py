"""Deploys against the emulator over loopback, verified with the real huggingface_hub client."""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from huggingface_hub import HfApi, hf_hub_download

from tests.domain.deploy.conftest import ALICE_TOKEN, DeployRun
from tests.helpers.hub import ALICE, TEST_SPEED
from tui.domain.deploy.events import Remedy, UploadProgress
from tui.domain.upload_set import collect_upload_set
from tui.emulator.clock import ManualClock
from tui.emulator.faults import MAX_LATENCY
from tui.emulator.server import serve_emulator

pytestmark = pytest.mark.asyncio


def _remote_files(api: HfApi, space_id: str) -> dict[str, bytes]:
    paths = [
        f.path
        for f in api.list_repo_tree(space_id, repo_type="space", recursive=True)
        if hasattr(f, "blob_id")
    ]
    out = {}
    # A scratch cache: a test never writes into the user's Hugging Face cache.
    with tempfile.TemporaryDirectory() as cache:
        for path in paths:
            local = hf_hub_download(
                space_id,
                path,
                repo_type="space",
                endpoint=api.endpoint,
                token=api.token,
                cache_dir=cache,
            )
            out[path] = Path(local).read_bytes()
    return out


def _commits(emulator, space_id: str) -> int:
    return len(emulator.state.get_space(space_id).commits)


async def test_the_follow_sees_the_build_before_running(space_folder: Path) -> None:
    # The emulator's time moves only when the deploy waits between two polls (10 s of Hub time
    # each): the first poll after the commit sees the build, however loaded the machine is.
    clock = ManualClock(time.time())

    async def hub_time_passes(seconds: float) -> None:
        clock.advance(10.0)
        await asyncio.sleep(0)

    with serve_emulator(users={ALICE: ALICE_TOKEN}, clock=clock, speed=TEST_SPEED) as emulator:
        deploy = DeployRun(emulator.url)
        result = await deploy(space_folder, create=True, sleep=hub_time_passes)
        alice_api = HfApi(endpoint=emulator.url, token=ALICE_TOKEN)

        assert result.ok and result.outcome == "running", result.message
        assert result.stage == "RUNNING"
        kinds = [e.kind for e in deploy.events]
        assert kinds[:5] == ["checks", "plan", "create", "phase", "upload"]
        assert [e.phase for e in deploy.of("phase")] == ["preparing", "committing"]
        assert deploy.of("create")[0].private is True
        stages = [e.stage for e in deploy.of("stage")]
        assert stages[0] in ("BUILDING", "RUNNING_BUILDING") and stages[-1] == "RUNNING"
        assert alice_api.space_info("alice/app").private


async def test_first_deploy_creates_the_space_and_reaches_running(
    emulator, deploy, space_folder: Path, alice_api: HfApi
) -> None:
    (space_folder / "notes.log").write_text("local only\n")
    (space_folder / ".env").write_text("API_KEY=not-for-the-hub\n")  # the scaffold ignores it
    result = await deploy(space_folder, create=True)

    assert result.ok and result.outcome == "running", result.message
    assert [e.stage for e in deploy.of("stage")][-1] == "RUNNING"  # the first: test above
    assert any("--> RUN" in line.text for e in deploy.of("log_lines") for line in e.lines)

    # The Space holds exactly the upload set, byte for byte.
    expected = {f.path: f.local_path.read_bytes() for f in collect_upload_set(space_folder).files}
    remote = _remote_files(alice_api, "alice/app")
    remote.pop(".gitattributes", None)
    assert remote == expected
    assert "notes.log" not in remote and ".env" not in remote
    info = alice_api.space_info("alice/app")
    assert info.private and info.sdk == "docker"


async def test_unchanged_redeploy_makes_no_commit(emulator, deploy, space_folder: Path) -> None:
    await deploy(space_folder, create=True, follow=False)
    commits = _commits(emulator, "alice/app")
    result = await deploy(space_folder)
    assert result.ok and result.outcome == "unchanged"
    assert _commits(emulator, "alice/app") == commits
    assert not deploy.of("upload")


async def test_restart_when_nothing_changed(emulator, deploy, space_folder: Path) -> None:
    await deploy(space_folder, create=True)
    # Slow runtime answers keep the deploy following long enough to receive run log lines.
    emulator.faults.set(route="/runtime", latency=0.3)
    result = await deploy(space_folder, restart=True)
    assert result.outcome == "running"
    assert "APP_STARTING" in [e.stage for e in deploy.of("stage")]


async def test_one_changed_file_among_a_thousand_sends_one_file(
    emulator, deploy, space_folder: Path
) -> None:
    data = space_folder / "data"
    data.mkdir()
    for i in range(1000):
        (data / f"f{i:04}.txt").write_text(f"row {i}\n")
    first = await deploy(space_folder, create=True, follow=False)
    assert first.ok
    (data / "f0500.txt").write_text("row 500, edited\n")
    result = await deploy(space_folder, follow=False)

    assert result.ok and result.outcome == "uploaded"
    plan = deploy.of("plan")[0].plan
    assert [f.path for f in plan.to_upload] == ["data/f0500.txt"]
    assert len(plan.unchanged) == 1004
    last = deploy.of("upload")[-1]
    assert (last.files_total, last.bytes_total) == (1, len("row 500, edited\n"))
    space = emulator.state.get_space("alice/app")
    assert space.files()["data/f0500.txt"].data == b"row 500, edited\n"


async def test_secrets_block_even_with_force_unless_allowed(
    emulator, deploy, space_folder: Path, alice_api: HfApi
) -> None:
    token = "hf_" + "ZpQwLmRtXvNbKsJdHgFyUcEoIaWqTzMkVr"
    (space_folder / "settings.py").write_text(f'TOKEN = "{token}"\n')
    blocked = await deploy(space_folder, create=True, force=True)
    assert blocked.outcome == "blocked" and not blocked.ok
    assert "SECRET002" in blocked.check_ids
    assert token not in repr(deploy.events)
    assert emulator.state.get_space("alice/app") is None  # nothing created, nothing sent

    allowed = await deploy(
        space_folder, create=True, follow=False, allow_secrets=frozenset({"settings.py"})
    )
    assert allowed.ok
    assert "settings.py" in emulator.state.get_space("alice/app").files()


async def test_check_errors_stop_the_deploy_and_force_proceeds(
    emulator, deploy, space_folder: Path
) -> None:
    dockerfile = space_folder / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.12-slim\n"
        "RUN pip install uv && uv pip install fastapi uvicorn\n"
        "COPY . /app\nWORKDIR /app\n"
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
    )
    blocked = await deploy(space_folder, create=True)
    assert blocked.outcome == "blocked"
    assert emulator.state.get_space("alice/app") is None

    result = await deploy(space_folder, create=True, force=True, timeout=60)
    assert result.outcome == "build_failed" and result.forced
    assert result.stage == "BUILD_ERROR"
    assert any("No virtual environment found" in line for line in result.error_lines)
    assert result.check_ids  # the catalogue ids that explain it


async def test_remote_only_files_are_deleted_only_with_delete(
    emulator, deploy, space_folder: Path
) -> None:
    extra = space_folder / "old.txt"
    extra.write_text("old\n")
    await deploy(space_folder, create=True, follow=False)
    extra.unlink()
    kept = await deploy(space_folder, follow=False)
    assert kept.outcome == "unchanged"
    assert [r.path for r in deploy.of("plan")[0].plan.remote_only] == ["old.txt"]
    assert "old.txt" in emulator.state.get_space("alice/app").files()

    removed = await deploy(space_folder, follow=False, delete=True)
    assert removed.ok
    assert "old.txt" not in emulator.state.get_space("alice/app").files()


async def test_secrets_and_variables_are_set_before_the_upload(
    emulator, deploy, space_folder: Path
) -> None:
    order: list[str] = []

    def spy(event) -> None:  # noqa: ANN001
        space = emulator.state.get_space("alice/app")
        if event.kind == "commit":
            order.append("secret" if space and "API_KEY" in space.secrets else "no-secret")

    result = await deploy(
        space_folder,
        create=True,
        follow=False,
        on_event=spy,
        secrets={"API_KEY": "s3cr3t-value"},
        variables={"MODE": "prod"},
    )
    assert result.ok
    assert order == ["secret"]
    space = emulator.state.get_space("alice/app")
    assert space.variables["MODE"]["value"] == "prod"
    settings = deploy.of("settings")[0]
    assert settings.secrets == ("API_KEY",)
    assert "s3cr3t-value" not in repr(deploy.events)


async def test_missing_space_without_create_is_refused(deploy, space_folder: Path) -> None:
    result = await deploy(space_folder, "alice/nope")
    assert result.outcome == "error"
    assert [r.remedy for r in result.reasons] == [Remedy.CREATE]
    assert "alice/nope does not exist" in result.reasons[0].text


async def test_declined_review_changes_nothing(emulator, deploy, space_folder: Path) -> None:
    async def decline(plan, findings) -> bool:  # noqa: ANN001
        return False

    result = await deploy(space_folder, create=True, confirm=decline)
    assert result.outcome == "cancelled"
    assert emulator.state.get_space("alice/app") is None


#: 12 MiB sent inline (the emulator answers `regular`): a 16 MB commit body, more than the
#: loopback socket buffers hold, so the upload is still under way while the server stalls.
BIG = bytes(range(256)) * 48 * 1024


async def _stalled_redeploy_setup(
    emulator, deploy, space_folder: Path
) -> tuple[str, int, set[threading.Thread]]:
    (space_folder / "big.bin").write_bytes(BIG)
    await deploy(space_folder, create=True, follow=False)
    (space_folder / "big.bin").write_bytes(BIG[::-1])
    # The Hub stalls before reading the next commit, until the test releases it: the client is
    # caught mid-body.
    emulator.faults.set(route="/commit/", latency=MAX_LATENCY, count=1)
    space = emulator.state.get_space("alice/app")
    # Upload threads already running are earlier tests': only the ones started later are awaited.
    return space.head, _commits(emulator, "alice/app"), set(_upload_threads())


async def _blocked_in_a_send(thread: threading.Thread) -> None:
    """Wait until `thread` sits in one socket write for 0.3 s (the Hub holds the request and
    reads nothing, so it cannot finish): from there it reads no cancel flag until the Hub lets
    go. (A thread that merely paused in a write would read the flag soon after: the test could
    then pass on code that ignores a blocked thread, never fail on code that handles it.)"""
    seen, same = None, 0
    for _ in range(3000):
        frame = sys._current_frames().get(thread.ident or -1)
        in_send = frame is not None and frame.f_code.co_name in ("write", "send", "sendall")
        now = (id(frame), frame.f_lineno) if in_send and frame is not None else None
        same = same + 1 if now is not None and now == seen else 0
        if same >= 30:
            return
        seen = now
        await asyncio.sleep(0.01)
    raise AssertionError(f"{thread.name} never blocked in a send")


def _upload_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "spacetui-deploy"]


async def _past_the_stall(emulator, before: set[threading.Thread]) -> None:  # noqa: ANN001
    """End the Hub's stall once it holds the commit request, then wait until every upload thread
    has ended and the request is answered or dropped: a commit that was going to land has."""
    # The body had started, so its headers reached the Hub, which holds the request; the client
    # is stuck sending the rest (more than the socket buffers hold) until it is released.
    assert await asyncio.to_thread(emulator.faults.wait_caught, 1, 30)
    uploads = [t for t in _upload_threads() if t not in before]
    emulator.faults.release()
    for thread in uploads:
        await asyncio.to_thread(thread.join, 30)
        assert not thread.is_alive()
    assert await asyncio.to_thread(emulator.faults.wait_settled, 30)


async def test_cancel_mid_upload_leaves_no_commit_and_a_rerun_completes(
    emulator, deploy, space_folder: Path
) -> None:
    head, commits, before = await _stalled_redeploy_setup(emulator, deploy, space_folder)

    def cancel_on_first_progress(event) -> None:  # noqa: ANN001
        if isinstance(event, UploadProgress) and event.bytes_done < event.bytes_total:
            deploy.deployer.cancel.cancel()

    result = await deploy(space_folder, follow=False, on_event=cancel_on_first_progress)
    assert result.outcome == "cancelled" and "nothing was committed" in result.message.lower()
    await _past_the_stall(emulator, before)
    space = emulator.state.get_space("alice/app")
    assert (space.head, _commits(emulator, "alice/app")) == (head, commits)

    again = await deploy(space_folder, follow=False)
    assert again.ok and again.outcome == "uploaded"
    assert emulator.state.get_space("alice/app").files()["big.bin"].data == BIG[::-1]


async def test_a_cancel_asked_while_the_upload_is_blocked_stops_the_deploy_at_once(
    emulator, deploy, space_folder: Path
) -> None:
    # The app's Cancel key and the CLI's Ctrl+C set the deploy's cancel flag; the upload thread
    # reads it between slices, but it is stuck in a send while the Hub holds the commit request.
    # The deploy must still end at once, saying nothing was committed, not when the Hub lets go.
    head, commits, before = await _stalled_redeploy_setup(emulator, deploy, space_folder)
    deploy.events.clear()
    task = asyncio.create_task(deploy(space_folder, follow=False))
    assert await asyncio.to_thread(emulator.faults.wait_caught, 1, 30)
    (upload,) = [t for t in _upload_threads() if t not in before]
    await _blocked_in_a_send(upload)
    deploy.deployer.cancel.cancel()  # the flag only: no task cancellation
    done, _ = await asyncio.wait({task}, timeout=30)
    assert done, "the deploy waited for a blocked upload thread after the cancel"
    result = task.result()
    assert result.outcome == "cancelled" and "nothing was committed" in result.message.lower()
    await _past_the_stall(emulator, before)
    space = emulator.state.get_space("alice/app")
    assert (space.head, _commits(emulator, "alice/app")) == (head, commits)


async def test_cancelling_the_task_mid_upload_makes_no_commit(
    emulator, deploy, space_folder: Path
) -> None:
    head, commits, before = await _stalled_redeploy_setup(emulator, deploy, space_folder)
    deploy.events.clear()  # wait for this deploy's upload, not the setup's
    task = asyncio.create_task(deploy(space_folder, follow=False))
    # Mid-upload: the Hub holds the commit request while the client is still sending its body.
    assert await asyncio.to_thread(emulator.faults.wait_caught, 1, 30)
    task.cancel()
    result = await task
    assert result.outcome == "cancelled" and "nothing was committed" in result.message.lower()
    await _past_the_stall(emulator, before)
    space = emulator.state.get_space("alice/app")
    assert (space.head, _commits(emulator, "alice/app")) == (head, commits)


async def test_the_abandoned_upload_s_failure_is_not_left_unretrieved(
    emulator, deploy, space_folder: Path
) -> None:
    """The cancelled deploy stops waiting for its upload thread, which then fails on its next
    slice. That failure was left in a future nobody read: at garbage collection asyncio logged
    "Future exception was never retrieved" with a traceback, and Python 3.11 formatting it
    inside another `compile()` (the collector runs anywhere) raised "SystemError: AST
    constructor recursion depth mismatch" there."""
    reported: list[str] = []
    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: reported.append(context["message"])
    )
    _, _, before = await _stalled_redeploy_setup(emulator, deploy, space_folder)
    task = asyncio.create_task(deploy(space_folder, follow=False))
    assert await asyncio.to_thread(emulator.faults.wait_caught, 1, 30)
    task.cancel()
    assert (await task).outcome == "cancelled"
    await _past_the_stall(emulator, before)
    await asyncio.sleep(0)  # the thread's failure reaches the future on the loop
    del task
    gc.collect()
    assert not [m for m in reported if "never retrieved" in m]


async def test_plain_lfs_upload_reports_bytes_per_file(
    emulator, deploy, space_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_DISABLE_XET", True)
    emulator.state.lfs_uploads = True
    weights = space_folder / "weights.bin"
    weights.write_bytes(b"\x00\x01" * (6 * 1024 * 1024))  # 12 MiB, binary: LFS, multipart
    result = await deploy(space_folder, create=True, follow=False)
    assert result.ok, result.message

    progress = [e for e in deploy.of("upload") if e.path == "weights.bin"]
    assert any(0 < e.file_bytes < e.file_total for e in progress)  # byte-level, not one jump
    assert progress[-1].file_bytes == progress[-1].file_total == weights.stat().st_size
    blob = emulator.state.get_space("alice/app").files()["weights.bin"]
    assert blob.lfs and blob.data == weights.read_bytes()


async def test_the_spaces_own_gitignore_leaves_files_out_of_the_plan(
    emulator, deploy, space_folder: Path
) -> None:
    await deploy(space_folder, create=True, follow=False)
    emulator.state.commit("alice/app", {".gitignore": b"*.csv\n"})
    (space_folder / "data.csv").write_text("a,b\n")
    (space_folder / "notes.txt").write_text("kept\n")
    result = await deploy(space_folder, follow=False)

    assert result.ok
    plan = deploy.of("plan")[0].plan
    assert [f.path for f in plan.added] == ["notes.txt"]  # the Hub would skip data.csv silently
    files = emulator.state.get_space("alice/app").files()
    assert "notes.txt" in files and "data.csv" not in files


async def test_unchanged_redeploy_of_a_broken_space_is_not_a_success(
    emulator, deploy, space_folder: Path
) -> None:
    (space_folder / "Dockerfile").write_text(
        "FROM python:3.12-slim\nRUN pip install uv && uv pip install fastapi\n"
        'CMD ["python", "-m", "http.server", "7860"]\n'
    )
    failed = await deploy(space_folder, create=True, force=True, timeout=60)
    assert failed.stage == "BUILD_ERROR"
    again = await deploy(space_folder, force=True)
    assert again.outcome == "unchanged" and not again.ok
    assert again.stage == "BUILD_ERROR" and [r.remedy for r in again.reasons] == [Remedy.RESTART]


async def test_restart_follows_the_new_run_without_repeating_stages(
    emulator, deploy, space_folder: Path
) -> None:
    await deploy(space_folder, create=True)
    # Slow runtime answers keep the deploy following long enough to receive run log lines.
    emulator.faults.set(route="/runtime", latency=0.3)
    result = await deploy(space_folder, restart=True)
    assert result.outcome == "running"
    stages = [e.stage for e in deploy.of("stage")]
    assert stages[0] == "APP_STARTING" and stages[-1] == "RUNNING"
    assert all(a != b for a, b in zip(stages, stages[1:], strict=False))  # one event per change
    logs = [line for e in deploy.of("log_lines") for line in e.lines]
    assert logs and all(e.log == "run" for e in logs)  # the new run, never the old build


async def test_cancel_while_following_says_the_commit_landed(
    emulator, deploy, space_folder: Path
) -> None:
    task = asyncio.create_task(deploy(space_folder, create=True, timeout=60))
    while not deploy.of("commit"):
        await asyncio.sleep(0.01)
    task.cancel()
    result = await task
    assert result.outcome == "cancelled"
    assert result.sha == deploy.of("commit")[0].sha
    assert (
        "is on the Space" in result.message
        and "nothing was committed" not in result.message.lower()
    )


async def test_events_arrive_in_order_on_the_event_loop(
    emulator, deploy, space_folder: Path
) -> None:
    import threading

    loop_thread = threading.get_ident()
    threads: set[int] = set()
    await deploy(
        space_folder,
        create=True,
        follow=False,
        on_event=lambda event: threads.add(threading.get_ident()),
    )
    assert threads == {loop_thread}  # the app may touch widgets from any event
    kinds = [e.kind for e in deploy.events]
    assert kinds.index("commit") > max(i for i, k in enumerate(kinds) if k == "upload")
    last = deploy.of("upload")[-1]
    assert last.bytes_done == last.bytes_total
