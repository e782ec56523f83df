"""Test-wide hygiene: no real token, endpoint or config can leak in from the developer's machine."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tui.emulator.server import RunningEmulator, serve_emulator

if TYPE_CHECKING:
    from huggingface_hub import HfApi

#: Set before any test module imports huggingface_hub (it reads HF_HOME/HF_HUB_CACHE into constants
#: at import time): a process-wide scratch home, so even code that runs outside a test's fixtures
#: (collection, a worker's start) never writes into the developer's real caches or config.
_SCRATCH_HOME = tempfile.mkdtemp(prefix="spacetui-tests-home-")
atexit.register(shutil.rmtree, _SCRATCH_HOME, ignore_errors=True)
_HOME_VARIABLES = {
    "HOME": "",
    "HF_HOME": "hf",
    "HF_HUB_CACHE": "hf/hub",
    "HF_XET_CACHE": "hf/xet",
    "HF_ASSETS_CACHE": "hf/assets",
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
}
for _name, _sub in _HOME_VARIABLES.items():
    os.environ[_name] = os.path.join(_SCRATCH_HOME, _sub)
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_UPDATE_CHECK"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
# CI and GITHUB_STEP_SUMMARY too: CI mode (`deploy --ci`) must be on only where a test asks for it.
for _name in (
    "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN",
    "HF_ENDPOINT",
    "SPACETUI_CONFIG",
    "CI",
    "GITHUB_STEP_SUMMARY",
):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh HOME, HF_HOME/HF_HUB_CACHE and XDG dirs per test: no saved token, config or cache
    of the developer is read or written (`hf_hub_download` without `cache_dir` included)."""
    home = tmp_path_factory.mktemp("home")
    for name, sub in _HOME_VARIABLES.items():
        monkeypatch.setenv(name, str(home / sub))
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "SPACETUI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    # huggingface_hub copied the variables into constants when it was imported; its functions
    # read the constants at call time, so these are what keep its cache and token per test.
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        hf = home / "hf"
        for attribute, value in {
            "HF_HOME": hf,
            "HF_HUB_CACHE": hf / "hub",
            "HUGGINGFACE_HUB_CACHE": hf / "hub",
            "HF_XET_CACHE": hf / "xet",
            "HF_ASSETS_CACHE": hf / "assets",
            "HUGGINGFACE_ASSETS_CACHE": hf / "assets",
            "HF_TOKEN_PATH": hf / "token",
            "HF_STORED_TOKENS_PATH": hf / "stored_tokens",
        }.items():
            if hasattr(constants, attribute):
                monkeypatch.setattr(constants, attribute, str(value))


# -- the `slow` marker ---------------------------------------------------------------------------

#: Measured slow tests, one node id per line (docs/development.md says how to measure again).
_SLOW_LIST = Path(__file__).with_name("slow_tests.txt")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests listed in tests/slow_tests.txt `slow`, so `-m "not slow"` is the fast loop.

    A list rather than decorators: the measured figures live in one file, regenerated in one go,
    and test files owned by others need no edit.
    """
    listed = {
        line.strip()
        for line in _SLOW_LIST.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for item in items:
        if item.nodeid.split("[", 1)[0] in listed:
            item.add_marker(pytest.mark.slow)


# -- emulator fixtures (shared by every area's integration tests) --------------------------------

# The accounts live in tests.helpers.hub; re-exported for files not yet importing from there.
from tests.helpers.hub import ALICE, ALICE_TOKEN, BOB, BOB_TOKEN, TEST_SPEED  # noqa: E402

__all__ = ["ALICE", "ALICE_TOKEN", "BOB", "BOB_TOKEN", "TEST_SPEED"]


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh empty emulator on a free loopback port with users alice and bob."""
    with serve_emulator(
        seed="empty", users={ALICE: ALICE_TOKEN, BOB: BOB_TOKEN}, speed=TEST_SPEED
    ) as emu:
        yield emu


@pytest.fixture
def demo_emulator() -> Iterator[RunningEmulator]:
    """A fresh emulator with the demo account (`demo` / `hf_spacetui_demo_token`) and its Spaces."""
    with serve_emulator(seed="demo", users={ALICE: ALICE_TOKEN}, speed=TEST_SPEED) as emu:
        yield emu


@pytest.fixture
def alice_api(emulator: RunningEmulator) -> HfApi:
    """The real huggingface_hub client, as alice, against `emulator`."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=emulator.url, token=ALICE_TOKEN)


@pytest.fixture
def bob_api(emulator: RunningEmulator) -> HfApi:
    """The real huggingface_hub client, as bob, against `emulator`."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=emulator.url, token=BOB_TOKEN)


@pytest.fixture(autouse=True)
def _own_known_secrets() -> Iterator[None]:
    """Each test starts with the secrets the process knew before it and leaves none behind.

    `register_secret` is process-wide on purpose (every message is redacted, whichever client
    built it); across tests it let one test's secret value (say `secret`) redact the words of
    another's expected output, depending on which tests an xdist worker ran before.
    """
    from tui.domain import redact

    before = set(redact._known_secrets)
    yield
    redact._known_secrets.clear()
    redact._known_secrets.update(before)
