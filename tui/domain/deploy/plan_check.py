"""The plan gate wired to a deploy: whoami once, then `plan_gate.check_plan`, before any work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from huggingface_hub import HfApi

from tui.domain.deploy.options import DeployOptions
from tui.domain.deploy.remote import RemoteState
from tui.domain.plan_gate import ZERO_GPU, check_plan, payer_from_whoami

#: Runs a blocking huggingface_hub call off the event loop, mapping its errors (the engine's).
RunHub = Callable[..., Awaitable[Any]]


async def check_deploy_plan(
    api: HfApi,
    options: DeployOptions,
    remote_state: Awaitable[RemoteState],
    run_hub: RunHub,
) -> None:
    """Raise `PaymentRequired` if the Hub would refuse this deploy for the namespace's plan.

    Asks nothing when the deploy neither creates a Space nor requests hardware; otherwise reads
    whoami-v2 once (and, for ZeroGPU, counts the namespace's ZeroGPU Spaces).
    """
    hardware = options.hardware
    if not options.create and hardware in (None, "cpu-basic"):
        return
    creating = options.create and not (await remote_state).exists
    if not creating and hardware in (None, "cpu-basic"):
        return
    namespace = options.space_id.split("/", 1)[0]
    payer = payer_from_whoami(await run_hub(api.whoami), namespace)
    sdk = readme_sdk(options.folder)
    used: int | None = None
    if payer is not None and hardware == ZERO_GPU and sdk != "docker":
        used = await run_hub(zero_gpu_spaces, api, namespace, options.space_id)
    check_plan(
        payer,
        sdk=sdk,
        hardware=hardware,
        creating=creating,
        zero_gpu_used=None if used is None else (lambda: used),
    )


def readme_sdk(folder: Path) -> str:
    """The `sdk` README.md's front matter declares (the Space gets it at creation), else docker."""
    from tui.domain.checks.frontmatter import parse_front_matter

    try:
        text = (folder / "README.md").read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return "docker"
    data = parse_front_matter(text).data or {}
    sdk = data.get("sdk")
    return sdk if isinstance(sdk, str) else "docker"


def zero_gpu_spaces(api: HfApi, namespace: str, exclude: str) -> int:
    """How many of the namespace's Spaces (other than `exclude`) asked for ZeroGPU."""
    return sum(
        1
        for space in api.list_spaces(author=namespace, expand=["runtime"])  # type: ignore[list-item]
        if space.id != exclude
        and space.runtime is not None
        and space.runtime.requested_hardware == ZERO_GPU
    )
