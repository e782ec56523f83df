"""The demo seed: each intended stage, real-looking files and logs, and a demo that stays alive."""

from __future__ import annotations

import itertools

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import RepositoryNotFoundError

from tests.helpers.hub import ALICE_TOKEN
from tui.emulator.clock import ManualClock
from tui.emulator.seed import EXPECTED_STAGES
from tui.emulator.server import DEMO_TOKEN, DEMO_USER, RunningEmulator, build_state


@pytest.fixture
def demo_api(demo_emulator: RunningEmulator) -> HfApi:
    return HfApi(endpoint=demo_emulator.url, token=DEMO_TOKEN)


def test_each_demo_space_is_in_its_intended_stage(demo_api: HfApi) -> None:
    stages = {space_id: demo_api.get_space_runtime(space_id).stage for space_id in EXPECTED_STAGES}
    assert stages == EXPECTED_STAGES
    wanted = {"RUNNING", "BUILDING", "BUILD_ERROR", "RUNTIME_ERROR", "PAUSED", "SLEEPING"}
    assert wanted <= set(stages.values())


def test_the_demo_account_lists_its_spaces_with_runtimes(demo_api: HfApi) -> None:
    listed = {space.id for space in demo_api.list_spaces(author=DEMO_USER)}
    listed |= {space.id for space in demo_api.list_spaces(author="demo-org")}
    assert set(EXPECTED_STAGES) <= listed
    sdks = {demo_api.space_info(space_id).sdk for space_id in EXPECTED_STAGES}
    assert {"docker", "gradio", "streamlit", "static"} <= sdks


def test_demo_spaces_have_real_looking_files_and_card_data(demo_api: HfApi) -> None:
    info = demo_api.space_info(f"{DEMO_USER}/todo-api")
    assert info.card_data is not None and info.card_data["sdk"] == "docker"
    assert info.card_data["title"] == "Todo API"
    names = {sibling.rfilename for sibling in info.siblings or []}
    assert {"README.md", "Dockerfile", "app.py", "requirements.txt"} <= names


def test_private_demo_spaces_are_invisible_to_others(demo_emulator: RunningEmulator) -> None:
    alice = HfApi(endpoint=demo_emulator.url, token=ALICE_TOKEN)
    with pytest.raises(RepositoryNotFoundError):
        alice.space_info("demo-org/image-captioner")
    assert alice.space_info(f"{DEMO_USER}/todo-api").id == f"{DEMO_USER}/todo-api"


def test_failures_carry_their_real_error_texts(demo_api: HfApi) -> None:
    uv = demo_api.get_space_runtime(f"{DEMO_USER}/uv-quickstart")
    assert uv.raw["errorMessage"] == "Job failed with exit code: 2"
    build = list(demo_api.fetch_space_logs(f"{DEMO_USER}/uv-quickstart", build=True))
    assert any(
        line.startswith("error: No virtual environment found; run `uv venv`") for line in build
    )
    timeout = demo_api.get_space_runtime(f"{DEMO_USER}/sentiment-bot")
    assert timeout.raw["errorMessage"] == "launch timed out, space was not healthy after 30 min"
    crash = demo_api.get_space_runtime("demo-org/internal-metrics")
    assert "ModuleNotFoundError: No module named 'pandas'" in crash.raw["errorMessage"]
    config = demo_api.get_space_runtime(f"{DEMO_USER}/broken-readme")
    assert config.raw["errorMessage"] == "Missing configuration in README"


def test_demo_logs_have_ansi_colours_and_keep_flowing(demo_api: HfApi) -> None:
    build = list(demo_api.fetch_space_logs(f"{DEMO_USER}/todo-api", build=True))
    assert any("\x1b[" in line for line in build)
    history = list(demo_api.fetch_space_logs(f"{DEMO_USER}/todo-api"))
    assert history[0].startswith("===== Application Startup at ")
    assert any(line.startswith("\x1b[32mINFO\x1b[0m:     Uvicorn running on") for line in history)
    # Hours of traffic already, and more arriving: follow past the replay.
    live = list(
        itertools.islice(
            demo_api.fetch_space_logs(f"{DEMO_USER}/todo-api", follow=True), len(history) + 2
        )
    )
    assert live[: len(history)] == history
    assert all(" HTTP/1.1" in line for line in live[len(history) :])


def test_the_demo_looks_alive_at_speed_one() -> None:
    clock = ManualClock()
    state = build_state(seed="demo", speed=1.0, clock=clock)

    def count(space_id: str, kind: str) -> int:
        space = state.get_space(space_id)
        assert space is not None
        return len(space.life.log(kind).events_until(clock.now()))

    running = count(f"{DEMO_USER}/todo-api", "run")
    building = count(f"{DEMO_USER}/llm-finetune-studio", "build")
    clock.advance(60)
    assert count(f"{DEMO_USER}/todo-api", "run") >= running + 4
    assert count(f"{DEMO_USER}/llm-finetune-studio", "build") >= building + 2
    stage = state.get_space(f"{DEMO_USER}/llm-finetune-studio").life.runtime()["stage"]  # type: ignore[union-attr]
    assert stage == "BUILDING"
    # The long build does finish, and the app then serves.
    clock.advance(15 * 60)
    stage = state.get_space(f"{DEMO_USER}/llm-finetune-studio").life.runtime()["stage"]  # type: ignore[union-attr]
    assert stage == "RUNNING"


def test_demo_timestamps_agree_with_the_texts_that_name_a_time() -> None:
    """Backdated plans print the time they happened at, not the time the seed ran."""
    import time

    clock = ManualClock()
    state = build_state(seed="demo", speed=1.0, clock=clock)
    space = state.get_space(f"{DEMO_USER}/todo-api")
    assert space is not None
    first = space.life.log("build").events_until(clock.now())[0]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(first.time))
    assert first.text.startswith(f"===== Build Queued at {stamp} ")
    assert clock.now() - first.time > 2.9 * 3600


def test_each_demo_history_is_in_time_order(demo_api: HfApi) -> None:
    # The initial commit was dated "now" while the seed's commit was backdated, so
    # `spacetui history` showed the repo's first commit as the newest.
    for space in demo_api.list_spaces(author="demo"):
        commits = demo_api.list_repo_commits(space.id, repo_type="space")
        times = [commit.created_at for commit in commits]
        assert times == sorted(times, reverse=True), space.id
