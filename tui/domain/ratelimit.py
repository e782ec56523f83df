"""What the Hub's `RateLimit` / `RateLimit-Policy` headers say: what is left of the window, when it resets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# `"api";r=12;t=55` and `"fixed window";"api";q=1000;w=300` (draft-ietf-httpapi-ratelimit-headers-09,
# the form the Hub sends on every response; what huggingface_hub accepts, and a fractional `t`).
_RATELIMIT = re.compile(
    r'"(?P<bucket>[^"]*)"\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+(?:\.\d+)?)'
)
_POLICY = re.compile(r"q\s*=\s*(?P<q>\d+).*?w\s*=\s*(?P<w>\d+)")

#: Below this share of the quota the caller should slow down (the rest has to last the window).
LOW_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Quota:
    """One bucket's state as last reported: requests left, seconds to the reset, the quota and
    the window it is counted over (seconds)."""

    bucket: str
    remaining: int
    reset: float
    limit: int | None = None
    window: float | None = None

    @property
    def is_low(self) -> bool:
        """Under 10% of the quota left (unknown quota: only when nothing is left)."""
        if self.limit is None:
            return self.remaining == 0
        return self.remaining < self.limit * LOW_SHARE

    def spacing(self, cost: int) -> float:
        """Seconds between rounds of `cost` requests so the rest lasts until the reset.

        0 while the quota is not low; the whole reset when not even one more round fits.
        """
        if not self.is_low or cost <= 0:
            return 0.0
        if self.remaining < cost:
            return self.reset
        return self.reset * cost / self.remaining

    def steady_spacing(self, cost: int, share: float) -> float:
        """Seconds between rounds of `cost` requests so they use at most `share` of the quota
        over a whole window, however much of it is left now (0 without a known policy)."""
        if self.limit is None or not self.window or cost <= 0:
            return 0.0
        return cost * self.window / (self.limit * share)


def quota_from_headers(headers: Mapping[str, str]) -> Quota | None:
    """The quota a response reports, or None without a readable `RateLimit` header."""
    match = _RATELIMIT.search(_header(headers, "ratelimit"))
    if match is None:
        return None
    policy = _POLICY.search(_header(headers, "ratelimit-policy"))
    return Quota(
        match["bucket"],
        int(match["r"]),
        float(match["t"]),
        int(policy["q"]) if policy else None,
        float(policy["w"]) if policy else None,
    )


def _header(headers: Mapping[str, str], name: str) -> str:
    # httpx's Headers ignore case; a plain mapping (tests, other clients) may not.
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value or ""
