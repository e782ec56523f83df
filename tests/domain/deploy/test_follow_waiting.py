"""The follow says why it waits: each wait it spends on a 429/5xx after the commit is a
`FollowWaiting` event, printed as one line by the CLI (at most every 2 s in CI mode) and shown on
the app's stage line. Faults come from the emulator (a budget of `count` requests), time from an
injected clock: no test waits the real backoff."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given

from tests.domain.deploy.conftest import DeployRun
from tests.domain.deploy.test_after_commit import FakeTime  # waits recorded, never spent
from tests.test_hostile_output import SETTINGS, assert_clean, assert_no_markup_effects, hostile
from tui.commands.ci_output import CiRenderer
from tui.commands.deploy_render import HumanRenderer, JsonRenderer
from tui.domain.deploy.engine import Deployer
from tui.domain.deploy.events import (
    DeployEvent,
    DeployResult,
    FollowWaiting,
    ProbeOutcome,
    Reason,
    Remedy,
)
from tui.domain.deploy.options import DeployOptions
from tui.domain.hub import HubClient
from tui.emulator.server import RunningEmulator
from tui.ui.widgets.deploy_lines import waiting_line as app_waiting_line
from tui.ui.widgets.deploy_text import result_text

RUNTIME = "/runtime"


async def deploy_with_faults(
    deploy: DeployRun,
    folder: Path,
    emulator: RunningEmulator,
    time: FakeTime,
    *faults: dict[str, object],
    render: list[object] | None = None,
) -> tuple[DeployResult, list[DeployEvent]]:
    """Deploy; the moment the commit lands, the Space's runtime answers `faults` in turn."""
    events: list[DeployEvent] = []

    def emit(event: DeployEvent) -> None:
        events.append(event)
        for renderer in render or ():
            renderer(event)  # type: ignore[operator]
        if event.kind == "commit":
            for fault in faults:
                emulator.faults.set(route=RUNTIME, **fault)  # type: ignore[arg-type]

    async with HubClient(deploy.target) as hub:
        deployer = Deployer(
            hub,
            DeployOptions(
                folder=folder, space_id="alice/app", create=True, timeout=600, probe=False
            ),
            emit=emit,
            poll_interval=0.05,
            sleep=time.sleep,
            clock=time.clock,
        )
        return await deployer.run(), events


async def test_each_wait_of_the_follow_is_an_event_with_its_reason_and_length(
    deploy: DeployRun, space_folder: Path, emulator: RunningEmulator
) -> None:
    time = FakeTime()
    result, events = await deploy_with_faults(
        deploy,
        space_folder,
        emulator,
        time,
        # The emulator serves the newest fault first: a 503, then a 429 asking for 7 s.
        {"status": 429, "retry_after": 7, "count": 1},
        {"status": 503, "count": 1},
    )
    assert result.ok and result.outcome == "running", result.message
    waiting = [e for e in events if isinstance(e, FollowWaiting)]
    assert len(waiting) == 2, waiting
    first, second = waiting
    assert "unavailable" in first.reason and "503" in first.reason
    assert first.retry_in_s == 1.0  # the backoff's first step
    assert "The Hub is rate-limiting requests" in second.reason
    assert second.retry_in_s == 7.0  # Retry-After honoured, and said
    # Said before each wait, and exactly the waits that were spent.
    assert [e.retry_in_s for e in waiting] == [w for w in time.waits if w >= 1.0]
    index = {id(e): i for i, e in enumerate(events)}
    commit = next(i for i, e in enumerate(events) if e.kind == "commit")
    assert all(index[id(e)] > commit for e in waiting)
    assert waiting[0].to_json() == {
        "event": "waiting",
        "reason": first.reason,
        "retry_in_s": first.retry_in_s,
    }


async def test_the_cli_prints_one_line_per_wait_and_ci_mode_at_most_every_two_seconds(
    deploy: DeployRun, space_folder: Path, emulator: RunningEmulator
) -> None:
    time = FakeTime()
    human, ci_out, json_out = io.StringIO(), io.StringIO(), io.StringIO()
    plain = HumanRenderer(human, io.StringIO(), tty=False, delete=False)
    ci = CiRenderer(
        HumanRenderer(ci_out, io.StringIO(), tty=False, delete=False), ci_out, clock=time.clock
    )
    # Three 503s in a row: waits of 1, 2 and 4 s on the injected clock.
    result, events = await deploy_with_faults(
        deploy,
        space_folder,
        emulator,
        time,
        {"status": 503, "count": 3},
        render=[plain, ci, JsonRenderer(json_out)],
    )
    assert result.ok, result.message
    waits = [e.retry_in_s for e in events if isinstance(e, FollowWaiting)]
    assert waits == [1.0, 2.0, 4.0]
    lines = [line for line in human.getvalue().splitlines() if line.startswith("waiting:")]
    assert len(lines) == 3
    assert "The Hub is unavailable right now (HTTP 503)" in lines[0]
    assert lines[0].endswith("Asking again in 1 s.") and lines[2].endswith("Asking again in 4 s.")
    # CI: the first wait at t, the second 1 s later (dropped), the third 3 s after the first.
    ci_lines = [line for line in ci_out.getvalue().splitlines() if line.startswith("waiting:")]
    assert [line.rsplit(" in ", 1)[1] for line in ci_lines] == ["1 s.", "4 s."]
    assert json_out.getvalue().count('"event": "waiting"') == 3


@SETTINGS
@given(hostile, hostile)
def test_a_waiting_line_and_a_probe_failure_never_carry_escapes_or_a_token(
    reason: str, seen: str
) -> None:
    """The reason is our sentence, but it may quote the Hub; the probe quotes the app."""
    out, err = io.StringIO(), io.StringIO()
    render = HumanRenderer(out, err, tty=False, delete=False)
    render(FollowWaiting(reason=reason, retry_in_s=3.0))
    probe = ProbeOutcome(False, "https://alice-app.hf.space/", 500, seen, 2, 4.0)
    failed = DeployResult(
        ok=False,
        outcome="probe_failed",
        message="",
        space_id="alice/app",
        reasons=(Reason(probe.reason("alice/app"), Remedy.PROBE),),
        probe=probe,
    )
    render(failed)
    assert_clean(out.getvalue())
    assert_clean(err.getvalue())
    assert_no_markup_effects(app_waiting_line(FollowWaiting(reason=reason, retry_in_s=3.0)))
    assert_no_markup_effects(result_text(failed))
