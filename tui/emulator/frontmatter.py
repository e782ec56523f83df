"""The emulator's own reading of README front matter: cardData, and the rules validate-yaml applies.

Deliberately independent of spacetui's client-side checks: a fake that shared the client's parser
would agree with the client's mistakes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

SDKS = ("gradio", "docker", "static", "streamlit")
COLORS = ("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")
SHORT_DESCRIPTION_MAX = 60
_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*$", re.S | re.M)
_STRING_KEYS = ("title", "sdk_version", "python_version", "app_file", "license")
_BOOL_KEYS = ("pinned", "fullWidth", "disable_embedding")
_LIST_KEYS = ("models", "datasets", "tags", "preload_from_hub")


class FrontMatterError(ValueError):
    """The front matter is not YAML, or not a mapping."""


#: Deeper front matter is refused (cardData is rebuilt recursively; real cards nest 3 or 4 deep).
MAX_DEPTH = 64


def nesting_depth(data: Any) -> int:
    """How deeply lists and mappings nest in `data`, counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return deepest


def split_front_matter(text: str) -> str | None:
    """The YAML between the opening and closing `---` fences, or None when there are none."""
    match = _FENCE.match(text)
    return match.group(1) if match else None


def parse(text: str) -> dict[str, Any] | None:
    """The front matter as a mapping; None without one; FrontMatterError when it is broken."""
    block = split_front_matter(text)
    if block is None:
        return None
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"Invalid YAML in front matter: {_one_line(exc)}") from exc
    except RecursionError:
        raise FrontMatterError("Invalid YAML in front matter: nested too deeply") from None
    if nesting_depth(data) > MAX_DEPTH:
        raise FrontMatterError("Invalid YAML in front matter: nested too deeply")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError('"value" must be of type object')
    return data


def card_data(readme: bytes) -> dict[str, Any] | None:
    """cardData for space_info: lenient, so a broken README yields no cardData rather than an error."""
    try:
        data = parse(readme.decode("utf-8", "replace"))
    except FrontMatterError:
        return None
    return _jsonable(data) if data is not None else None


def validate(text: str, repo_type: str = "space") -> tuple[list[str], list[str]]:
    """Error and warning messages for a README, in the Hub's Joi style."""
    try:
        data = parse(text)
    except FrontMatterError as exc:
        return [str(exc)], []
    if data is None or repo_type != "space":
        return [], []
    errors: list[str] = []
    warnings: list[str] = []
    if "sdk" in data and data["sdk"] not in SDKS:
        errors.append(_one_of("sdk", SDKS))
    for key in ("colorFrom", "colorTo"):
        if key in data and data[key] not in COLORS:
            errors.append(_one_of(key, COLORS))
    if "short_description" in data:
        value = data["short_description"]
        if not isinstance(value, str):
            errors.append('"short_description" must be a string')
        elif len(value) > SHORT_DESCRIPTION_MAX:
            errors.append(
                f'"short_description" length must be less than or equal to '
                f"{SHORT_DESCRIPTION_MAX} characters long"
            )
    if "app_port" in data:
        errors.extend(_port_errors(data["app_port"]))
    if "emoji" in data and not _is_single_emoji(data["emoji"]):
        errors.append(f'"emoji" with value "{data["emoji"]}" fails to match the emoji pattern')
    for key in _STRING_KEYS:
        value = data.get(key, "")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            errors.append(f'"{key}" must be a string')
    for key in _BOOL_KEYS:
        if key in data and not isinstance(data[key], bool):
            errors.append(f'"{key}" must be a boolean')
    for key in _LIST_KEYS:
        if key in data and not isinstance(data[key], list | str):
            errors.append(f'"{key}" must be an array')
    return errors, warnings


def _port_errors(value: object) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return ['"app_port" must be a number']
    if value < 1025:
        return ['"app_port" must be greater than or equal to 1025']
    if value > 65535:
        return ['"app_port" must be less than or equal to 65535']
    return []


def _one_of(key: str, allowed: tuple[str, ...]) -> str:
    return f'"{key}" must be one of [{", ".join(allowed)}]'


def _is_single_emoji(value: object) -> bool:
    """One pictographic grapheme (modifiers, variation selectors and ZWJ sequences allowed)."""
    if not isinstance(value, str) or not value:
        return False
    joiners = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}
    core = [ch for ch in value if ch not in joiners and not 0x1F3FB <= ord(ch) <= 0x1F3FF]
    if not core or len(core) > 7:
        return False
    return all(
        unicodedata.category(ch) == "So" or 0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in core
    ) and (len(core) == 1 or "\u200d" in value or all(0x1F1E6 <= ord(ch) <= 0x1F1FF for ch in core))


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _jsonable(value: Any) -> Any:
    """YAML dates and other non-JSON scalars become strings."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
