"""Each Space's app URL on the emulator (Host `{subdomain}.hf.space`), over real loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN
from tui.emulator.clock import ManualClock
from tui.emulator.routes_app import ERROR_MESSAGE
from tui.emulator.server import RunningEmulator, serve_emulator

DOCKER_APP = {
    "README.md": b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n",
    "Dockerfile": b'FROM python:3.12\nCMD ["python", "-m", "http.server", "7860"]\n',
}
BROKEN_APP = {
    "README.md": b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n",
    "Dockerfile": b"FROM python:3.12\nRUN exit 3\n",
}


@pytest.fixture
def emu() -> Iterator[RunningEmulator]:
    with serve_emulator(
        users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN}, speed=100, clock=ManualClock()
    ) as running:
        yield running


def get(
    emu: RunningEmulator, host: str, path: str = "/", token: str | None = ALICE_TOKEN, **kw: object
) -> httpx.Response:
    headers = {"host": host}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return httpx.get(f"{emu.url}{path}", headers=headers, **kw)  # type: ignore[arg-type]


def running(
    emu: RunningEmulator,
    space_id: str,
    files: dict[str, bytes],
    *,
    sdk: str = "docker",
    private: bool = False,
) -> None:
    emu.state.create_space(space_id, sdk=sdk, private=private)
    emu.state.commit(space_id, files)
    emu.clock.advance(30)  # type: ignore[attr-defined]  # 50 simulated minutes


def test_a_running_space_answers_on_its_subdomain(emu: RunningEmulator) -> None:
    running(emu, "alice/My_App", DOCKER_APP)
    assert emu.state.spaces["alice/My_App"].life.stage == "RUNNING"
    answer = get(emu, "alice-my-app.hf.space", "/health")
    assert answer.status_code == 200 and "alice/My_App answers /health" in answer.text
    # The Hub itself still answers at the same address without that Host header.
    assert httpx.get(f"{emu.url}/api/spaces/alice/My_App").status_code == 200


def test_a_static_space_serves_its_files(emu: RunningEmulator) -> None:
    running(
        emu,
        "alice/site",
        {"index.html": b"<h1>hello</h1>", "README.md": b"---\nsdk: static\n---\n"},
        sdk="static",
    )
    assert get(emu, "alice-site.hf.space").text == "<h1>hello</h1>"
    assert get(emu, "alice-site.hf.space", "/missing.js").status_code == 404


def test_an_error_stage_answers_503_your_space_is_in_error(emu: RunningEmulator) -> None:
    running(emu, "alice/broken", BROKEN_APP)
    assert emu.state.spaces["alice/broken"].life.stage.endswith("_ERROR")
    answer = get(emu, "alice-broken.hf.space")
    assert answer.status_code == 503 and ERROR_MESSAGE in answer.text


def test_building_is_503_and_unknown_or_private_is_404(emu: RunningEmulator) -> None:
    emu.state.create_space("alice/fresh", sdk="docker")
    emu.state.commit("alice/fresh", DOCKER_APP)
    assert get(emu, "alice-fresh.hf.space").status_code == 503
    assert get(emu, "nobody-here.hf.space").status_code == 404
    running(emu, "alice/secret", DOCKER_APP, private=True)
    assert get(emu, "alice-secret.hf.space", token=None).status_code == 404
    assert get(emu, "alice-secret.hf.space", token=BOB_TOKEN).status_code == 404
    assert get(emu, "alice-secret.hf.space").status_code == 200


def test_an_injected_fault_breaks_the_app_while_the_stage_says_running(
    emu: RunningEmulator,
) -> None:
    running(emu, "alice/app", DOCKER_APP)
    set_fault = httpx.post(
        f"{emu.url}/_emulator/app-faults", json={"space_id": "alice/app", "status": 502}
    )
    assert set_fault.status_code == 200
    assert get(emu, "alice-app.hf.space").status_code == 502
    assert httpx.get(f"{emu.url}/api/spaces/alice/app/runtime").json()["stage"] == "RUNNING"
    emu.app_faults.set("alice/app", hang=True)
    with pytest.raises(httpx.ReadTimeout):
        get(emu, "alice-app.hf.space", timeout=httpx.Timeout(5.0, read=0.2))
    assert httpx.delete(f"{emu.url}/_emulator/app-faults").json() == {"app_faults": []}
    assert get(emu, "alice-app.hf.space").status_code == 200


def test_app_requests_are_not_counted_by_the_hubs_rate_limit() -> None:
    with serve_emulator(users={ALICE: ALICE_TOKEN}, quota=1, clock=ManualClock()) as emu:
        running(emu, "alice/app", DOCKER_APP)
        answers = [get(emu, "alice-app.hf.space").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
