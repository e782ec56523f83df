"""Conformance: creating repos, controlling Spaces, secrets and variables, and who may do what."""

from __future__ import annotations

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from tests.helpers.hub import ALICE_TOKEN
from tui.emulator.server import RunningEmulator

DOCKER_SPACE = {
    "README.md": b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n",
    "Dockerfile": b"FROM python:3.12-slim\nCMD python -m http.server 7860\n",
}


def test_create_repo_new_exist_ok_and_conflict(emulator: RunningEmulator, alice_api: HfApi) -> None:
    url = alice_api.create_repo("alice/new", repo_type="space", space_sdk="docker", private=True)
    assert url.repo_id == "alice/new"
    assert url == f"{emulator.url}/spaces/alice/new"
    space = emulator.state.get_space("alice/new")
    assert space is not None and space.private and space.sdk == "docker"

    again = alice_api.create_repo("alice/new", repo_type="space", space_sdk="docker", exist_ok=True)
    assert again.repo_id == "alice/new"

    with pytest.raises(HfHubHTTPError) as caught:
        alice_api.create_repo("alice/new", repo_type="space", space_sdk="docker")
    assert caught.value.response.status_code == 409
    assert caught.value.response.json()["url"].endswith("/spaces/alice/new")


def test_create_repo_without_namespace_uses_the_token_owner(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    url = alice_api.create_repo(
        "solo",
        repo_type="space",
        space_sdk="gradio",
        space_secrets=[{"key": "TOKEN", "value": "s3cret"}],
        space_variables=[{"key": "MODE", "value": "fast"}],
    )
    assert url.repo_id == "alice/solo"
    assert alice_api.get_space_variables("alice/solo")["MODE"].value == "fast"
    assert list(alice_api.get_space_secrets("alice/solo")) == ["TOKEN"]


def test_create_repo_in_someone_elses_namespace_is_forbidden(alice_api: HfApi) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        alice_api.create_repo("bob/stolen", repo_type="space", space_sdk="docker")
    assert caught.value.response.status_code == 403


def test_delete_repo(emulator: RunningEmulator, alice_api: HfApi) -> None:
    alice_api.create_repo("alice/gone", repo_type="space", space_sdk="docker")
    alice_api.delete_repo("alice/gone", repo_type="space")
    assert emulator.state.get_space("alice/gone") is None
    with pytest.raises(RepositoryNotFoundError):
        alice_api.delete_repo("alice/gone", repo_type="space")
    alice_api.delete_repo("alice/gone", repo_type="space", missing_ok=True)


def test_pause_restart_factory_sleep_hardware_and_dev_mode(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    emulator.state.commit("alice/app", DOCKER_SPACE)

    assert alice_api.pause_space("alice/app").stage == "PAUSED"
    assert alice_api.get_space_runtime("alice/app").stage == "PAUSED"
    assert alice_api.restart_space("alice/app").stage in ("BUILDING", "APP_STARTING")
    assert alice_api.restart_space("alice/app", factory_reboot=True).stage == "BUILDING"

    with pytest.warns(UserWarning, match="cpu-basic"):  # the client's own local warning
        runtime = alice_api.set_space_sleep_time("alice/app", 3600)
    assert runtime.sleep_time == 3600
    runtime = alice_api.request_space_hardware("alice/app", "t4-small", sleep_time=600)
    assert runtime.requested_hardware == "t4-small" and runtime.sleep_time == 600
    assert alice_api.enable_space_dev_mode("alice/app").dev_mode is True
    assert alice_api.get_space_runtime("alice/app").dev_mode is True
    assert alice_api.disable_space_dev_mode("alice/app").dev_mode is False


def test_invalid_settings_are_clear_400s(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    headers = {"authorization": f"Bearer {ALICE_TOKEN}"}
    base = f"{emulator.url}/api/spaces/alice/app"
    for path, body in (
        ("hardware", {"flavor": "quantum-9000"}),
        ("sleeptime", {"seconds": "soon"}),
        ("dev-mode", {"enabled": "yes"}),
        ("secrets", {"value": "no key"}),
    ):
        response = httpx.post(f"{base}/{path}", headers=headers, json=body)
        assert response.status_code == 400, path
        assert response.json()["error"]
    broken = httpx.post(f"{base}/sleeptime", headers=headers, content=b"{not json")
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]


def test_restarting_a_static_space_is_a_bad_request(
    emulator: RunningEmulator, alice_api: HfApi
) -> None:
    emulator.state.create_space("alice/site", sdk="static")
    with pytest.raises(HfHubHTTPError) as caught:
        alice_api.restart_space("alice/site")
    assert caught.value.response.status_code == 400


def test_secrets_never_return_values(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    alice_api.add_space_secret(
        "alice/app", "HF_TOKEN", "hf_super_secret", description="for the app"
    )
    alice_api.add_space_secret("alice/app", "OTHER", "x")
    listed = alice_api.get_space_secrets("alice/app")
    assert set(listed) == {"HF_TOKEN", "OTHER"}
    assert listed["HF_TOKEN"].description == "for the app"
    raw = httpx.get(
        f"{emulator.url}/api/spaces/alice/app/secrets",
        headers={"authorization": f"Bearer {ALICE_TOKEN}"},
    )
    assert "hf_super_secret" not in raw.text
    assert raw.json()["HF_TOKEN"]["updatedAt"].endswith("Z")
    alice_api.delete_space_secret("alice/app", "OTHER")
    alice_api.delete_space_secret("alice/app", "NEVER_EXISTED")
    assert set(alice_api.get_space_secrets("alice/app")) == {"HF_TOKEN"}


def test_variables_crud_returns_the_whole_map(emulator: RunningEmulator, alice_api: HfApi) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    assert alice_api.get_space_variables("alice/app") == {}
    after_add = alice_api.add_space_variable("alice/app", "MODEL", "gpt2", description="which")
    alice_api.add_space_variable("alice/app", "MODE", "fast")
    assert after_add["MODEL"].value == "gpt2" and after_add["MODEL"].description == "which"
    after_update = alice_api.add_space_variable("alice/app", "MODEL", "llama")
    assert after_update["MODEL"].value == "llama" and set(after_update) == {"MODEL", "MODE"}
    after_delete = alice_api.delete_space_variable("alice/app", "MODE")
    assert set(after_delete) == {"MODEL"}
    assert set(alice_api.delete_space_variable("alice/app", "MISSING")) == {"MODEL"}


def test_writes_to_someone_elses_space_are_forbidden(
    emulator: RunningEmulator, alice_api: HfApi, bob_api: HfApi
) -> None:
    emulator.state.create_space("bob/app", sdk="docker")
    for action in (
        lambda: alice_api.restart_space("bob/app"),
        lambda: alice_api.pause_space("bob/app"),
        lambda: alice_api.add_space_secret("bob/app", "K", "v"),
        lambda: alice_api.get_space_variables("bob/app"),
        lambda: alice_api.upload_file(
            path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="bob/app", repo_type="space"
        ),
    ):
        with pytest.raises(HfHubHTTPError) as caught:
            action()
        assert caught.value.response.status_code == 403
        assert "rights" in caught.value.response.headers["X-Error-Message"]
    assert bob_api.pause_space("bob/app").stage == "PAUSED"


def test_anonymous_writes_are_unauthorized(emulator: RunningEmulator) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    response = httpx.post(f"{emulator.url}/api/spaces/alice/app/restart")
    assert response.status_code == 401
    assert response.json()["error"]


def test_visibility_setting_hides_and_shows_a_space(
    emulator: RunningEmulator, alice_api: HfApi, bob_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    alice_api.update_repo_settings("alice/app", repo_type="space", private=True)
    with pytest.raises(RepositoryNotFoundError):
        bob_api.space_info("alice/app")
    alice_api.update_repo_settings("alice/app", repo_type="space", private=False)
    assert bob_api.space_info("alice/app").private is False


def test_auth_check_read_and_write(
    emulator: RunningEmulator, alice_api: HfApi, bob_api: HfApi
) -> None:
    emulator.state.create_space("alice/app", sdk="docker")
    alice_api.auth_check("alice/app", repo_type="space", write=True)
    bob_api.auth_check("alice/app", repo_type="space")
    with pytest.raises(HfHubHTTPError):
        bob_api.auth_check("alice/app", repo_type="space", write=True)


def test_the_hardware_list_reads_through_the_client(alice_api: HfApi) -> None:
    # huggingface_hub builds a JobHardwareInfo from every entry: a missing key is a KeyError.
    flavours = {info.name: info for info in alice_api.list_spaces_hardware()}
    assert {"cpu-basic", "cpu-upgrade", "t4-small", "a10g-large"} <= set(flavours)
    basic, t4 = flavours["cpu-basic"], flavours["t4-small"]
    assert (basic.cpu, basic.ram, basic.unit_cost_usd, basic.accelerator) == (
        "2 vCPU",
        "16 GB",
        0,
        None,
    )
    assert t4.unit_label == "minute" and round(t4.unit_cost_usd * 60, 2) == 0.40
    assert t4.accelerator is not None and (t4.accelerator.model, t4.accelerator.vram) == (
        "T4",
        "16 GB",
    )
