"""How byte counts are shown everywhere in spacetui: decimal units, as the Hub shows them."""

from __future__ import annotations

_UNITS = ("kB", "MB", "GB", "TB")


def format_bytes(size: float) -> str:
    """1536 -> '1.5 kB', 300_000_000 -> '300.0 MB' (powers of 1000, like the Hub and pip)."""
    if abs(size) < 1000:
        return f"{size:.0f} B"
    for unit in _UNITS:
        size /= 1000
        if abs(size) < 1000 or unit == _UNITS[-1]:
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")
