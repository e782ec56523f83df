"""The health probe after RUNNING, against the emulator's app URLs over loopback.

Waits are driven by an injected clock and sleep: no test sleeps real time to see a retry.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.domain.deploy.conftest import DeployRun
from tui.commands.deploy_render import cli_message
from tui.domain.deploy.probe import AppAddress, app_address, probe_app
from tui.emulator.server import RunningEmulator

pytestmark = pytest.mark.asyncio

ALICE_TOKEN = "hf_alice_test_token"


class FakeTime:
    """A clock that only moves when the probe sleeps; `on_sleep` runs at each sleep."""

    def __init__(self, on_sleep=None) -> None:  # noqa: ANN001
        self.now = 0.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.sleeps))


def address(emulator: RunningEmulator, space_id: str, path: str = "/") -> AppAddress:
    subdomain = emulator.state.get_space(space_id).subdomain
    return app_address(emulator.url, f"https://{subdomain}.hf.space", subdomain, path)


async def test_the_app_url_is_hf_space_or_the_emulator_by_host_header() -> None:
    real = app_address(
        "https://huggingface.co", "https://alice-app.hf.space", "alice-app", "/health"
    )
    assert real == AppAddress("https://alice-app.hf.space/health", send_token=True)
    local = app_address(
        "http://127.0.0.1:8123", "https://alice-app.hf.space", "alice-app", "health"
    )
    assert local == AppAddress(
        "http://127.0.0.1:8123/health", host_header="alice-app.hf.space", send_token=True
    )
    assert local.shown == "https://alice-app.hf.space/health"


async def test_the_token_goes_only_to_the_hubs_own_app_hosts() -> None:
    # `host` is remote data: a Hub answer naming another host must not collect the token.
    assert not app_address("https://huggingface.co", "https://evil.example", "x", "/").send_token
    assert not app_address("https://huggingface.co", "http://a-b.hf.space", "a-b", "/").send_token
    static = app_address("https://huggingface.co", "https://a-b.static.hf.space", "a-b", "/")
    assert static.send_token
    mirror = app_address("https://hub.example.org", "https://a-b.hf.space", "a-b", "/")
    assert mirror.url == "https://a-b.hf.space/" and not mirror.send_token
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200)

    transport = httpx.MockTransport(handler)  # the remote end of a hostile host: not real
    await probe_app(
        AppAddress("https://evil.example/"), token=ALICE_TOKEN, wait=0, transport=transport
    )
    assert seen == [None]


async def test_a_healthy_deploy_is_probed_and_says_what_the_app_answered(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    result = await deploy(space_folder, create=True, probe_path="/health")
    assert result.ok and result.outcome == "running", result.message
    assert "Its app answered HTTP 200" in result.message
    assert result.extra["probe"]["url"] == "https://alice-app.hf.space/health"
    assert "answers /health" in result.extra["probe"]["seen"]


async def test_running_but_broken_is_a_failed_deploy(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    emulator.app_faults.set("alice/app", status=500)
    result = await deploy(space_folder, create=True, probe_wait=0)
    assert not result.ok and result.outcome == "probe_failed"
    assert result.stage == "RUNNING"
    # The verdict is data; the command line words its ways out (the app words its own).
    assert result.probe is not None and result.probe.status == 500 and not result.probe.ok
    assert result.probe.url == "https://alice-app.hf.space/"
    said = cli_message(result)
    assert "reads RUNNING, but its app at https://alice-app.hf.space/ does not work" in said
    assert "HTTP 500" in said and "--no-probe" in said
    assert "`spacetui logs alice/app`" in said
    assert ALICE_TOKEN not in said


async def test_no_probe_trusts_the_stage(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    emulator.app_faults.set("alice/app", status=502)
    result = await deploy(space_folder, create=True, probe=False)
    assert result.ok and result.outcome == "running" and "probe" not in result.extra


async def test_a_lasting_5xx_is_retried_until_the_wait_is_spent(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    emulator.app_faults.set("alice/app", status=500)
    time = FakeTime()
    result = await probe_app(
        address(emulator, "alice/app"),
        token=ALICE_TOKEN,
        wait=10,
        interval=2,
        sleep=time.sleep,
        clock=time.clock,
    )
    assert not result.ok and result.status == 500
    assert time.sleeps == [2, 2, 2, 2, 2] and result.attempts == 6


async def test_the_probe_waits_for_a_warming_app_then_succeeds(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    emulator.app_faults.set("alice/app", status=503)
    time = FakeTime(lambda n: emulator.app_faults.clear() if n == 2 else None)
    result = await probe_app(
        address(emulator, "alice/app"),
        token=ALICE_TOKEN,
        wait=60,
        interval=2,
        sleep=time.sleep,
        clock=time.clock,
    )
    assert result.ok and result.status == 200 and result.attempts == 3 and time.sleeps == [2, 2]


async def test_an_error_stage_answers_503_your_space_is_in_error(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    (space_folder / "Dockerfile").write_text("FROM python:3.12\nRUN exit 3\n")
    failed = await deploy(space_folder, create=True, force=True)
    assert failed.outcome == "build_failed"  # the stage already says it: no probe needed
    time = FakeTime()
    result = await probe_app(
        address(emulator, "alice/app"),
        token=ALICE_TOKEN,
        wait=0,
        sleep=time.sleep,
        clock=time.clock,
    )
    assert not result.ok and result.status == 503
    assert "Your space is in error" in result.seen and time.sleeps == []


async def test_a_hung_app_is_given_up_on_after_the_request_timeout(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok
    emulator.app_faults.set("alice/app", hang=True)
    time = FakeTime()
    result = await probe_app(
        address(emulator, "alice/app"),
        token=ALICE_TOKEN,
        wait=0,
        request_timeout=0.2,
        sleep=time.sleep,
        clock=time.clock,
    )
    assert not result.ok and result.status is None and result.seen == "no answer within 0.2 s"


async def test_a_4xx_is_final_and_a_private_app_needs_the_token(
    emulator: RunningEmulator, deploy: DeployRun, space_folder: Path
) -> None:
    assert (await deploy(space_folder, create=True, probe=False)).ok  # private by default
    time = FakeTime()
    anonymous = await probe_app(
        address(emulator, "alice/app"), token=None, wait=60, sleep=time.sleep, clock=time.clock
    )
    assert anonymous.status == 404 and anonymous.attempts == 1 and time.sleeps == []
    owner = await probe_app(address(emulator, "alice/app"), token=ALICE_TOKEN, wait=0)
    assert owner.ok


async def test_remote_text_reaches_the_result_without_control_sequences() -> None:
    hostile = "<h1>\x1b]0;pwned\x07\x1b[31mboom\x1b[0m\r\nnext</h1>" + "a" * 500

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text=hostile)

    result = await probe_app(
        AppAddress("https://x-y.hf.space/"),
        token=None,
        wait=0,
        transport=httpx.MockTransport(handler),  # a hostile app body: nothing real sends one
    )
    assert not result.ok and result.status == 500
    assert result.seen.startswith("HTTP 500 (boom next")
    assert not any(ch in result.seen for ch in "\x1b\x07\r\n") and len(result.seen) < 140
