"""A storage that keeps answering 503 is the typed HubUnavailable sentence (issue 14 point 12)."""

from __future__ import annotations

import os
import time
import types
from pathlib import Path

import pytest

from .conftest import DeployRun


@pytest.fixture
def no_hub_retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """huggingface_hub's own retries (1, 2, 4, 8, 8 s) are recorded instead of slept."""
    import huggingface_hub.utils._http as hub_http

    waits: list[float] = []
    fake = types.SimpleNamespace(
        **{n: getattr(time, n) for n in dir(time) if not n.startswith("_")}
    )
    fake.sleep = waits.append
    monkeypatch.setattr(hub_http, "time", fake)
    return waits


async def test_a_persistent_lfs_503_says_the_hub_is_unavailable(
    deploy: DeployRun, space_folder: Path, emulator, no_hub_retry_waits: list[float], monkeypatch
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)  # the plain LFS path
    emulator.state.lfs_uploads = True
    (space_folder / "weights.bin").write_bytes(os.urandom(256 * 1024))
    emulator.faults.set(route="/lfs-storage/", status=503)
    result = await deploy(space_folder, create=True, follow=False)
    assert result.outcome == "error"
    assert result.message.startswith("The Hub is unavailable right now (HTTP 503)"), result.message
    assert "Unexpected" not in result.message and "RuntimeError" not in result.message
    assert "alice/app was created by this deploy and has no files yet." in result.message
    assert no_hub_retry_waits  # the Hub client did retry before giving up
