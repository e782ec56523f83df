"""Every test runs in its own home: the developer's token, config and Hugging Face cache are out of reach."""

from __future__ import annotations

import os
from pathlib import Path

import huggingface_hub.constants as hub_constants

from tui.domain.paths import cache_dir, config_dir, data_dir


def _inside(path: str | Path, root: Path) -> bool:
    return Path(path).resolve().is_relative_to(root.resolve())


def test_home_and_every_cache_point_into_this_tests_own_folder(tmp_path_factory) -> None:  # noqa: ANN001
    base = tmp_path_factory.getbasetemp()
    for name in ("HOME", "HF_HOME", "HF_HUB_CACHE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        assert _inside(os.environ[name], base), name
    assert _inside(Path.home(), base)
    for folder in (config_dir(), data_dir(), cache_dir()):
        assert _inside(folder, base), folder


def test_huggingface_hub_reads_its_cache_and_token_from_there_too(tmp_path_factory) -> None:  # noqa: ANN001
    base = tmp_path_factory.getbasetemp()
    for value in (hub_constants.HF_HUB_CACHE, hub_constants.HF_TOKEN_PATH, hub_constants.HF_HOME):
        assert _inside(value, base), value
    assert "HF_TOKEN" not in os.environ and "SPACETUI_CONFIG" not in os.environ


def test_two_tests_do_not_share_a_home(tmp_path_factory) -> None:  # noqa: ANN001
    # The fixture made a fresh folder for this test: nothing earlier tests wrote is there.
    assert not any(Path(os.environ["HF_HOME"]).glob("**/*"))
