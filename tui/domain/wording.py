"""How counts read in spacetui, in the app and the headless commands: "no errors", "1 file", "5 files"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` with `noun` in the right number: 0 -> 'no files', 1 -> '1 file', 5 -> '5 files'."""
    many = plural if plural is not None else f"{noun}s"
    if count == 0:
        return f"no {many}"
    return f"{count} {noun if count == 1 else many}"
