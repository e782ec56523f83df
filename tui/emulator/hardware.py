"""`GET /api/spaces/hardware`: the flavours a Space may run on, in the shape the Hub answers.

The specs and hourly prices are the table of https://huggingface.co/docs/hub/spaces-gpus as it
read when this was written (they change; the real Hub's answer is what spacetui shows against
it). Prices go out per minute, as the Hub's hardware list states them (`unitLabel: "minute"`).
Flavours the page gives no row for (cpu-xl, zero-a10g, a100x4, a100x8, h100, h100x8) are not
listed, though a Space may still request them.
"""

from __future__ import annotations

from typing import Any

# name, pretty name, vCPU, RAM GB, (gpu count, model, total VRAM GB) or None, disk GB, USD/hour
_TABLE: tuple[tuple[str, str, int, int, tuple[int, str, int] | None, int, float], ...] = (
    ("cpu-basic", "CPU Basic", 2, 16, None, 50, 0.0),
    ("cpu-upgrade", "CPU Upgrade", 8, 32, None, 50, 0.03),
    ("t4-small", "Nvidia T4 - small", 4, 15, (1, "T4", 16), 50, 0.40),
    ("t4-medium", "Nvidia T4 - medium", 8, 30, (1, "T4", 16), 100, 0.60),
    ("l4x1", "1x Nvidia L4", 8, 30, (1, "L4", 24), 400, 0.80),
    ("l4x4", "4x Nvidia L4", 48, 186, (4, "L4", 96), 3200, 3.80),
    ("l40sx1", "1x Nvidia L40S", 8, 62, (1, "L40S", 48), 380, 1.80),
    ("l40sx4", "4x Nvidia L40S", 48, 382, (4, "L40S", 192), 3200, 8.30),
    ("l40sx8", "8x Nvidia L40S", 192, 1534, (8, "L40S", 384), 6500, 23.50),
    ("a10g-small", "Nvidia A10G - small", 4, 15, (1, "A10G", 24), 110, 1.00),
    ("a10g-large", "Nvidia A10G - large", 12, 46, (1, "A10G", 24), 200, 1.50),
    ("a10g-largex2", "2x Nvidia A10G - large", 24, 92, (2, "A10G", 48), 1000, 3.00),
    ("a10g-largex4", "4x Nvidia A10G - large", 48, 184, (4, "A10G", 96), 2000, 5.00),
    ("a100-large", "Nvidia A100 - large", 12, 142, (1, "A100", 80), 1000, 4.00),
)


def hardware_list() -> list[dict[str, Any]]:
    """Every listed flavour as the Hub describes it (`HfApi.list_spaces_hardware` reads it)."""
    return [_entry(*row) for row in _TABLE]


def _entry(
    name: str,
    pretty: str,
    cpu: int,
    ram: int,
    gpu: tuple[int, str, int] | None,
    disk: int,
    per_hour: float,
) -> dict[str, Any]:
    per_minute = per_hour / 60
    entry: dict[str, Any] = {
        "name": name,
        "prettyName": pretty,
        "cpu": f"{cpu} vCPU",
        "ram": f"{ram} GB",
        "ephemeralStorage": f"{disk} GB",
        "unitCostMicroUSD": round(per_minute * 1_000_000),
        "unitCostUSD": round(per_minute, 6),
        "unitLabel": "minute",
    }
    if gpu is not None:
        count, model, vram = gpu
        entry["accelerator"] = {
            "type": "gpu",
            "model": model,
            "quantity": str(count),
            "vram": f"{vram} GB",
            "manufacturer": "Nvidia",
        }
    return entry
