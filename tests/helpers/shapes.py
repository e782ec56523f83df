"""Compare a response with a recorded Hub payload: every recorded key present, with the same type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hub"


def load_fixture(name: str) -> Any:
    text = (FIXTURES / name).read_text()
    return json.loads(text) if name.endswith((".json",)) else text


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_mismatches(
    recorded: Any, actual: Any, *, optional: frozenset[str] = frozenset(), at: str = ""
) -> list[str]:
    """Where `actual` lacks a recorded key or has another type; `null` on either side is allowed
    (the Hub itself sends `null` for e.g. hardware.current while building)."""
    if recorded is None or actual is None:
        return []
    if _kind(recorded) != _kind(actual):
        return [f"{at or '<root>'}: recorded {_kind(recorded)}, got {_kind(actual)}"]
    problems: list[str] = []
    if isinstance(recorded, dict):
        for key, value in recorded.items():
            where = f"{at}.{key}" if at else key
            if key not in actual:
                if where not in optional:
                    problems.append(f"{where}: missing")
                continue
            problems += shape_mismatches(value, actual[key], optional=optional, at=where)
    elif isinstance(recorded, list) and recorded and actual:
        problems += shape_mismatches(recorded[0], actual[0], optional=optional, at=f"{at}[0]")
    return problems
