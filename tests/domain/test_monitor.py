"""SpaceMonitor against the emulator over loopback: request economy, ordered changes, faults, intervals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.helpers.hub import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN, TEST_SPEED
from tests.helpers.monitor import (
    FAST,
    SLOW,
    CountingTransport,
    FakeTime,
    make_space,
    monitor_for,
    run_until_stable,
)
from tui.domain.auth import HubTarget
from tui.domain.hub import HubClient
from tui.domain.models import Stage
from tui.domain.monitor import MonitorUpdate, SpaceMonitor, StageChanged
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator, serve_emulator


@pytest.fixture
def manual_emulator() -> Iterator[RunningEmulator]:
    """An emulator whose clock only moves when the test advances it."""
    with serve_emulator(
        users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN}, speed=TEST_SPEED, clock=ManualClock()
    ) as emu:
        yield emu


@pytest.fixture
def transport() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def hub(
    manual_emulator: RunningEmulator, transport: CountingTransport
) -> AsyncIterator[HubClient]:
    async with HubClient(
        HubTarget(manual_emulator.url, ALICE_TOKEN), transport=transport
    ) as client:
        yield client


async def test_one_listing_per_author_not_one_request_per_space(
    manual_emulator: RunningEmulator,
    hub: HubClient,
    transport: CountingTransport,
    fake_time: FakeTime,
) -> None:
    for number in range(25):
        make_space(manual_emulator, f"alice/app-{number}")
    for name in ("a", "b"):
        make_space(manual_emulator, f"bob/{name}")
    make_space(manual_emulator, "bob/solo")
    monitor = monitor_for(hub, fake_time, authors=["alice"], space_ids=["alice/app-3", "bob/solo"])

    for _ in range(2):
        update = await monitor.refresh()
        assert transport.take() == ["/api/spaces/bob/solo", "/api/spaces?author=alice"]
    assert set(update.statuses) == {f"alice/app-{n}" for n in range(25)} | {"bob/solo"}
    assert update.stale == {}


async def test_explicit_ids_crowding_a_namespace_share_one_listing(
    manual_emulator: RunningEmulator,
    hub: HubClient,
    transport: CountingTransport,
    fake_time: FakeTime,
) -> None:
    for name in ("a", "b", "c", "d"):
        make_space(manual_emulator, f"bob/{name}")
    make_space(manual_emulator, "alice/x")
    make_space(manual_emulator, "alice/y")
    ids = ["bob/a", "bob/b", "bob/c", "alice/x", "alice/y"]
    update = await monitor_for(hub, fake_time, space_ids=ids, batch_threshold=3).refresh()
    assert transport.take() == [
        "/api/spaces/alice/x",
        "/api/spaces/alice/y",
        "/api/spaces?author=bob",
    ]
    assert sorted(update.statuses) == sorted(ids)  # bob/d was listed but is not watched


async def test_a_listing_longer_than_the_ids_is_cut_off_then_left_to_single_fetches(
    manual_emulator: RunningEmulator,
    hub: HubClient,
    transport: CountingTransport,
    fake_time: FakeTime,
) -> None:
    manual_emulator.state.page_size = 2
    for name in "abcdefg":  # 4 pages of 2: more than the 3 ids would cost one by one
        make_space(manual_emulator, f"bob/{name}")
    ids = ["bob/a", "bob/b", "bob/g"]
    monitor = monitor_for(hub, fake_time, space_ids=ids, batch_threshold=3)
    first = await monitor.refresh()
    # 2 pages (one fewer than the 3 ids) answer bob/a and bob/b; bob/g, beyond them, alone.
    assert transport.take() == [
        "/api/spaces/bob/g",
        "/api/spaces?author=bob",
        "/api/spaces?author=bob",
    ]
    second = await monitor.refresh()
    assert transport.take() == ["/api/spaces/bob/a", "/api/spaces/bob/b", "/api/spaces/bob/g"]
    assert list(first.statuses) == list(second.statuses) == ids
    assert first.stale == second.stale == {}


async def test_stage_changes_arrive_in_order(
    manual_emulator: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    make_space(manual_emulator, "alice/app")
    run_until_stable(manual_emulator)
    monitor = monitor_for(hub, fake_time, space_ids=["alice/app"])
    changes: list[StageChanged] = []

    first = await monitor.refresh()
    assert [(c.old, c.new.stage) for c in first.changes] == [(None, Stage.RUNNING)]
    changes += first.changes
    assert (await monitor.refresh()).changes == ()  # nothing moved, nothing reported

    await hub.pause("alice/app")
    changes += (await monitor.refresh()).changes
    await hub.restart("alice/app")
    for _ in range(1000):  # small steps of emulator time, so no stage can be skipped over
        fake_time.now += 1
        update = await monitor.refresh()
        changes += update.changes
        if update.statuses["alice/app"].stage is Stage.RUNNING:
            break
        manual_emulator.clock.advance(0.05)  # type: ignore[attr-defined]

    stages = [c.new.stage for c in changes]
    assert stages == [
        Stage.RUNNING,
        Stage.PAUSED,
        Stage.BUILDING,
        Stage.APP_STARTING,
        Stage.RUNNING,
    ]
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.old == before.new  # a chain: nothing lost, nothing repeated
        assert after.at >= before.at


async def test_interval_is_fast_while_transitional_and_slow_when_stable(
    manual_emulator: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    make_space(manual_emulator, "alice/app")
    run_until_stable(manual_emulator)
    monitor = monitor_for(hub, fake_time, space_ids=["alice/app"])
    assert (await monitor.refresh()).next_refresh_in == SLOW
    restarted = await hub.restart("alice/app")
    update = await monitor.refresh()
    assert update.statuses["alice/app"].stage.is_transitional, restarted
    assert update.next_refresh_in == FAST
    run_until_stable(manual_emulator)
    assert (await monitor.refresh()).next_refresh_in == SLOW


async def test_rate_limit_waits_what_the_hub_says_and_keeps_last_status(
    manual_emulator: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    make_space(manual_emulator, "alice/app")
    monitor = monitor_for(hub, fake_time, authors=["alice"])
    good = await monitor.refresh()
    manual_emulator.faults.set(status=429, retry_after=7, count=1, route="/api/spaces")

    updates: list[MonitorUpdate] = []
    async for update in monitor.updates():
        updates.append(update)
        if len(updates) == 2:
            break

    limited, recovered = updates
    assert limited.statuses == good.statuses
    assert "rate-limiting" in limited.stale["alice/app"] and "7 s" in limited.stale["alice/app"]
    assert limited.next_refresh_in == 7.0
    assert fake_time.slept == [7.0]
    assert recovered.stale == {} and recovered.next_refresh_in == SLOW


async def test_outage_marks_stale_backs_off_then_recovers(
    manual_emulator: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    make_space(manual_emulator, "alice/app")
    make_space(manual_emulator, "bob/other")
    # The whole quota for the monitor: 2 requests a round then ask only 0.6 s between rounds,
    # below the first back-off step this test is about.
    monitor = monitor_for(hub, fake_time, space_ids=["alice/app", "bob/other"], quota_share=1.0)
    good = await monitor.refresh()
    manual_emulator.faults.set(space_id="alice/app", status=503, count=3)

    outages = [await monitor.refresh() for _ in range(3)]
    recovered = await monitor.refresh()

    for outage in outages:
        assert outage.statuses == good.statuses  # the last good state is kept
        assert set(outage.stale) == {"alice/app"}
        assert "unavailable" in outage.stale["alice/app"]
    assert [o.next_refresh_in for o in outages] == [1.0, 2.0, 4.0]
    assert recovered.stale == {} and recovered.next_refresh_in == SLOW


async def test_network_down_keeps_everything_stale(fake_time: FakeTime) -> None:
    with serve_emulator(
        users={ALICE: ALICE_TOKEN}, speed=TEST_SPEED, clock=ManualClock()
    ) as emulator:
        make_space(emulator, "alice/app")
        hub = HubClient(HubTarget(emulator.url, ALICE_TOKEN))
        monitor = monitor_for(hub, fake_time, authors=["alice"])
        good = await monitor.refresh()
    # The emulator is gone: the port refuses connections now.
    update = await monitor.refresh()
    await hub.aclose()
    assert update.statuses == good.statuses
    assert "Cannot reach the Hub" in update.stale["alice/app"]
    assert update.author_errors == {"alice": update.stale["alice/app"]}
    assert update.next_refresh_in == 1.0


async def test_missing_space_is_stale_with_a_reason_without_slowing_the_rest(
    manual_emulator: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    make_space(manual_emulator, "alice/app")
    update = await monitor_for(hub, fake_time, space_ids=["alice/app", "alice/gone"]).refresh()
    assert set(update.statuses) == {"alice/app"}
    assert update.stale == {
        "alice/gone": "Space alice/gone was not found, or it is private and your token cannot see it."
    }
    assert update.next_refresh_in == SLOW


async def test_watch_unwatch_and_deleted_spaces(
    manual_emulator: RunningEmulator,
    hub: HubClient,
    transport: CountingTransport,
    fake_time: FakeTime,
) -> None:
    make_space(manual_emulator, "alice/one")
    make_space(manual_emulator, "alice/two")
    make_space(manual_emulator, "bob/b")
    monitor = monitor_for(hub, fake_time, authors=["alice"])
    assert set((await monitor.refresh()).statuses) == {"alice/one", "alice/two"}

    monitor.watch(space_ids=["bob/b"])
    assert set((await monitor.refresh()).statuses) == {"alice/one", "alice/two", "bob/b"}

    manual_emulator.state.delete_space("alice/two")
    monitor.unwatch(space_ids=["bob/b"])
    transport.take()
    assert set((await monitor.refresh()).statuses) == {"alice/one"}
    assert transport.take() == ["/api/spaces?author=alice"]


async def test_wake_cuts_the_wait_short(manual_emulator: RunningEmulator, hub: HubClient) -> None:
    make_space(manual_emulator, "alice/app")
    forever = asyncio.Event()
    waiting = asyncio.Event()

    async def never_ending_sleep(seconds: float) -> None:
        waiting.set()
        await forever.wait()

    monitor = SpaceMonitor(hub, space_ids=["alice/app"], sleep=never_ending_sleep)
    stream = monitor.updates()
    await anext(stream)
    second = asyncio.ensure_future(anext(stream))
    # The monitor is inside its wait between rounds (a signal, not a pause in real time).
    await asyncio.wait_for(waiting.wait(), timeout=5)
    assert not second.done()
    monitor.wake()
    update = await asyncio.wait_for(second, timeout=5)
    assert "alice/app" in update.statuses
    await stream.aclose()
