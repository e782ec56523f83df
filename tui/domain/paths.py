"""Where spacetui keeps its files: the XDG base directories, resolved at call time."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming a spacetui.yaml to use instead of the XDG one.
CONFIG_ENV = "SPACETUI_CONFIG"
CONFIG_FILENAME = "spacetui.yaml"


def _xdg_dir(variable: str, fallback: str) -> Path:
    # The spec says a relative value is invalid and must be ignored.
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_home() -> Path:
    """`$XDG_CONFIG_HOME`, or `~/.config`."""
    return _xdg_dir("XDG_CONFIG_HOME", ".config")


def data_home() -> Path:
    """`$XDG_DATA_HOME`, or `~/.local/share`."""
    return _xdg_dir("XDG_DATA_HOME", ".local/share")


def cache_home() -> Path:
    """`$XDG_CACHE_HOME`, or `~/.cache`."""
    return _xdg_dir("XDG_CACHE_HOME", ".cache")


def default_config_path() -> Path:
    """`$XDG_CONFIG_HOME/spacetui/spacetui.yaml`."""
    return config_home() / "spacetui" / CONFIG_FILENAME


def resolve_config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file to use: `--config FILE`, then `$SPACETUI_CONFIG`, then the XDG default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_config_path()
