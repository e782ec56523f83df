"""The plan gate: refuse, before any work, what the Hub's paid-hosting rules would refuse anyway.

Since July 2026 the Hub answers 402 to a Gradio or Docker Space created on a free account or a
free organisation (static Spaces stay free; ZeroGPU is capped: 2 Spaces for a free account,
10 for PRO, 50 for a Team/Enterprise organisation), and 403 to paid hardware for a namespace
without a payment method. The gate reads the plan once from whoami-v2 (`isPro`, `canPay`, each
org's `plan` and `canPay`) and names the rule and the ways out in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.domain.errors import PaymentRequired

PRO_URL = "https://huggingface.co/pro"
BILLING_URL = "https://huggingface.co/settings/billing"
ZERO_GPU = "zero-a10g"
FREE_HARDWARE = frozenset({"cpu-basic", ZERO_GPU})
#: Org plans that pay for hosting (whoami-v2 gives an org's plan as a string; shape unconfirmed).
PAID_ORG_PLANS = frozenset({"team", "enterprise"})
ZERO_GPU_CAPS = {"free": 2, "pro": 10, "team": 50, "enterprise": 50}


@dataclass(frozen=True)
class Payer:
    """Who pays for a Space in a namespace, as whoami-v2 tells it."""

    namespace: str
    plan: str  # free | pro | team | enterprise
    can_pay: bool
    is_org: bool

    @property
    def paid(self) -> bool:
        return self.plan != "free"

    @property
    def zero_gpu_cap(self) -> int:
        return 0 if self.is_org and not self.paid else ZERO_GPU_CAPS.get(self.plan, 0)

    @property
    def label(self) -> str:
        kind = "organisation" if self.is_org else "account"
        return f"{self.namespace} ({'a free' if not self.paid else self.plan.title()} {kind})"


def payer_from_whoami(whoami: Mapping[str, Any], namespace: str) -> Payer | None:
    """The namespace's plan, or None when whoami does not say (not the user, not one of its orgs)."""
    if whoami.get("name") == namespace:
        plan = "pro" if whoami.get("isPro") else "free"
        return Payer(namespace, plan, bool(whoami.get("canPay")), is_org=False)
    for org in whoami.get("orgs") or ():
        if isinstance(org, Mapping) and org.get("name") == namespace:
            raw = org.get("plan")
            plan = str(raw).lower() if isinstance(raw, str) else "free"
            plan = plan if plan in PAID_ORG_PLANS else "free"
            return Payer(namespace, plan, bool(org.get("canPay")), is_org=True)
    return None


def check_plan(
    payer: Payer | None,
    *,
    sdk: str,
    hardware: str | None,
    creating: bool,
    zero_gpu_used: Callable[[], int] | None = None,
) -> None:
    """Raise `PaymentRequired` with one sentence if the Hub would refuse this for its plan.

    `zero_gpu_used` counts the namespace's ZeroGPU Spaces; it is only called when that matters.
    """
    if payer is None or sdk == "static":
        return  # not ours to judge (the Hub decides), or static: free for everyone
    flavor = hardware or "cpu-basic"
    if flavor == ZERO_GPU:
        if sdk == "docker":
            raise PaymentRequired(
                "ZeroGPU (zero-a10g) runs only Gradio Spaces: make the Space `sdk: gradio`, or "
                "choose other hardware."
            )
        cap = payer.zero_gpu_cap
        if zero_gpu_used is not None and zero_gpu_used() >= cap:
            raise PaymentRequired(
                f"{payer.label} may host at most {cap} ZeroGPU Spaces and has that many: free one "
                f"up, subscribe to PRO ({PRO_URL}: 10), or deploy under an organisation with a "
                "Team or Enterprise plan (50)."
            )
        return
    if flavor not in FREE_HARDWARE:
        if not payer.can_pay:
            raise PaymentRequired(
                f"{payer.label} has no payment method, and the Hub refuses paid hardware "
                f"({flavor}) without one: add one at {BILLING_URL}, or deploy on cpu-basic "
                "(no --hardware)."
            )
        return
    if creating and not payer.paid:
        raise PaymentRequired(
            f"{payer.label} cannot create a {sdk.title()} Space on free cpu-basic, since the Hub "
            f"hosts Gradio and Docker Spaces only for paid plans: subscribe to PRO ({PRO_URL}), "
            "make it a static Space (`sdk: static`), use ZeroGPU for a Gradio Space "
            f"(--hardware zero-a10g, up to {payer.zero_gpu_cap or 'no'} on this plan), or "
            "deploy under an organisation with a Team or Enterprise plan."
        )
