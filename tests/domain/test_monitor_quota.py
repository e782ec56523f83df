"""The monitor slows down when the Hub reports little rate-limit quota left (emulator's limiter)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.helpers.hub import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN, TEST_SPEED
from tests.helpers.monitor import FakeTime, make_space, monitor_for
from tui.domain.auth import HubTarget
from tui.domain.hub import HubClient
from tui.domain.ratelimit import Quota, quota_from_headers
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator, serve_emulator

QUOTA = 100
SLOW = 30.0
#: A window boundary: after make_space's 120 s the window has 180 s left, so spacing is visible.
WINDOW_START = 1_779_999_900.0


@pytest.fixture
def limited() -> Iterator[RunningEmulator]:
    """An emulator allowing 100 requests per 300 s window, on a clock only the test moves."""
    with serve_emulator(
        users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN},
        speed=TEST_SPEED,
        clock=ManualClock(start=WINDOW_START),
        quota=QUOTA,
    ) as emu:
        make_space(emu, "alice/app")
        yield emu


@pytest.fixture
async def hub(limited: RunningEmulator) -> AsyncIterator[HubClient]:
    async with HubClient(HubTarget(limited.url, ALICE_TOKEN)) as client:
        yield client


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def spend(emu: RunningEmulator, token: str, count: int) -> int:
    """Make `count` requests as `token` elsewhere (another window of the app); returns r after."""
    remaining = -1
    with httpx.Client(base_url=emu.url, headers={"authorization": f"Bearer {token}"}) as client:
        for _ in range(count):
            info = quota_from_headers(client.get("/api/whoami-v2").headers)
            assert info is not None
            remaining = info.remaining
    return remaining


def seconds_to_reset(emu: RunningEmulator) -> int:
    return 300 - int(emu.clock.now()) % 300


async def test_hub_client_keeps_the_api_quota_its_reads_report(
    limited: RunningEmulator, hub: HubClient
) -> None:
    assert hub.quota is None
    await hub.list_spaces(ALICE)
    await hub.space_status("alice/app")
    assert hub.quota == Quota("api", QUOTA - 2, seconds_to_reset(limited), QUOTA, 300.0)


async def test_plenty_of_quota_leaves_the_pace_alone(
    limited: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    monitor = monitor_for(hub, fake_time, authors=[ALICE, BOB])
    spend(limited, ALICE_TOKEN, 80)
    update = await monitor.refresh()  # 2 requests: one listing per author
    assert hub.quota is not None and hub.quota.remaining == QUOTA - 82
    assert update.next_refresh_in == SLOW


async def test_low_quota_spreads_the_rest_over_the_window(
    limited: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    monitor = monitor_for(hub, fake_time, authors=[ALICE, BOB])
    assert spend(limited, ALICE_TOKEN, 92) == 8
    update = await monitor.refresh()  # 2 requests, 6 left: 3 more rounds until the reset
    reset = seconds_to_reset(limited)
    assert reset == 180
    assert update.next_refresh_in == pytest.approx(reset / 3)
    assert update.stale == {}


async def test_quota_spent_waits_for_the_reset_then_resumes(
    limited: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    monitor = monitor_for(hub, fake_time, authors=[ALICE])
    good = await monitor.refresh()
    assert spend(limited, ALICE_TOKEN, QUOTA - 1) == 0
    spent = await monitor.refresh()  # the Hub answers 429: last status kept, wait for the reset
    reset = seconds_to_reset(limited)
    assert spent.statuses == good.statuses
    assert "rate-limiting" in spent.stale["alice/app"]
    assert spent.next_refresh_in == reset
    limited.clock.advance(reset)  # type: ignore[attr-defined]
    resumed = await monitor.refresh()
    assert resumed.stale == {} and resumed.next_refresh_in == SLOW


async def test_another_tokens_spending_does_not_slow_this_one(
    limited: RunningEmulator, hub: HubClient, fake_time: FakeTime
) -> None:
    monitor = monitor_for(hub, fake_time, authors=[ALICE])
    spend(limited, BOB_TOKEN, QUOTA)
    assert (await monitor.refresh()).next_refresh_in == SLOW


def test_quota_parsing_and_spacing() -> None:
    headers = httpx.Headers(
        {"RateLimit": '"api";r=5;t=120', "RateLimit-Policy": '"fixed window";"api";q=100;w=300'}
    )
    quota = quota_from_headers(headers)
    assert quota == Quota("api", 5, 120.0, 100, 300.0)
    assert quota.is_low and quota.spacing(1) == 24.0 and quota.spacing(6) == 120.0
    assert quota.spacing(0) == 0.0
    assert Quota("api", 10, 120.0, 100).spacing(1) == 0.0  # exactly 10%: not low yet
    assert quota_from_headers(httpx.Headers({"RateLimit": "garbage"})) is None
    assert quota_from_headers(httpx.Headers({})) is None
    unknown_limit = quota_from_headers(httpx.Headers({"RateLimit": '"api";r=3;t=9'}))
    assert unknown_limit == Quota("api", 3, 9.0, None) and not unknown_limit.is_low
    assert Quota("api", 0, 9.0, None).spacing(1) == 9.0
