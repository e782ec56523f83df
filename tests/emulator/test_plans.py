"""Plans on the emulator, seen by the real huggingface_hub client: 402, ZeroGPU caps, the 403."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import TEST_SPEED
from tui.emulator.options import UsageError, parse_plans, parse_users
from tui.emulator.plans import PAID_HOSTING_MESSAGE, PAYMENT_METHOD_MESSAGE
from tui.emulator.server import RunningEmulator, serve_emulator

FREE, FREE_TOKEN = "fran", "hf_fran_test_token"
PRO, PRO_TOKEN = "pia", "hf_pia_test_token"
OLD, OLD_TOKEN = "olga", "hf_olga_test_token"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with serve_emulator(
        users={FREE: FREE_TOKEN, PRO: PRO_TOKEN, OLD: OLD_TOKEN},
        plans={FREE: "free", PRO: "pro"},
        speed=TEST_SPEED,
    ) as running:
        running.state.add_user("fred", "hf_fred_test_token", orgs=["free-club", "big-team"])
        running.state.set_org_plan("free-club", "free")
        running.state.set_org_plan("big-team", "team")
        yield running


def api(emu: RunningEmulator, token: str) -> HfApi:
    return HfApi(endpoint=emu.url, token=token)


def create(emu: RunningEmulator, token: str, repo_id: str, sdk: str, **kwargs: object) -> None:
    api(emu, token).create_repo(repo_id, repo_type="space", space_sdk=sdk, **kwargs)  # type: ignore[arg-type]


def status_of(caught: pytest.ExceptionInfo[HfHubHTTPError]) -> int:
    assert caught.value.response is not None
    return caught.value.response.status_code


@pytest.mark.parametrize("sdk", ["gradio", "docker"])
def test_free_account_gets_the_hubs_402_for_gradio_and_docker(
    emu: RunningEmulator, sdk: str
) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        create(emu, FREE_TOKEN, f"{FREE}/{sdk}-app", sdk)
    assert status_of(caught) == 402
    assert PAID_HOSTING_MESSAGE in str(caught.value)
    assert emu.state.get_space(f"{FREE}/{sdk}-app") is None


def test_static_is_free_and_pro_hosts_anything(emu: RunningEmulator) -> None:
    create(emu, FREE_TOKEN, f"{FREE}/site", "static")
    create(emu, PRO_TOKEN, f"{PRO}/app", "docker")
    # An account added without a plan (every script written before plans) hosts like PRO.
    create(emu, OLD_TOKEN, f"{OLD}/app", "gradio")
    assert {f"{FREE}/site", f"{PRO}/app", f"{OLD}/app"} <= set(emu.state.spaces)


def test_whoami_says_the_plan_as_the_hub_does(emu: RunningEmulator) -> None:
    free = api(emu, FREE_TOKEN).whoami()
    pro = api(emu, PRO_TOKEN).whoami()
    fred = api(emu, "hf_fred_test_token").whoami()
    assert (free["isPro"], free["canPay"]) == (False, False)
    assert (pro["isPro"], pro["canPay"]) == (True, True)
    assert {org["name"]: (org["plan"], org["canPay"]) for org in fred["orgs"]} == {
        "free-club": ("free", False),
        "big-team": ("team", True),
    }


def test_org_plans_decide_for_spaces_under_the_org(emu: RunningEmulator) -> None:
    token = "hf_fred_test_token"
    with pytest.raises(HfHubHTTPError) as caught:
        create(emu, token, "free-club/app", "gradio")
    assert status_of(caught) == 402
    create(emu, token, "big-team/app", "gradio")
    assert emu.state.get_space("big-team/app") is not None


def test_zero_gpu_caps_two_spaces_for_a_free_account() -> None:
    with serve_emulator(users={FREE: FREE_TOKEN}, plans={FREE: "free"}, speed=TEST_SPEED) as emu:
        for n in (1, 2):
            create(emu, FREE_TOKEN, f"{FREE}/zero-{n}", "gradio", space_hardware="zero-a10g")
        with pytest.raises(HfHubHTTPError) as caught:
            create(emu, FREE_TOKEN, f"{FREE}/zero-3", "gradio", space_hardware="zero-a10g")
        assert status_of(caught) == 402 and "limit of 2 ZeroGPU Spaces" in str(caught.value)
        with pytest.raises(HfHubHTTPError) as docker:
            create(emu, FREE_TOKEN, f"{FREE}/zero-docker", "docker", space_hardware="zero-a10g")
        assert status_of(docker) == 400


def test_zero_gpu_cap_is_ten_for_pro_and_fifty_for_a_team_org() -> None:
    with serve_emulator(users={PRO: PRO_TOKEN}, plans={PRO: "pro"}, speed=TEST_SPEED) as emu:
        emu.state.add_user("tess", "hf_tess_test_token", orgs=["lab"])
        for n in range(10):
            emu.state.create_space(f"{PRO}/z{n}", sdk="gradio", hardware="zero-a10g")
        for n in range(49):
            emu.state.create_space(f"lab/z{n}", sdk="gradio", hardware="zero-a10g")
        with pytest.raises(HfHubHTTPError) as caught:
            create(emu, PRO_TOKEN, f"{PRO}/z10", "gradio", space_hardware="zero-a10g")
        assert "limit of 10" in str(caught.value)
        create(emu, "hf_tess_test_token", "lab/z49", "gradio", space_hardware="zero-a10g")
        with pytest.raises(HfHubHTTPError) as team:
            create(emu, "hf_tess_test_token", "lab/z50", "gradio", space_hardware="zero-a10g")
        assert "limit of 50" in str(team.value)


def test_paid_hardware_without_a_payment_method_is_the_hubs_403(emu: RunningEmulator) -> None:
    # A Gradio Space the free account made before the rules changed.
    emu.state.create_space(f"{FREE}/legacy", sdk="gradio")
    free = api(emu, FREE_TOKEN)
    with pytest.raises(HfHubHTTPError) as caught:
        free.request_space_hardware(f"{FREE}/legacy", "t4-small")
    assert status_of(caught) == 403 and PAYMENT_METHOD_MESSAGE in str(caught.value)
    emu.state.users[FREE].payment_method = True
    try:
        runtime = free.request_space_hardware(f"{FREE}/legacy", "t4-small")
    finally:
        emu.state.users[FREE].payment_method = False
    assert runtime.requested_hardware == "t4-small"


def test_duplicating_follows_the_same_rules(emu: RunningEmulator) -> None:
    emu.state.commit(f"{PRO}/app", {"app.py": b"print('hi')\n"})
    with pytest.raises(HfHubHTTPError) as caught:
        api(emu, FREE_TOKEN).duplicate_repo(f"{PRO}/app", to_id=f"{FREE}/copy", repo_type="space")
    assert status_of(caught) == 402 and PAID_HOSTING_MESSAGE in str(caught.value)
    url = api(emu, OLD_TOKEN).duplicate_repo(f"{PRO}/app", to_id=f"{OLD}/copy", repo_type="space")
    assert url.repo_id == f"{OLD}/copy"
    copy = emu.state.get_space(f"{OLD}/copy")
    assert copy is not None and copy.files()["app.py"].data == b"print('hi')\n"  # type: ignore[index]


def test_user_option_takes_an_optional_plan() -> None:
    values = ["a:hf_a", "b:hf_b:free", "c:hf_c:pro"]
    assert parse_users(values) == {"a": "hf_a", "b": "hf_b", "c": "hf_c"}
    assert parse_plans(values) == {"b": "free", "c": "pro"}
    with pytest.raises(UsageError, match="plan must be one of free, pro"):
        parse_plans(["d:hf_d:team"])


def test_a_stated_plan_sets_the_rate_limit_quota_and_no_plan_keeps_the_free_one(
    emu: RunningEmulator,
) -> None:
    quotas = {
        token: httpx.get(
            f"{emu.url}/api/whoami-v2", headers={"authorization": f"Bearer {token}"}
        ).headers["ratelimit-policy"]
        for token in (FREE_TOKEN, PRO_TOKEN, OLD_TOKEN)
    }
    assert quotas == {
        FREE_TOKEN: '"fixed window";"api";q=1000;w=300',
        PRO_TOKEN: '"fixed window";"api";q=2500;w=300',
        OLD_TOKEN: '"fixed window";"api";q=1000;w=300',
    }


def test_the_emulator_process_takes_plans_from_user() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "emulator", "--port", "0"]
        + ["--user", "fran:hf_cli_free:free", "--user", "pia:hf_cli_pia"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().removeprefix("listening on ").strip()
        with pytest.raises(HfHubHTTPError) as caught:
            HfApi(endpoint=url, token="hf_cli_free").create_repo(
                "fran/app", repo_type="space", space_sdk="gradio"
            )
        HfApi(endpoint=url, token="hf_cli_pia").create_repo(
            "pia/app", repo_type="space", space_sdk="gradio"
        )
        assert HfApi(endpoint=url, token="hf_cli_pia").whoami()["isPro"] is True
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert status_of(caught) == 402


def test_a_bad_plan_is_one_line_and_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "emulator", "--user", "fran:hf_x:gold"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr == "spacetui emulator: --user plan must be one of free, pro, got 'gold'\n"
