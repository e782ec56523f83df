"""HubClient against the emulator over real loopback HTTP (httpx for reads, huggingface_hub for actions)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.helpers.hub import ALICE_TOKEN, BOB_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.errors import (
    AuthError,
    HubError,
    HubUnavailable,
    NetworkDown,
    PermissionDenied,
    RateLimited,
    SpaceNotFound,
    UsageError,
)
from tui.domain.hub import Account, HubClient, SecretInfo, VariableInfo, merge_runtime
from tui.domain.models import Stage
from tui.emulator.server import RunningEmulator

CAROL_TOKEN = "hf_carol_test_token"
README = b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n"
DOCKERFILE = b'FROM python:3.11\nCOPY . .\nCMD ["python", "-m", "http.server", "7860"]\n'


class CountingTransport(httpx.AsyncBaseTransport):
    """The real network transport, remembering every request it sends."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def make_space(
    emulator: RunningEmulator, space_id: str, *, private: bool = False, built: bool = True
) -> None:
    emulator.state.create_space(space_id, sdk="docker", private=private)
    if built:
        emulator.state.commit(space_id, {"README.md": README, "Dockerfile": DOCKERFILE})


@pytest.fixture
def transport() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
async def alice(
    emulator: RunningEmulator, transport: CountingTransport
) -> AsyncIterator[HubClient]:
    async with HubClient(HubTarget(emulator.url, ALICE_TOKEN), transport=transport) as client:
        yield client


@pytest.fixture
async def bob(emulator: RunningEmulator) -> AsyncIterator[HubClient]:
    async with HubClient(HubTarget(emulator.url, BOB_TOKEN)) as client:
        yield client


async def test_whoami_names_the_account_and_its_orgs(emulator: RunningEmulator) -> None:
    emulator.state.add_user("carol", CAROL_TOKEN, orgs=["carol-org"], fullname="Carol C")
    async with HubClient(HubTarget(emulator.url, CAROL_TOKEN)) as hub:
        account = await hub.whoami()
    assert account == Account("carol", ("carol-org",), "Carol C")
    assert account.namespaces == ("carol", "carol-org")
    assert CAROL_TOKEN not in repr(account)


async def test_whoami_without_token_fails_before_any_request(
    emulator: RunningEmulator, transport: CountingTransport
) -> None:
    async with HubClient(HubTarget(emulator.url, None), transport=transport) as hub:
        with pytest.raises(AuthError, match="hf auth login"):
            await hub.whoami()
    assert transport.requests == []


async def test_whoami_with_a_bad_token_is_an_auth_error(emulator: RunningEmulator) -> None:
    async with HubClient(HubTarget(emulator.url, "hf_NotAValidToken12345")) as hub:
        with pytest.raises(AuthError) as caught:
            await hub.whoami()
    assert "hf_NotAValidToken12345" not in caught.value.message


async def test_listing_follows_pages_in_one_request_per_page(
    emulator: RunningEmulator, alice: HubClient, transport: CountingTransport
) -> None:
    for number in range(45):
        make_space(emulator, f"alice/app-{number:02d}", built=number % 2 == 0)
    make_space(emulator, "bob/other")
    emulator.state.page_size = 10

    statuses = await alice.list_spaces("alice")

    assert sorted(s.space_id for s in statuses) == [f"alice/app-{n:02d}" for n in range(45)]
    assert len(transport.requests) == 5  # 45 Spaces / 10 per page, nothing per Space
    assert all(r.url.params.get_list("expand") for r in transport.requests)
    by_id = {s.space_id: s for s in statuses}
    assert by_id["alice/app-00"].stage is not Stage.NO_APP_FILE
    assert by_id["alice/app-01"].stage is Stage.NO_APP_FILE
    assert by_id["alice/app-00"].sdk == "docker" and by_id["alice/app-00"].private is False
    assert by_id["alice/app-00"].last_modified and by_id["alice/app-00"].sha


async def test_listing_limit_stops_early(
    emulator: RunningEmulator, alice: HubClient, transport: CountingTransport
) -> None:
    for number in range(30):
        make_space(emulator, f"alice/s{number}")
    emulator.state.page_size = 5
    assert len(await alice.list_spaces("alice", limit=7)) == 7
    assert len(transport.requests) <= 2


async def test_private_spaces_of_others_are_invisible(
    emulator: RunningEmulator, alice: HubClient
) -> None:
    make_space(emulator, "bob/secret", private=True)
    make_space(emulator, "bob/open")
    assert [s.space_id for s in await alice.list_spaces("bob")] == ["bob/open"]
    with pytest.raises(SpaceNotFound) as caught:
        await alice.space_status("bob/secret")
    assert (
        caught.value.message
        == "Space bob/secret was not found, or it is private and your token cannot see it."
    )


async def test_missing_space_is_not_found(alice: HubClient) -> None:
    with pytest.raises(SpaceNotFound, match="alice/nope"):
        await alice.space_status("alice/nope")
    with pytest.raises(SpaceNotFound):
        await alice.runtime("alice/nope")
    with pytest.raises(SpaceNotFound):
        await alice.restart("alice/nope")


async def test_bad_space_id_is_a_usage_error_without_request(
    alice: HubClient, transport: CountingTransport
) -> None:
    for bad in ("no-slash", "a/b/c", "../etc", "alice/\x1b[2J"):
        with pytest.raises(UsageError):
            await alice.space_status(bad)
    assert transport.requests == []


async def test_status_and_runtime_of_one_space(emulator: RunningEmulator, alice: HubClient) -> None:
    make_space(emulator, "alice/app", private=True)
    status = await alice.space_status("alice/app")
    runtime = await alice.runtime("alice/app")
    assert status.space_id == "alice/app" and status.sdk == "docker" and status.private is True
    assert runtime.stage is status.stage and runtime.raw_stage == status.raw_stage
    assert runtime.hardware == status.hardware


async def test_control_actions_change_the_stage(
    emulator: RunningEmulator, alice: HubClient
) -> None:
    make_space(emulator, "alice/app")
    paused = await alice.pause("alice/app")
    assert paused.stage is Stage.PAUSED
    assert (await alice.runtime("alice/app")).stage is Stage.PAUSED
    restarted = await alice.restart("alice/app", factory=True)
    assert restarted.stage is not Stage.PAUSED
    slept = await alice.set_sleep_time("alice/app", 3600)
    assert slept.sleep_time == 3600
    upgraded = await alice.request_hardware("alice/app", "t4-small")
    assert upgraded.requested_hardware == "t4-small"


async def test_an_action_answer_merged_over_the_known_status_keeps_sdk_and_visibility(
    emulator: RunningEmulator, alice: HubClient
) -> None:
    make_space(emulator, "alice/app", private=True)
    known = await alice.space_status("alice/app")
    paused = await alice.pause("alice/app")
    assert paused.sdk is None and paused.private is None  # a bare runtime answer
    merged = merge_runtime(known, paused)
    assert merged.stage is Stage.PAUSED and merged.raw_stage == "PAUSED"
    assert (merged.sdk, merged.private, merged.sha) == ("docker", True, known.sha)
    assert merge_runtime(None, paused) is paused


async def test_actions_on_someone_elses_space_are_refused(
    emulator: RunningEmulator, bob: HubClient
) -> None:
    make_space(emulator, "alice/app")
    with pytest.raises(PermissionDenied, match="alice/app"):
        await bob.restart("alice/app")
    with pytest.raises(PermissionDenied):
        await bob.add_secret("alice/app", "KEY", "value")


async def test_secrets_and_variables_round_trip(
    emulator: RunningEmulator, alice: HubClient
) -> None:
    make_space(emulator, "alice/app")
    await alice.add_secret("alice/app", "API_KEY", "s3cr3t-value", description="upstream key")
    await alice.add_variable("alice/app", "MODEL", "gpt2")
    secrets = await alice.secrets("alice/app")
    variables = await alice.variables("alice/app")
    assert set(secrets) == {"API_KEY"}
    assert secrets["API_KEY"].description == "upstream key"
    assert "s3cr3t-value" not in repr(secrets)
    assert isinstance(secrets["API_KEY"], SecretInfo)
    assert variables["MODEL"] == VariableInfo("MODEL", "gpt2", None, variables["MODEL"].updated_at)
    await alice.delete_secret("alice/app", "API_KEY")
    await alice.delete_variable("alice/app", "MODEL")
    await alice.delete_variable("alice/app", "MISSING")  # a missing key is not an error
    assert await alice.secrets("alice/app") == {}
    assert await alice.variables("alice/app") == {}


async def test_create_space_returns_its_url(emulator: RunningEmulator, alice: HubClient) -> None:
    url = await alice.create_space("alice/new-one", sdk="docker", private=True)
    assert url.endswith("/spaces/alice/new-one")
    status = await alice.space_status("alice/new-one")
    assert status.private is True and status.sdk == "docker"


async def test_rate_limit_and_outage_are_typed(emulator: RunningEmulator, alice: HubClient) -> None:
    make_space(emulator, "alice/app")
    emulator.faults.set(space_id="alice/app", status=429, retry_after=3, count=1)
    with pytest.raises(RateLimited) as caught:
        await alice.space_status("alice/app")
    assert caught.value.retry_after == 3.0
    emulator.faults.set(space_id="alice/app", status=503, count=1)
    with pytest.raises(HubUnavailable):
        await alice.pause("alice/app")  # through huggingface_hub: its error is mapped too
    assert (await alice.space_status("alice/app")).space_id == "alice/app"


async def test_anonymous_client_sees_public_spaces_only(emulator: RunningEmulator) -> None:
    make_space(emulator, "alice/public")
    make_space(emulator, "alice/private", private=True)
    async with HubClient(HubTarget(emulator.url, None)) as anonymous:
        assert [s.space_id for s in await anonymous.list_spaces("alice")] == ["alice/public"]
        with pytest.raises(SpaceNotFound, match="not signed in"):
            await anonymous.space_status("alice/private")
        with pytest.raises((AuthError, SpaceNotFound)):
            await anonymous.restart("alice/public")


async def test_unreachable_hub_is_network_down() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with HubClient(HubTarget(f"http://127.0.0.1:{port}", ALICE_TOKEN)) as hub:
        with pytest.raises(NetworkDown, match="Cannot reach the Hub"):
            await hub.list_spaces("alice")
        with pytest.raises(NetworkDown):
            await hub.pause("alice/app")


async def test_a_next_page_link_to_another_host_is_not_followed_with_the_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        link = '<http://evil.example/api/spaces?author=alice&cursor=1>; rel="next"'
        return httpx.Response(
            200, json=[{"id": "alice/a", "runtime": {"stage": "RUNNING"}}], headers={"link": link}
        )

    target = HubTarget("http://127.0.0.1:9", ALICE_TOKEN)
    async with HubClient(target, transport=httpx.MockTransport(handler)) as hub:
        with pytest.raises(HubError, match="another host"):
            await hub.list_spaces("alice")
    assert [r.url.host for r in seen] == ["127.0.0.1"]


async def test_a_relative_next_page_link_is_followed() -> None:
    pages = {"": '</api/spaces?author=alice&cursor=1>; rel="next"', "1": None}

    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor", "")
        link = pages[cursor]
        body = [{"id": f"alice/p{cursor or 0}", "runtime": {"stage": "BUILDING"}}]
        return httpx.Response(200, json=body, headers={"link": link} if link else {})

    async with HubClient(
        HubTarget("http://127.0.0.1:9", ALICE_TOKEN), transport=httpx.MockTransport(handler)
    ) as hub:
        statuses = await hub.list_spaces("alice")
    assert [s.space_id for s in statuses] == ["alice/p0", "alice/p1"]
    assert all(s.stage is Stage.BUILDING for s in statuses)
