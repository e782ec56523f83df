"""Fault injection through the Python API and the admin route, seen by the real client."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from tui.emulator.faults import MAX_LATENCY, FaultInjector
from tui.emulator.server import RunningEmulator


def test_429_carries_a_ratelimit_header_the_client_parses(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.faults.set(status=429, retry_after=42, route="/runtime")
    with pytest.raises(HfHubHTTPError) as caught:
        alice_api.get_space_runtime("alice/app")
    message = str(caught.value)
    assert "you have reached your 'api' rate limit" in message
    assert "Retry after 42 seconds" in message
    assert "1000 requests" in message and "300s window" in message


def test_a_retried_call_gets_through_after_one_429(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    """Listing is on the client's backoff path: it waits t+1 s (1 s here) and retries."""
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.faults.set(status=429, retry_after=0, count=1, route="/api/spaces")
    assert [space.id for space in alice_api.list_spaces(author="alice")] == ["alice/app"]
    assert emulator.faults.rules() == []


def test_5xx_carries_a_request_id_and_expires_after_count(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.faults.set(status=503, count=1)
    with pytest.raises(HfHubHTTPError) as caught:
        alice_api.whoami()
    assert caught.value.response.status_code == 503
    assert caught.value.request_id and caught.value.request_id.startswith("Root=1-")
    assert alice_api.whoami()["name"] == "alice"


def test_latency_delays_the_answer(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.faults.set(space_id="alice/app", latency=0.3, count=1)
    started = time.monotonic()
    assert alice_api.get_space_runtime("alice/app").stage
    assert time.monotonic() - started >= 0.3


def test_space_faults_leave_other_spaces_alone(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/broken", sdk="docker")
    emulator.state.create_space("alice/fine", sdk="docker")
    emulator.faults.set(space_id="alice/broken", status=500)
    assert alice_api.get_space_runtime("alice/fine").stage
    with pytest.raises(HfHubHTTPError):
        alice_api.get_space_runtime("alice/broken")
    emulator.faults.clear("alice/broken")
    assert alice_api.get_space_runtime("alice/broken").stage


def test_admin_route_sets_lists_and_clears_faults(emulator: RunningEmulator) -> None:
    admin = f"{emulator.url}/_emulator/faults"
    created = httpx.post(admin, json={"status": 502, "route": "/api/whoami-v2", "count": 2})
    assert created.status_code == 200 and created.json()["faults"][0]["status"] == 502
    assert httpx.get(f"{emulator.url}/api/whoami-v2").status_code == 502
    assert httpx.get(admin).json()["faults"][0]["count"] == 1
    assert httpx.delete(admin).json() == {"faults": []}
    assert httpx.get(f"{emulator.url}/api/whoami-v2").status_code == 401


def test_admin_route_rejects_bad_rules(emulator: RunningEmulator) -> None:
    admin = f"{emulator.url}/_emulator/faults"
    assert httpx.post(admin, json={"status": 200}).status_code == 400
    assert httpx.post(admin, json={"sttaus": 500}).status_code == 400
    assert httpx.post(admin, content=b"[").status_code == 400
    assert emulator.faults.rules() == []


def test_drop_after_is_taken_per_connection() -> None:
    faults = FaultInjector()
    faults.set(space_id="a/b", drop_after=3, count=2)
    faults.set(status=500, route="/whoami")
    assert faults.take_drop_after("x/y") is None
    assert [faults.take_drop_after("a/b") for _ in range(3)] == [3, 3, None]
    assert faults.take_request_fault("/api/spaces/a/b/logs/run") is None


def test_global_drop_after_applies_to_every_space() -> None:
    faults = FaultInjector()
    faults.set(drop_after=0)
    assert faults.take_drop_after("any/space") == 0
    faults.clear()
    assert faults.take_drop_after("any/space") is None


def test_a_held_request_is_counted_caught_then_settled_once_released(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    """The signal tests wait on instead of sleeping past a stall: caught, released, settled."""
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.faults.set(route="/runtime", latency=MAX_LATENCY, count=1)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(alice_api.get_space_runtime, "alice/app")
        assert emulator.faults.wait_caught(1, timeout=30)
        assert (emulator.faults.caught, emulator.faults.settled) == (1, 0)
        assert not emulator.faults.wait_settled(timeout=0)  # held: no answer yet
        assert not answer.done()
        assert emulator.faults.release() == 1
        assert emulator.faults.wait_settled(timeout=30)
        assert answer.result(timeout=30).stage  # released, it was answered as usual
    assert (emulator.faults.caught, emulator.faults.settled) == (1, 1)
    assert emulator.faults.release() == 0  # nothing held now
    alice_api.get_space_runtime("alice/app")  # no rule left: not caught
    assert emulator.faults.caught == 1


def test_a_request_dropped_by_its_client_while_held_still_settles(
    emulator: RunningEmulator,
) -> None:
    emulator.faults.set(route="/api/whoami-v2", latency=MAX_LATENCY, count=1)
    host, port = emulator.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GET /api/whoami-v2 HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert emulator.faults.wait_caught(1, timeout=30)
    # The client hung up while its request was held: released, it is over all the same.
    assert emulator.faults.settled == 0
    emulator.faults.release()
    assert emulator.faults.wait_settled(timeout=30)
