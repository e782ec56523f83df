"""What a plan lets a namespace host: the Hub's paid-hosting rules in force since July 2026.

* A Gradio, Docker (or Streamlit) Space on the free `cpu-basic` needs a paid plan (PRO for an
  account, Team or Enterprise for an organisation): otherwise 402 with the Hub's message.
* Static Spaces are free for everyone.
* ZeroGPU (`zero-a10g`, Gradio only) is capped per namespace: 2 for a free account, 10 for PRO,
  50 for a Team/Enterprise organisation (a free organisation gets none: modelled, not recorded).
* Paid hardware needs a payment method on the paying namespace: otherwise 403.

The 402 and 403 texts are the Hub's (hub-wire.md, "Plans and paid hosting"); the ZeroGPU cap's
text is this emulator's own, as no recorded answer was found.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.emulator.errors import HubError, bad_request
from tui.emulator.state import HubState, User

PAID_HOSTING_MESSAGE = (
    "Static Spaces are free for everyone, but hosting Gradio and Docker Spaces on free cpu-basic "
    "requires a PRO subscription. Subscribe at https://huggingface.co/pro"
)
PAYMENT_METHOD_MESSAGE = (
    "You must add a payment method to your account to upgrade your space's hardware. Visit your "
    "billing settings to add one: https://huggingface.co/settings/billing"
)
ZERO_GPU = "zero-a10g"
FREE_HARDWARE = ("cpu-basic", ZERO_GPU)
#: ZeroGPU Spaces a namespace may hold, by plan.
ZERO_GPU_CAPS = {"free": 2, "pro": 10, "team": 50, "enterprise": 50, "free-org": 0}


@dataclass(frozen=True)
class Payer:
    """The namespace that pays for a Space: its plan, and whether it has a payment method."""

    namespace: str
    plan: str
    payment_method: bool
    is_org: bool

    @property
    def paid(self) -> bool:
        return self.plan != "free"

    @property
    def zero_gpu_cap(self) -> int:
        return ZERO_GPU_CAPS["free-org" if self.is_org and not self.paid else self.plan]


def payer(state: HubState, user: User, namespace: str) -> Payer:
    """The account itself, or the organisation the Space is created under."""
    if namespace == user.name:
        return Payer(namespace, user.plan, user.payment_method, is_org=False)
    org = state.org_plan(namespace)
    return Payer(namespace, org.plan, org.payment_method, is_org=True)


def check_hosting(
    state: HubState,
    user: User,
    namespace: str,
    *,
    sdk: str,
    hardware: str | None,
    exclude: str | None = None,
) -> None:
    """Raise the Hub's refusal if `namespace` may not host an `sdk` Space on `hardware`.

    `exclude` is a Space id not to count against the ZeroGPU cap (the one being changed).
    """
    if sdk == "static":
        return
    who = payer(state, user, namespace)
    flavor = hardware or "cpu-basic"
    if flavor == ZERO_GPU:
        if sdk != "gradio":
            raise bad_request("ZeroGPU hardware (zero-a10g) is only available for Gradio Spaces")
        used = zero_gpu_spaces(state, namespace, exclude=exclude)
        if used >= who.zero_gpu_cap:
            raise HubError(
                402,
                f"You have reached the limit of {who.zero_gpu_cap} ZeroGPU Spaces for "
                f"{namespace}'s plan. Upgrade at https://huggingface.co/pro",
            )
        return
    if flavor not in FREE_HARDWARE:
        check_payment_method(who)
        return
    if not who.paid:
        raise HubError(402, PAID_HOSTING_MESSAGE)


def check_payment_method(who: Payer) -> None:
    if not who.payment_method:
        raise HubError(403, PAYMENT_METHOD_MESSAGE)


def zero_gpu_spaces(state: HubState, namespace: str, *, exclude: str | None = None) -> int:
    """How many Spaces of `namespace` run (or asked to run) on ZeroGPU."""
    with state.lock:
        return sum(
            1
            for space in state.spaces.values()
            if space.author == namespace
            and space.id != exclude
            and space.life.requested == ZERO_GPU
        )
