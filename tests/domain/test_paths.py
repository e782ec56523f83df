"""spacetui's folders come from platformdirs and keep today's Linux (XDG) locations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.domain.paths import cache_dir, config_dir, data_dir, default_config_path

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the XDG layout is Linux's")


def test_the_xdg_variables_move_every_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "k"))
    assert config_dir() == tmp_path / "c" / "spacetui"
    assert data_dir() == tmp_path / "d" / "spacetui"
    assert cache_dir() == tmp_path / "k" / "spacetui"
    assert default_config_path() == tmp_path / "c" / "spacetui" / "spacetui.yaml"


def test_without_them_the_folders_are_under_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name)
    assert config_dir() == tmp_path / ".config" / "spacetui"
    assert data_dir() == tmp_path / ".local" / "share" / "spacetui"
    assert cache_dir() == tmp_path / ".cache" / "spacetui"
