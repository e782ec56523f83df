"""The plan gate: refuse, before any work, what the Hub's paid-hosting rules would refuse anyway.

Since July 2026 the Hub answers 402 to a Gradio or Docker Space created on a free account or a
free organisation (static Spaces stay free; ZeroGPU is capped: 2 Spaces for a free account,
10 for PRO, 50 for a Team/Enterprise organisation), and 403 to paid hardware for a namespace
without a payment method. The gate reads the plan once from whoami-v2 (`isPro`, `canPay`, each
org's `plan` and `canPay`) and reports the rule and the ways out as data (`PlanRefusal`); each
front end words the ways that name its controls (a flag, a key).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, assert_never

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


class PlanRule(enum.Enum):
    """Which of the Hub's paid-hosting rules a deploy would break."""

    PAID_SDK = "paid_sdk"  # a Gradio or Docker Space on free cpu-basic needs a paid plan
    ZERO_GPU_SDK = "zero_gpu_sdk"  # ZeroGPU runs only Gradio Spaces
    ZERO_GPU_CAP = "zero_gpu_cap"  # the namespace already has its cap of ZeroGPU Spaces
    NO_PAYMENT_METHOD = "no_payment_method"  # paid hardware without a payment method


class WayOut(enum.Enum):
    """One way past a plan refusal; each front end words the ones that name its controls."""

    PRO = "pro"  # subscribe to PRO
    STATIC = "static"  # make it a static Space
    ZERO_GPU = "zero_gpu"  # ask for ZeroGPU hardware (a Gradio Space, within the cap)
    ORG_PLAN = "org_plan"  # deploy under an organisation with a Team or Enterprise plan
    FREE_ONE_UP = "free_one_up"  # free one of the namespace's ZeroGPU Spaces
    GRADIO_SDK = "gradio_sdk"  # make the Space `sdk: gradio`
    OTHER_HARDWARE = "other_hardware"  # choose other hardware
    ADD_PAYMENT = "add_payment"  # add a payment method
    CPU_BASIC = "cpu_basic"  # stay on the default hardware, cpu-basic


#: How a front end says "choose this hardware" (None: the default one): a flag, a key.
HardwareWords = Callable[[str | None], str]


@dataclass(frozen=True, slots=True)
class PlanRefusal:
    """What the plan gate refused, as data: the rule hit, the ways out, and who pays."""

    rule: PlanRule
    ways_out: tuple[WayOut, ...]
    payer: str  # `Payer.label`: "fran (a free account)"
    sdk: str
    hardware: str  # the flavor asked for (cpu-basic when none)
    zero_gpu_cap: int  # the payer's cap of ZeroGPU Spaces

    def reason(self) -> str:
        """The rule, in words that name no control of any front end (no full stop)."""
        match self.rule:
            case PlanRule.ZERO_GPU_SDK:
                return "ZeroGPU (zero-a10g) runs only Gradio Spaces"
            case PlanRule.ZERO_GPU_CAP:
                return (
                    f"{self.payer} may host at most {self.zero_gpu_cap} ZeroGPU Spaces and has "
                    "that many"
                )
            case PlanRule.NO_PAYMENT_METHOD:
                return (
                    f"{self.payer} has no payment method, and the Hub refuses paid hardware "
                    f"({self.hardware}) without one"
                )
            case PlanRule.PAID_SDK:
                return (
                    f"{self.payer} cannot create a {self.sdk.title()} Space on free cpu-basic, "
                    "since the Hub hosts Gradio and Docker Spaces only for paid plans"
                )
            case _:
                assert_never(self.rule)

    def way_out(self, way: WayOut, hardware_words: HardwareWords) -> str:
        """One way out; `hardware_words` says how the caller's front end chooses hardware."""
        match way:
            case WayOut.PRO:
                cap = f": {ZERO_GPU_CAPS['pro']}" if self.rule is PlanRule.ZERO_GPU_CAP else ""
                return f"subscribe to PRO ({PRO_URL}{cap})"
            case WayOut.STATIC:
                return "make it a static Space (`sdk: static`)"
            case WayOut.ZERO_GPU:
                up_to = self.zero_gpu_cap or "no"
                return (
                    f"use ZeroGPU for a Gradio Space ({hardware_words(ZERO_GPU)}, up to {up_to} "
                    "on this plan)"
                )
            case WayOut.ORG_PLAN:
                cap = f" ({ZERO_GPU_CAPS['team']})" if self.rule is PlanRule.ZERO_GPU_CAP else ""
                return f"deploy under an organisation with a Team or Enterprise plan{cap}"
            case WayOut.FREE_ONE_UP:
                return "free one up"
            case WayOut.GRADIO_SDK:
                return "make the Space `sdk: gradio`"
            case WayOut.OTHER_HARDWARE:
                return "choose other hardware"
            case WayOut.ADD_PAYMENT:
                return f"add one at {BILLING_URL}"
            case WayOut.CPU_BASIC:
                return f"deploy on cpu-basic ({hardware_words(None)})"
            case _:
                assert_never(way)

    def worded(self, hardware_words: HardwareWords) -> str:
        """The one sentence: the rule, then every way out, in the caller's words for hardware."""
        ways = [self.way_out(way, hardware_words) for way in self.ways_out]
        listed = ways[0] if len(ways) == 1 else f"{', '.join(ways[:-1])}, or {ways[-1]}"
        return f"{self.reason()}: {listed}."

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule.value, "ways_out": [way.value for way in self.ways_out]}


def plain_hardware(flavor: str | None) -> str:
    """Hardware named without any front end's control (the error's own message)."""
    return f"hardware {flavor}" if flavor else "the default hardware"


class PlanRefused(PaymentRequired):
    """The plan gate's refusal, before any work: `PaymentRequired` with the refusal as data."""

    def __init__(self, refusal: PlanRefusal) -> None:
        super().__init__(refusal.worded(plain_hardware))
        self.refusal = refusal


def check_plan(
    payer: Payer | None,
    *,
    sdk: str,
    hardware: str | None,
    creating: bool,
    zero_gpu_used: Callable[[], int] | None = None,
) -> None:
    """Raise `PlanRefused` (a `PaymentRequired`) if the Hub would refuse this for its plan.

    `zero_gpu_used` counts the namespace's ZeroGPU Spaces; it is only called when that matters.
    """
    if payer is None or sdk == "static":
        return  # not ours to judge (the Hub decides), or static: free for everyone
    flavor = hardware or "cpu-basic"

    def refuse(rule: PlanRule, *ways: WayOut) -> PlanRefused:
        return PlanRefused(PlanRefusal(rule, ways, payer.label, sdk, flavor, payer.zero_gpu_cap))

    if flavor == ZERO_GPU:
        if sdk == "docker":
            raise refuse(PlanRule.ZERO_GPU_SDK, WayOut.GRADIO_SDK, WayOut.OTHER_HARDWARE)
        if zero_gpu_used is not None and zero_gpu_used() >= payer.zero_gpu_cap:
            raise refuse(PlanRule.ZERO_GPU_CAP, WayOut.FREE_ONE_UP, WayOut.PRO, WayOut.ORG_PLAN)
        return
    if flavor not in FREE_HARDWARE:
        if not payer.can_pay:
            raise refuse(PlanRule.NO_PAYMENT_METHOD, WayOut.ADD_PAYMENT, WayOut.CPU_BASIC)
        return
    if creating and not payer.paid:
        raise refuse(PlanRule.PAID_SDK, WayOut.PRO, WayOut.STATIC, WayOut.ZERO_GPU, WayOut.ORG_PLAN)
