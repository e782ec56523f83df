"""The Hub's rate limits: fixed 300 s windows per token (per client address when anonymous).

Every counted response carries `RateLimit: "<bucket>";r=<remaining>;t=<seconds to reset>` and
`RateLimit-Policy: "fixed window";"<bucket>";q=<quota>;w=300` (draft-ietf-httpapi-ratelimit-headers-09,
the form the Hub client parses); a request past the quota gets a 429 with `r=0` instead of an answer.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.emulator.clock import Clock

WINDOW = 300
LIMITED_MESSAGE = "You have exceeded our rate limit. Please retry later."
#: Paths that stand in for things outside the Hub (presigned LFS storage) or steer the emulator.
_UNCOUNTED = ("/_emulator/", "/lfs-storage/")


@dataclass(frozen=True)
class Plan:
    """Requests per window in each bucket."""

    api: int
    resolvers: int
    pages: int

    def quota(self, bucket: str) -> int:
        quota: int = getattr(self, bucket)  # a bucket is the name of one of the fields above
        return quota


#: The Hub's documented quotas per 5 minutes (huggingface.co/docs/hub/rate-limits).
PLANS: Mapping[str, Plan] = {
    "anonymous": Plan(api=500, resolvers=3000, pages=100),
    "free": Plan(api=1000, resolvers=5000, pages=200),
    "pro": Plan(api=2500, resolvers=12000, pages=400),
}
FREE_QUOTA = PLANS["free"].api


def bucket_of(path: str) -> str | None:
    """`api`, `resolvers` or `pages` as the Hub classifies the path; None when not counted."""
    if path.startswith("/api/"):
        return "api"
    if path.startswith(_UNCOUNTED):
        return None
    return "resolvers" if "/resolve/" in path else "pages"


@dataclass(frozen=True)
class Decision:
    """One counted request: its bucket, what is left, when the window resets, the quota."""

    bucket: str
    remaining: int
    reset: int
    quota: int
    allowed: bool

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit", f'"{self.bucket}";r={self.remaining};t={self.reset}'.encode()),
            (
                b"ratelimit-policy",
                f'"fixed window";"{self.bucket}";q={self.quota};w={WINDOW}'.encode(),
            ),
        ]


class RateLimiter:
    """Counts requests per caller and bucket in fixed windows aligned to the emulator clock.

    `plan_of(token)` names the plan of a known token (None: unknown, treated as anonymous).
    `quota`, when given, replaces every plan's quota in every bucket (for tests and small demos).
    """

    def __init__(
        self,
        clock: Clock,
        plan_of: Callable[[str], str | None],
        *,
        quota: int | None = None,
    ) -> None:
        if quota is not None and quota < 1:
            raise ValueError(f"quota must be at least 1, not {quota}")
        self._clock = clock
        self._plan_of = plan_of
        self.quota = quota
        # (caller, bucket) -> (window start, requests counted in it); thread-safe because tests
        # read it while uvicorn's thread counts.
        self._counts: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def quota_for(self, plan: str, bucket: str) -> int:
        return self.quota if self.quota is not None else PLANS[plan].quota(bucket)

    def take(self, bucket: str, token: str | None, address: str) -> Decision:
        """Count one request of `token` (or of `address` when anonymous) against `bucket`."""
        plan = self._plan_of(token) if token else None
        caller, plan = (f"token:{token}", plan) if plan else (f"addr:{address}", "anonymous")
        quota = self.quota_for(plan, bucket)
        now = self._clock.now()
        start = math.floor(now / WINDOW) * WINDOW
        key = (caller, bucket)
        with self._lock:
            window, used = self._counts.get(key, (start, 0))
            if window != start:
                used = 0
            used = min(used + 1, quota + 1)
            self._counts[key] = (start, used)
        reset = max(1, math.ceil(start + WINDOW - now))
        return Decision(bucket, max(quota - used, 0), reset, quota, used <= quota)

    def reset(self) -> None:
        """Forget every count (a fresh window for everyone)."""
        with self._lock:
            self._counts.clear()


def limited_response(decision: Decision) -> JSONResponse:
    """The Hub's 429: error body and message header, `r=0`, and `Retry-After` for other clients."""
    response = JSONResponse(
        {"error": LIMITED_MESSAGE},
        status_code=429,
        headers={"X-Error-Message": LIMITED_MESSAGE, "Retry-After": str(decision.reset)},
    )
    response.raw_headers.extend(decision.headers())
    return response


class RateLimitMiddleware:
    """Counts each request once (a log stream is one request) and stamps the headers on its answer.

    A response that already carries `RateLimit` (an injected 429) keeps its own headers.
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        bucket = bucket_of(scope["path"]) if scope["type"] == "http" else None
        if bucket is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        decision = self.limiter.take(bucket, _bearer(scope), client[0] if client else "")
        if not decision.allowed:
            await limited_response(decision)(scope, receive, send)
            return
        stamp = decision.headers()

        async def send_stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if not any(name == b"ratelimit" for name, _ in headers):
                    message = {**message, "headers": [*headers, *stamp]}
            await send(message)

        await self.app(scope, receive, send_stamped)


def _bearer(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return None
            return token.strip()
    return None
