"""The emulator's rate limiter, seen by the real clients: huggingface_hub, httpx and spacetui's own."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import parse_ratelimit_headers

from tests.helpers.hub import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN, TEST_SPEED
from tui.domain.auth import HubTarget
from tui.domain.errors import RateLimited
from tui.domain.http import error_from_exception
from tui.domain.hub import HubClient
from tui.emulator.clock import ManualClock
from tui.emulator.options import DEMO_TOKEN
from tui.emulator.ratelimit import WINDOW, bucket_of
from tui.emulator.server import RunningEmulator, serve_emulator

QUOTA = 3
APP_FILES = {
    "README.md": b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n",
    "Dockerfile": b'FROM python:3.12\nCMD ["python", "-m", "http.server", "7860"]\n',
}


def seconds_to_reset(emu: RunningEmulator) -> int:
    """What `t` must say on the manual clock: windows are aligned to multiples of 300 s."""
    return WINDOW - int(emu.clock.now()) % WINDOW


def as_alice() -> dict[str, str]:
    return {"authorization": f"Bearer {ALICE_TOKEN}"}


@pytest.fixture
def small() -> Iterator[RunningEmulator]:
    """Alice and bob with a quota of 3 requests per bucket, on a clock only the test moves."""
    with serve_emulator(
        users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN},
        speed=TEST_SPEED,
        clock=ManualClock(),
        quota=QUOTA,
    ) as emu:
        emu.state.create_space("alice/app", sdk="docker")
        yield emu


def use_up(emu: RunningEmulator, headers: dict[str, str], path: str = "/api/whoami-v2") -> None:
    """Spend what is left of the window: every answer says how much remains (`r`)."""
    for _ in range(QUOTA):
        answer = httpx.get(f"{emu.url}{path}", headers=headers)
        info = parse_ratelimit_headers(answer.headers)
        assert answer.status_code != 429 and info is not None
        if info.remaining == 0:
            return
    raise AssertionError("the quota never ran out")


def test_ordinary_responses_carry_headers_the_client_parses() -> None:
    """Success and error answers alike, in each bucket, with the free tier's quota by default."""
    with serve_emulator(users={ALICE: ALICE_TOKEN}, clock=ManualClock()) as emu:
        emu.state.create_space("alice/app", sdk="docker")
        with httpx.Client(base_url=emu.url, headers=as_alice()) as client:
            answers = [
                client.get("/api/whoami-v2"),
                client.get("/api/spaces/alice/missing"),
                client.get("/spaces/alice/app/resolve/main/.gitattributes"),
                client.post("/spaces/alice/app.git/info/lfs/objects/batch", json={}),
            ]
        reset = seconds_to_reset(emu)
    assert [a.status_code for a in answers[:3]] == [200, 404, 200]
    infos = [parse_ratelimit_headers(answer.headers) for answer in answers]
    assert [(i.resource_type, i.remaining) for i in infos if i] == [
        ("api", 999),
        ("api", 998),
        ("resolvers", 4999),
        ("pages", 199),
    ]
    assert all(i and i.reset_in_seconds == reset and i.window_seconds == WINDOW for i in infos)
    assert [i.limit for i in infos if i] == [1000, 1000, 5000, 200]
    for answer in answers:
        assert len(answer.headers.get_list("ratelimit")) == 1
        assert len(answer.headers.get_list("ratelimit-policy")) == 1


def test_exhausted_bucket_is_a_429_huggingface_hub_explains(small: RunningEmulator) -> None:
    api = HfApi(endpoint=small.url, token=ALICE_TOKEN)
    for _ in range(QUOTA):
        assert api.get_space_runtime("alice/app").stage
    with pytest.raises(HfHubHTTPError) as caught:
        api.get_space_runtime("alice/app")
    response = caught.value.response
    assert response.status_code == 429
    assert response.json() == {"error": "You have exceeded our rate limit. Please retry later."}
    assert response.headers["ratelimit"] == f'"api";r=0;t={seconds_to_reset(small)}'
    message = str(caught.value)
    assert "you have reached your 'api' rate limit" in message
    assert f"Retry after {seconds_to_reset(small)} seconds" in message
    assert f"(0/{QUOTA} requests remaining in current 300s window)" in message


def test_whoami_429_gets_the_clients_whoami_message(small: RunningEmulator) -> None:
    use_up(small, as_alice())
    with pytest.raises(HfHubHTTPError, match="rate limit for the /whoami-v2 endpoint"):
        HfApi(endpoint=small.url, token=ALICE_TOKEN).whoami()


def test_a_new_window_restores_the_quota(small: RunningEmulator) -> None:
    use_up(small, as_alice())
    limited = httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice())
    assert limited.status_code == 429
    small.clock.advance(seconds_to_reset(small) - 1)  # type: ignore[attr-defined]
    assert httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice()).status_code == 429
    small.clock.advance(1)  # type: ignore[attr-defined]
    fresh = httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice())
    assert fresh.status_code == 200
    assert fresh.headers["ratelimit"] == f'"api";r={QUOTA - 1};t={WINDOW}'


def test_tokens_addresses_and_buckets_are_counted_apart(small: RunningEmulator) -> None:
    use_up(small, as_alice())
    assert httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice()).status_code == 429
    bob = httpx.get(f"{small.url}/api/whoami-v2", headers={"authorization": f"Bearer {BOB_TOKEN}"})
    assert bob.status_code == 200 and bob.headers["ratelimit"].startswith(f'"api";r={QUOTA - 1};')
    anonymous = httpx.get(f"{small.url}/api/spaces/alice/app")
    assert anonymous.status_code == 200
    assert anonymous.headers["ratelimit"].startswith(f'"api";r={QUOTA - 1};')
    resolve = httpx.get(
        f"{small.url}/spaces/alice/app/resolve/main/.gitattributes", headers=as_alice()
    )
    assert resolve.status_code == 200
    assert resolve.headers["ratelimit"].startswith(f'"resolvers";r={QUOTA - 1};')


def test_unknown_tokens_count_as_the_anonymous_caller(small: RunningEmulator) -> None:
    use_up(small, {})
    bad = httpx.get(f"{small.url}/api/whoami-v2", headers={"authorization": "Bearer hf_nobody"})
    assert bad.status_code == 429


def test_plans_set_the_default_quotas() -> None:
    with serve_emulator(seed="demo", users={ALICE: ALICE_TOKEN}, clock=ManualClock()) as emu:
        demo = httpx.get(
            f"{emu.url}/api/whoami-v2", headers={"authorization": f"Bearer {DEMO_TOKEN}"}
        )
        anonymous = httpx.get(f"{emu.url}/api/spaces", params={"author": "demo"})
        emu.state.add_user("carol", "hf_carol_token", plan="pro")
        carol = httpx.get(
            f"{emu.url}/api/whoami-v2", headers={"authorization": "Bearer hf_carol_token"}
        )
    assert demo.json()["isPro"] is True and carol.json()["isPro"] is True
    assert demo.headers["ratelimit-policy"] == '"fixed window";"api";q=2500;w=300'
    assert anonymous.headers["ratelimit-policy"] == '"fixed window";"api";q=500;w=300'
    with pytest.raises(ValueError, match="plan must be one of"):
        emu.state.add_user("dave", "hf_dave_token", plan="enterprise")


def test_a_log_stream_counts_once_however_long_it_runs(small: RunningEmulator) -> None:
    small.state.commit("alice/app", APP_FILES)
    small.clock.advance(10)  # type: ignore[attr-defined]  # the whole build, replayed as history
    with httpx.stream(
        "GET", f"{small.url}/api/spaces/alice/app/logs/build", headers=as_alice(), timeout=10
    ) as stream:
        assert stream.headers["ratelimit"].startswith(f'"api";r={QUOTA - 1};')
        events = sum(line.startswith("data: {") for line in stream.iter_lines())
    after = httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice())
    assert events > QUOTA
    assert after.headers["ratelimit"].startswith(f'"api";r={QUOTA - 2};')


def test_injected_429_keeps_its_own_headers_and_still_counts(small: RunningEmulator) -> None:
    small.faults.set(status=429, retry_after=42, count=1)
    faulted = httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice())
    assert faulted.status_code == 429
    assert faulted.headers.get_list("ratelimit") == ['"api";r=0;t=42']
    assert faulted.headers.get_list("ratelimit-policy") == ['"fixed window";"api";q=1000;w=300']
    after = httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice())
    assert after.headers["ratelimit"].startswith(f'"api";r={QUOTA - 2};')


def test_admin_routes_and_lfs_storage_are_not_counted(small: RunningEmulator) -> None:
    for _ in range(QUOTA + 2):
        admin = httpx.get(f"{small.url}/_emulator/faults")
        assert admin.status_code == 200 and "ratelimit" not in admin.headers
    assert bucket_of("/lfs-storage/alice/app/abc") is None
    assert bucket_of("/api/spaces/alice/app/logs/run") == "api"
    assert bucket_of("/spaces/alice/app/resolve/main/x.bin") == "resolvers"
    assert bucket_of("/spaces/alice/app.git/info/lfs/objects/batch") == "pages"


# --- spacetui's own clients ----------------------------------------------------------------


def test_spacetui_hub_client_says_when_to_retry(small: RunningEmulator) -> None:
    use_up(small, as_alice(), "/api/spaces/alice/app")

    async def status() -> None:
        async with HubClient(HubTarget(small.url, ALICE_TOKEN)) as hub:
            await hub.space_status("alice/app")

    with pytest.raises(RateLimited) as caught:
        asyncio.run(status())
    wait = seconds_to_reset(small)
    assert caught.value.retry_after == wait
    assert caught.value.message == f"The Hub is rate-limiting requests; retry in {wait} s."


def test_huggingface_hub_429_maps_like_the_injected_one(small: RunningEmulator) -> None:
    """`error_from_exception` reads `t` from a real 429 exactly as from a fault's 429."""
    api = HfApi(endpoint=small.url, token=ALICE_TOKEN)
    small.faults.set(status=429, retry_after=42, count=1)
    with pytest.raises(HfHubHTTPError) as injected:
        api.get_space_runtime("alice/app")
    use_up(small, as_alice(), "/api/spaces/alice/app")
    with pytest.raises(HfHubHTTPError) as real:
        api.get_space_runtime("alice/app")
    errors = [error_from_exception(caught.value) for caught in (injected, real)]
    assert all(isinstance(error, RateLimited) for error in errors)
    assert [error.retry_after for error in errors] == [42, seconds_to_reset(small)]  # type: ignore[attr-defined]
    assert errors[1].message.endswith(f"retry in {seconds_to_reset(small)} s.")


# --- the command line -----------------------------------------------------------------------


def test_quota_flag_limits_a_real_emulator_process() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "emulator", "--port", "0", "--quota", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        match = re.match(r"^listening on (http://\S+)\n$", process.stdout.readline())
        assert match
        statuses = [httpx.get(f"{match.group(1)}/api/spaces").status_code for _ in range(3)]
        process.terminate()
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert statuses == [200, 200, 429]
    assert process.returncode == 0 and err == ""


def test_limiter_rejects_a_quota_below_one() -> None:
    with pytest.raises(ValueError, match="quota must be at least 1"):
        with serve_emulator(quota=0):
            pass


def test_429_body_is_the_hubs_error_shape(small: RunningEmulator) -> None:
    use_up(small, as_alice())
    limited = httpx.get(f"{small.url}/api/whoami-v2", headers=as_alice())
    assert json.loads(limited.text) == {"error": limited.headers["x-error-message"]}
    assert limited.headers["retry-after"] == str(seconds_to_reset(small))
    assert len(limited.headers.get_list("date")) == 1
