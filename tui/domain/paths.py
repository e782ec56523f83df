"""Where spacetui keeps its files: platformdirs' per-OS folders, resolved at call time.

On Linux these are the XDG base directories (`~/.config/spacetui`, `~/.local/share/spacetui`,
`~/.cache/spacetui`, each moved by its `$XDG_*_HOME` when that is absolute); on macOS
`~/Library/Application Support/spacetui` and `~/Library/Caches/spacetui`; on Windows
`%LOCALAPPDATA%\\spacetui`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

#: Environment variable naming a spacetui.yaml to use instead of the per-user one.
CONFIG_ENV = "SPACETUI_CONFIG"
CONFIG_FILENAME = "spacetui.yaml"
APP_NAME = "spacetui"


def config_dir() -> Path:
    """spacetui's config folder (Linux: `$XDG_CONFIG_HOME/spacetui`, or `~/.config/spacetui`)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """spacetui's data folder (Linux: `$XDG_DATA_HOME/spacetui`, or `~/.local/share/spacetui`)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """spacetui's cache folder (Linux: `$XDG_CACHE_HOME/spacetui`, or `~/.cache/spacetui`)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def default_config_path() -> Path:
    """The per-user spacetui.yaml (Linux: `$XDG_CONFIG_HOME/spacetui/spacetui.yaml`)."""
    return config_dir() / CONFIG_FILENAME


def resolve_config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file to use: `--config FILE`, then `$SPACETUI_CONFIG`, then the per-user one."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_config_path()


def folder_id(folder: Path) -> str:
    """A file name for a folder's own cache files (stat cache, deploy stamp): a hash of its path."""
    return hashlib.sha256(os.fsencode(folder)).hexdigest()[:32]
