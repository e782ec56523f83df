"""After an upload the deploy engine hands the freed heap back to the OS (issue 13, bug 11)."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest

from tui.domain import memory
from tui.domain.deploy import engine


async def test_the_heap_is_trimmed_once_the_commit_landed(
    emulator,  # noqa: ANN001 - the shared emulator fixture
    deploy,  # noqa: ANN001
    space_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trims: list[int] = []

    def trim() -> bool:
        trims.append(len(deploy.of("commit")))  # how many commits were seen when it ran
        return True

    monkeypatch.setattr(engine, "release_free_memory", trim)
    result = await deploy(space_folder, create=True, follow=False)
    assert result.ok and result.outcome == "uploaded", result.message
    assert trims == [0]  # once, right after the upload thread returned, before the commit event
    unchanged = await deploy(space_folder, follow=False)
    assert unchanged.outcome == "unchanged" and trims == [0]  # nothing sent, nothing to give back


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_release_free_memory_reaches_glibc() -> None:
    assert memory.release_free_memory() is True
