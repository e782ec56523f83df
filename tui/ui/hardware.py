"""How hardware flavours read in the app: the name, then what the Hub says about it.

The facts come from the Hub's hardware list (`HfApi.list_spaces_hardware`), never from a table
of our own: prices and sizes change, and a wrong price is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from tui.ui.widgets.space_cells import safe

if TYPE_CHECKING:
    from huggingface_hub import JobHardwareInfo


def hardware_facts(info: JobHardwareInfo) -> str:
    """'2 vCPU, 16 GB (free)', '8 vCPU, 30 GB, 1x Nvidia T4 16 GB ($0.60/hour)'; '' if none."""
    parts = [safe(part, 40) for part in (info.cpu, info.ram) if part and part != "N/A"]
    accelerator = info.accelerator
    if accelerator is not None:
        gpu = f"{accelerator.quantity}x {accelerator.manufacturer} {accelerator.model}"
        parts.append(safe(f"{gpu} {accelerator.vram}".strip(), 60))
    facts = ", ".join(parts)
    cost = _cost(info)
    return f"{facts} ({cost})" if facts and cost else facts or (f"({cost})" if cost else "")


def _cost(info: JobHardwareInfo) -> str:
    if not isinstance(info.unit_cost_usd, int | float):
        return ""
    if info.unit_cost_usd == 0:
        return "free"
    if info.unit_label == "minute":
        return f"${info.unit_cost_usd * 60:.2f}/hour"
    return f"${info.unit_cost_usd:g}/{safe(info.unit_label, 20)}"


def flavour_choices(names: Iterable[str], facts: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, flavour) for a choice list: every known flavour, then any other the Hub lists."""
    ordered = list(dict.fromkeys([*names, *facts]))
    return [(f"{name} — {facts[name]}" if facts.get(name) else name, name) for name in ordered]
