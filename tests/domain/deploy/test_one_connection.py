"""A deploy makes its requests through the caller's `HubClient`: a transport swapped there sees them."""

from __future__ import annotations

from pathlib import Path

import httpx
import httpx2
import pytest

from tui.domain.auth import HubTarget
from tui.domain.deploy.engine import Deployer
from tui.domain.deploy.events import DeployEvent
from tui.domain.deploy.options import DeployOptions
from tui.domain.hub import HubClient

pytestmark = pytest.mark.asyncio

ALICE_TOKEN = "hf_alice_test_token"


class RecordingAsync(httpx.AsyncBaseTransport):
    """Our httpx client's transport: records each request, then sends it over loopback."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class RecordingSync(httpx2.BaseTransport):
    """huggingface_hub's transport: records each request, then sends it over loopback."""

    def __init__(self) -> None:
        self.inner = httpx2.HTTPTransport()
        self.seen: list[tuple[str, str]] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.seen.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


async def test_transports_swapped_in_the_hub_client_see_every_request_of_a_deploy(
    emulator, space_folder: Path
) -> None:
    ours, hf = RecordingAsync(), RecordingSync()
    events: list[DeployEvent] = []
    target = HubTarget(endpoint=emulator.url, token=ALICE_TOKEN)
    async with HubClient(target, transport=ours, hf_transport=hf) as hub:
        options = DeployOptions(folder=space_folder, space_id="alice/app", create=True)
        result = await Deployer(hub, options, emit=events.append, poll_interval=0.05).run()

    assert result.ok and result.outcome == "running", result.message
    hf_paths = [path for _, path in hf.seen]
    # Space state, creation and the commit went through huggingface_hub, on the swapped transport.
    assert ("POST", "/api/repos/create") in hf.seen
    assert any(p.startswith("/api/spaces/alice/app/preupload/") for p in hf_paths), hf_paths
    assert any(p.startswith("/api/spaces/alice/app/commit/") for p in hf_paths), hf_paths
    # The follow step polled the runtime and streamed the build log on our client's transport.
    assert ("GET", "/api/spaces/alice/app/runtime") in ours.seen
    assert ("GET", "/api/spaces/alice/app/logs/build") in ours.seen
    # Nothing of huggingface_hub's went on ours, nor ours on huggingface_hub's.
    assert not any("/commit/" in path for _, path in ours.seen)
    assert not any(path.endswith("/runtime") for path in hf_paths)


async def test_a_later_hub_client_without_a_transport_goes_to_the_network_again(emulator) -> None:
    """huggingface_hub's client is process-wide: the latest HubClient decides its transport."""
    target = HubTarget(endpoint=emulator.url, token=ALICE_TOKEN)
    hf = RecordingSync()
    async with HubClient(target, hf_transport=hf) as hub:
        await hub.create_space("alice/first", sdk="docker")
    assert ("POST", "/api/repos/create") in hf.seen
    seen = len(hf.seen)
    async with HubClient(target) as hub:
        await hub.create_space("alice/second", sdk="docker")
    assert len(hf.seen) == seen  # not through the first client's transport any more
    assert emulator.state.get_space("alice/second") is not None
