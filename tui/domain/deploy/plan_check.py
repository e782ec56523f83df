"""The plan gate wired to the Hub: whoami once, then `plan_gate.check_plan`, before any work.

`check_deploy_plan` is the deploy engine's; `check_new_space` is for a create dialog.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.deploy.options import DeployOptions
from tui.domain.deploy.remote import RemoteState
from tui.domain.errors import SpacetuiError
from tui.domain.plan_gate import ZERO_GPU, check_plan, payer_from_whoami

if TYPE_CHECKING:
    from huggingface_hub import HfApi

    from tui.domain.hub.client import HubClient

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
    await run_hub(
        plan_decision,
        api,
        options.space_id,
        sdk=readme_sdk(options.folder),
        hardware=hardware,
        creating=creating,
    )


async def check_new_space(
    hub: HubClient, space_id: str, *, sdk: str, hardware: str | None = None
) -> None:
    """For a create dialog: raise `PaymentRequired` (one sentence) if the namespace's plan cannot
    host this new Space; any other failure is the usual typed `HubError`."""
    api = hub.hf_api()
    try:
        await asyncio.to_thread(
            plan_decision, api, space_id, sdk=sdk, hardware=hardware, creating=True
        )
    except SpacetuiError:
        raise
    except Exception as exc:
        from tui.domain.http import error_from_exception

        raise error_from_exception(exc, space_id=space_id) from exc


def plan_decision(
    api: HfApi, space_id: str, *, sdk: str, hardware: str | None, creating: bool
) -> None:
    """Blocking: whoami once (and the ZeroGPU count when it matters), then the plan rules."""
    namespace = space_id.split("/", 1)[0]
    payer = payer_from_whoami(api.whoami(), namespace)
    used: int | None = None
    if payer is not None and hardware == ZERO_GPU and sdk != "docker":
        used = zero_gpu_spaces(api, namespace, space_id)
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
        for space in api.list_spaces(author=namespace, expand=["runtime"])
        if space.id != exclude
        and space.runtime is not None
        and space.runtime.requested_hardware == ZERO_GPU
    )
