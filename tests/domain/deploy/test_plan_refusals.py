"""The plan gate: a deploy the namespace's plan cannot host is refused before checks, hashing
or upload, against the emulator's plans over loopback; a 402 from the Hub is its own error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import TEST_SPEED
from tui.domain.auth import HubTarget
from tui.domain.deploy.engine import Deployer
from tui.domain.deploy.events import DeployEvent, DeployResult
from tui.domain.deploy.options import DeployOptions
from tui.domain.deploy.plan_check import check_new_space
from tui.domain.errors import AuthError, PaymentRequired
from tui.domain.http import error_from_exception
from tui.domain.hub.client import HubClient
from tui.domain.plan_gate import Payer, PlanRule, WayOut, check_plan, payer_from_whoami
from tui.emulator.server import RunningEmulator, serve_emulator

FREE_TOKEN = "hf_fran_test_token"
FRED_TOKEN = "hf_fred_test_token"


@pytest.fixture
def emu() -> Iterator[RunningEmulator]:
    with serve_emulator(
        users={"fran": FREE_TOKEN}, plans={"fran": "free"}, speed=TEST_SPEED
    ) as running:
        running.state.add_user("fred", FRED_TOKEN, orgs=["club", "lab"], plan="free")
        running.state.set_org_plan("club", "free")
        running.state.set_org_plan("lab", "team")
        yield running


def folder(tmp_path: Path, sdk: str) -> Path:
    path = tmp_path / sdk
    path.mkdir()
    app_file = "index.html" if sdk == "static" else "app.py"
    (path / "README.md").write_text(f"---\ntitle: App\nsdk: {sdk}\napp_file: {app_file}\n---\n")
    if sdk == "static":
        (path / "index.html").write_text("<h1>hello</h1>\n")
    else:
        (path / "app.py").write_text(
            "import gradio as gr\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"
        )
        (path / "requirements.txt").write_text("gradio\n")
    return path


async def run(
    emu: RunningEmulator, token: str, path: Path, space_id: str, **options: object
) -> tuple[DeployResult, list[DeployEvent]]:
    events: list[DeployEvent] = []
    async with HubClient(HubTarget(endpoint=emu.url, token=token)) as hub:
        deployer = Deployer(
            hub,
            DeployOptions(folder=path, space_id=space_id, create=True, probe_wait=0, **options),  # type: ignore[arg-type]
            emit=events.append,
            poll_interval=0.05,
        )
        return await deployer.run(), events


@pytest.mark.asyncio
async def test_a_free_account_is_refused_a_gradio_space_before_any_work(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    result, events = await run(emu, FREE_TOKEN, folder(tmp_path, "gradio"), "fran/app")
    assert result.outcome == "plan_refused" and not result.ok
    # One sentence naming the rule and every way out.
    for words in (
        "free account",
        "PRO",
        "https://huggingface.co/pro",
        "sdk: static",
        "zero-a10g",
        "Team or Enterprise",
    ):
        assert words in result.message
    assert result.message.count(". ") == 0 and result.message.endswith(".")
    # The rule and the ways out are data, for each front end to word (and in --json).
    assert result.refusal is not None and result.refusal.rule is PlanRule.PAID_SDK
    ways = (WayOut.PRO, WayOut.STATIC, WayOut.ZERO_GPU, WayOut.ORG_PLAN)
    assert result.refusal.ways_out == ways
    assert result.to_json()["refusal"] == {
        "rule": "paid_sdk",
        "ways_out": ["pro", "static", "zero_gpu", "org_plan"],
    }
    assert "--hardware" not in result.message  # the domain names no front end's flag
    # Refused before the checks ran, before anything was hashed or planned, and nothing created.
    assert [e.kind for e in events] == ["result"]
    assert emu.state.get_space("fran/app") is None


@pytest.mark.asyncio
async def test_the_ways_out_work(emu: RunningEmulator, tmp_path: Path) -> None:
    static, _ = await run(emu, FREE_TOKEN, folder(tmp_path, "static"), "fran/site")
    assert static.ok and static.outcome == "running", static.message
    team, _ = await run(emu, FRED_TOKEN, folder(tmp_path, "gradio"), "lab/app", follow=False)
    assert team.ok, team.message
    club, events = await run(emu, FRED_TOKEN, tmp_path / "gradio", "club/app")
    assert club.outcome == "plan_refused" and "club (a free organisation)" in club.message
    assert [e.kind for e in events] == ["result"]


@pytest.mark.asyncio
async def test_zero_gpu_within_the_cap_then_refused_at_it(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    path = folder(tmp_path, "gradio")
    for n in (1, 2):
        ok, _ = await run(
            emu, FREE_TOKEN, path, f"fran/zero-{n}", hardware="zero-a10g", follow=False
        )
        assert ok.ok, ok.message
    third, events = await run(emu, FREE_TOKEN, path, "fran/zero-3", hardware="zero-a10g")
    assert third.outcome == "plan_refused"
    assert "at most 2 ZeroGPU Spaces" in third.message and [e.kind for e in events] == ["result"]


@pytest.mark.asyncio
async def test_paid_hardware_without_a_payment_method_is_refused_before_work(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    emu.state.create_space("fran/legacy", sdk="gradio")  # made before the rules changed
    result, events = await run(
        emu, FREE_TOKEN, folder(tmp_path, "gradio"), "fran/legacy", hardware="t4-small"
    )
    assert result.outcome == "plan_refused" and "no payment method" in result.message
    assert "https://huggingface.co/settings/billing" in result.message
    assert [e.kind for e in events] == ["result"]


def test_a_402_from_the_hub_is_its_own_typed_error(emu: RunningEmulator) -> None:
    api = HfApi(endpoint=emu.url, token=FREE_TOKEN)
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_repo("fran/raw", repo_type="space", space_sdk="docker")
    error = error_from_exception(caught.value)
    assert isinstance(error, PaymentRequired) and error.status == 402
    assert "requires a PRO subscription" in error.message and FREE_TOKEN not in error.message


def test_the_payment_method_403_is_a_payment_error_not_a_token_one(emu: RunningEmulator) -> None:
    emu.state.create_space("fran/old", sdk="gradio")
    api = HfApi(endpoint=emu.url, token=FREE_TOKEN)
    with pytest.raises(HfHubHTTPError) as caught:
        api.request_space_hardware("fran/old", "a10g-small")  # type: ignore[arg-type]
    error = error_from_exception(caught.value)
    assert isinstance(error, PaymentRequired) and error.status == 403
    assert "payment method" in error.message


def test_payer_reads_whoami_as_the_hub_says_it() -> None:
    whoami = {
        "name": "fran",
        "isPro": False,
        "canPay": False,
        "orgs": [{"name": "lab", "plan": "enterprise", "canPay": True}, {"name": "odd"}],
    }
    assert payer_from_whoami(whoami, "fran") == Payer("fran", "free", False, is_org=False)
    assert payer_from_whoami(whoami, "lab") == Payer("lab", "enterprise", True, is_org=True)
    assert payer_from_whoami(whoami, "odd") == Payer("odd", "free", False, is_org=True)
    assert payer_from_whoami(whoami, "stranger") is None  # not ours to judge: the Hub decides


def test_rules_that_let_a_deploy_through() -> None:
    pro = Payer("pia", "pro", True, is_org=False)
    free = Payer("fran", "free", False, is_org=False)
    check_plan(pro, sdk="docker", hardware=None, creating=True)
    check_plan(free, sdk="static", hardware=None, creating=True)
    check_plan(free, sdk="gradio", hardware=None, creating=False)  # an existing Space stays
    check_plan(free, sdk="gradio", hardware="zero-a10g", creating=True, zero_gpu_used=lambda: 1)
    with pytest.raises(PaymentRequired, match="only Gradio"):
        check_plan(pro, sdk="docker", hardware="zero-a10g", creating=True)


@pytest.mark.asyncio
async def test_a_create_dialog_can_ask_before_creating(emu: RunningEmulator) -> None:
    async with HubClient(HubTarget(endpoint=emu.url, token=FREE_TOKEN)) as free:
        with pytest.raises(PaymentRequired, match="cannot create a Docker Space on free cpu-basic"):
            await check_new_space(free, "fran/app", sdk="docker")
        await check_new_space(free, "fran/site", sdk="static")
    async with HubClient(HubTarget(endpoint=emu.url, token=FRED_TOKEN)) as fred:
        await check_new_space(fred, "lab/app", sdk="gradio")
    async with HubClient(HubTarget(endpoint=emu.url, token="hf_nobody")) as nobody:
        with pytest.raises(AuthError):
            await check_new_space(nobody, "x/y", sdk="gradio")
