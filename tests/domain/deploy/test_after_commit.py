"""After the commit landed, faults never change what the deploy says happened (issue 14 points 5, 6)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.domain.deploy.engine import Deployer
from tui.domain.deploy.events import DeployEvent, DeployResult
from tui.domain.deploy.options import DeployOptions
from tui.domain.hub import HubClient

from .conftest import DeployRun

RUNTIME = "/runtime"


class FakeTime:
    """A clock that only moves when the deploy sleeps: waits are recorded, never spent."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0.005)  # let the emulator's build move on (it runs in real time)


async def _deploy(
    deploy: DeployRun, folder: Path, time: FakeTime, on_commit, **options: object
) -> tuple[DeployResult, list[DeployEvent]]:
    events: list[DeployEvent] = []

    def emit(event: DeployEvent) -> None:
        events.append(event)
        if event.kind == "commit":
            on_commit()

    async with HubClient(deploy.target) as hub:
        deployer = Deployer(
            hub,
            DeployOptions(folder=folder, space_id="alice/app", create=True, **options),  # type: ignore[arg-type]
            emit=emit,
            poll_interval=0.05,
            sleep=time.sleep,
            clock=time.clock,
        )
        return await deployer.run(), events


async def test_a_429_during_the_follow_is_waited_out_as_the_hub_asks(
    deploy: DeployRun, space_folder: Path, emulator
) -> None:
    time = FakeTime()

    def faults() -> None:
        emulator.faults.set(route=RUNTIME, status=503, count=1)
        emulator.faults.set(route=RUNTIME, status=429, retry_after=7, count=1)

    result, events = await _deploy(deploy, space_folder, time, faults, timeout=600, probe=False)
    assert result.outcome == "running", result.message
    assert result.ok and result.sha == emulator.state.get_space("alice/app").head
    assert any(wait >= 7 for wait in time.waits), time.waits  # Retry-After honoured


async def test_a_hub_down_after_the_commit_says_which_commit_is_on_the_space(
    deploy: DeployRun, space_folder: Path, emulator
) -> None:
    time = FakeTime()
    result, events = await _deploy(
        deploy,
        space_folder,
        time,
        lambda: emulator.faults.set(route=RUNTIME, status=503),
        timeout=120,
        probe=False,
    )
    head = emulator.state.get_space("alice/app").head
    assert result.outcome == "timeout" and not result.ok
    assert result.sha == head and f"Commit {head[:7]} is on alice/app" in result.message
    assert "unavailable" in result.message
    # Bounded backoff: the waits grow, but none goes past the cap, and the deadline holds.
    assert max(time.waits) <= 30 and sum(time.waits) <= 120 + 1


async def test_any_error_after_the_commit_says_the_commit_is_on_the_space(
    deploy: DeployRun, space_folder: Path, emulator
) -> None:
    time = FakeTime()
    result, events = await _deploy(
        deploy,
        space_folder,
        time,
        lambda: emulator.faults.set(route=RUNTIME, status=400),  # not one to wait out
        timeout=120,
        probe=False,
    )
    head = emulator.state.get_space("alice/app").head
    assert result.outcome == "error" and result.sha == head
    assert result.message.endswith(f"Commit {head[:7]} is on alice/app; its build goes on.")


async def test_a_hard_stop_without_the_commit_answer_reads_the_space_head(
    deploy: DeployRun, space_folder: Path, emulator
) -> None:
    from huggingface_hub import HfApi

    from tui.domain.deploy.interrupted import CommitWatch, after_hard_stop

    await deploy(space_folder, create=True, follow=False)
    head = emulator.state.get_space("alice/app").head
    api = HfApi(endpoint=emulator.url, token=deploy.target.token)

    def said(parent: str, *, committing: bool = True) -> str:
        watch = CommitWatch(parent=parent)
        return after_hard_stop(api, "alice/app", watch, committing=committing, answer_wait=0)

    assert said("0" * 40) == (
        f"Too late to cancel: the commit reached the Hub; alice/app is now at {head[:7]}."
    )
    assert said(head).startswith(f"The commit was sent but alice/app was still at {head[:7]}")
    assert said(head, committing=False) == "Nothing was committed."


async def test_a_second_cancel_while_the_commit_lands_names_the_commit(
    deploy: DeployRun, space_folder: Path, emulator
) -> None:
    emulator.faults.set(route="/commit/", latency=1.0)  # the Hub takes a while to apply it
    task = asyncio.create_task(deploy(space_folder, create=True, follow=False))

    async def phase(name: str) -> None:
        while not [e for e in deploy.of("phase") if e.phase == name]:
            await asyncio.sleep(0.01)

    await phase("committing")
    task.cancel()  # past the point of no return: "too late"
    await phase("too_late")
    task.cancel()  # the app's second cancel: the old answer was "Nothing was committed."
    result = await task
    head = emulator.state.get_space("alice/app").head
    assert result.outcome == "cancelled" and result.sha == head
    assert (
        result.message
        == f"Too late to cancel: commit {head[:7]} is on alice/app; its build goes on."
    )
