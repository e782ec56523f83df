"""What the simulated builder reads from a revision's README front matter (sdk, app_port, app_file).

The emulator's own tiny reader (it must not share the client's parser): a missing or broken
front matter becomes the CONFIG_ERROR message the Hub shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from tui.emulator.frontmatter import MAX_DEPTH, nesting_depth

SDKS = ("gradio", "docker", "static", "streamlit")
MISSING_CONFIG = "Missing configuration in README"
DEFAULT_STARTUP_TIMEOUT = 30 * 60.0

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*$", re.DOTALL | re.MULTILINE)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$")


@dataclass(frozen=True)
class SpaceConfig:
    """The README settings that change how a Space builds and starts."""

    sdk: str
    app_port: int = 7860
    app_file: str | None = None
    sdk_version: str | None = None
    python_version: str | None = None
    startup_timeout: float = DEFAULT_STARTUP_TIMEOUT

    @property
    def startup_timeout_text(self) -> str:
        """The Hub phrases the limit in minutes: `… not healthy after 30 min`."""
        return f"{round(self.startup_timeout / 60)} min"


DEEP_CONFIG = "Invalid YAML in README metadata: nested too deeply"


def read_config(files: Mapping[str, bytes]) -> SpaceConfig | str:
    """The Space's config, or the CONFIG_ERROR message explaining why there is none."""
    raw = files.get("README.md")
    if raw is None:
        return MISSING_CONFIG
    text = raw.decode("utf-8", errors="replace")
    match = _FRONT.match(text)
    if not match:
        return MISSING_CONFIG
    try:
        card = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        return f"Invalid YAML in README metadata: {first}"
    except RecursionError:
        return DEEP_CONFIG
    if nesting_depth(card) > MAX_DEPTH:
        return DEEP_CONFIG
    if not isinstance(card, dict):
        return MISSING_CONFIG
    sdk = card.get("sdk")
    if sdk is None:
        return MISSING_CONFIG
    if sdk not in SDKS:
        return f'"sdk" must be one of [{", ".join(SDKS)}]'
    port = card.get("app_port", 7860)
    if isinstance(port, bool) or not isinstance(port, int) or not 1025 <= port <= 65535:
        return '"app_port" must be an integer between 1025 and 65535'
    app_file = card.get("app_file")
    timeout = _duration(card.get("startup_duration_timeout"))
    return SpaceConfig(
        sdk=sdk,
        app_port=port,
        app_file=app_file if isinstance(app_file, str) else None,
        sdk_version=_text(card.get("sdk_version")),
        python_version=_text(card.get("python_version")),
        startup_timeout=timeout if timeout is not None else DEFAULT_STARTUP_TIMEOUT,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _duration(value: object) -> float | None:
    """`startup_duration_timeout` like `1h` or `45m` in seconds (None when absent or unreadable)."""
    if value is None:
        return None
    match = _DURATION.match(str(value))
    if not match:
        return None
    scale = {"s": 1, "m": 60, "h": 3600}[match.group(2) or "m"]
    return float(match.group(1)) * scale
