"""Hundreds of explicit ids of one namespace: the monitor lists the namespace, paced by the quota.

Counted on the wire (every request the HubClient sends) and by the emulator's rate limiter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.conftest import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN, TEST_SPEED
from tests.domain.test_monitor import (
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
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator, serve_emulator

SPACES, WATCHED, PAGE = 650, 600, 100  # 7 pages of listing against 600 single requests
QUOTA = 1000  # the Hub's API quota of a free account per 300 s window


@pytest.fixture
def crowded() -> Iterator[RunningEmulator]:
    """bob owns 650 Spaces, listed 100 per page, on a clock only the test moves."""
    with serve_emulator(
        users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN},
        speed=TEST_SPEED,
        clock=ManualClock(start=1_779_999_900.0),  # a window boundary: no reset mid-test
        quota=QUOTA,
    ) as emu:
        emu.state.page_size = PAGE
        for number in range(SPACES):
            emu.state.create_space(f"bob/app-{number:03}", sdk="static")
        yield emu


@pytest.fixture
def transport() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
async def hub(crowded: RunningEmulator, transport: CountingTransport) -> AsyncIterator[HubClient]:
    async with HubClient(HubTarget(crowded.url, ALICE_TOKEN), transport=transport) as client:
        yield client


async def test_600_ids_of_one_namespace_cost_its_7_listing_pages_per_round(
    crowded: RunningEmulator, hub: HubClient, transport: CountingTransport
) -> None:
    ids = [f"bob/app-{number:03}" for number in range(0, SPACES, 13)][:50]
    ids += [f"bob/app-{number:03}" for number in range(SPACES) if number % 13][: WATCHED - 50]
    monitor = monitor_for(hub, FakeTime(), space_ids=ids)
    for _ in range(5):
        update = await monitor.refresh()
        assert transport.take() == ["/api/spaces?author=bob"] * 7
        assert sorted(update.statuses) == sorted(ids) and update.stale == {}
    # The emulator's limiter saw the same 35 requests: the window is far from spent.
    assert hub.quota is not None and hub.quota.remaining == QUOTA - 35
    # 7 requests a round may run every 4.2 s within half the quota; nothing moves: slow pace.
    assert update.next_refresh_in == SLOW


async def test_a_round_that_would_spend_over_half_the_quota_is_spaced_out(
    crowded: RunningEmulator, hub: HubClient, transport: CountingTransport
) -> None:
    crowded.state.page_size = 1  # listing bob now takes 650 pages: 20 single requests are cheaper
    ids = [f"bob/app-{number:03}" for number in range(20)]
    monitor = monitor_for(hub, FakeTime(), space_ids=ids)
    monitor.slow_interval = 5.0
    await monitor.refresh()  # learns the listing is too long (cut off after 19 pages)
    transport.take()
    update = await monitor.refresh()
    assert len(transport.take()) == 20
    # 20 requests per round within half of 1,000 per 300 s: one round every 12 s, not every 5 s.
    assert update.next_refresh_in == pytest.approx(20 * 300 / (QUOTA * 0.5))


async def test_a_transitional_space_that_does_not_move_is_polled_less_and_less(
    crowded: RunningEmulator, hub: HubClient
) -> None:
    make_space(crowded, "alice/app")
    monitor = monitor_for(hub, FakeTime(), space_ids=["alice/app"], quiet_cap=10.0)
    await monitor.refresh()
    await hub.restart("alice/app")  # the clock stands still: it stays starting
    intervals = []
    for _ in range(6):
        update = await monitor.refresh()
        assert update.statuses["alice/app"].stage.is_transitional
        intervals.append(update.next_refresh_in)
    assert intervals == [FAST, 2 * FAST, 4 * FAST, 10.0, 10.0, 10.0]
    monitor.wake()  # e.g. the user restarted it again: back to the fast pace
    assert (await monitor.refresh()).next_refresh_in == FAST
    run_until_stable(crowded)
    moved = await monitor.refresh()
    assert moved.statuses["alice/app"].stage is Stage.RUNNING
    assert moved.next_refresh_in == SLOW
