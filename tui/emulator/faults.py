"""Fault injection, switchable at run time: error statuses, 429s, latency and dropped log streams.

Rules are global or per Space, optionally limited to paths containing `route`, and optionally
expire after `count` matching requests (or stream connections, for `drop_after`).

Tests wait on signals, never on real time: `wait_caught(n)` returns once n requests have met a
rule (the client is now stalled inside one), `release()` ends every injected latency at once, and
`wait_settled()` returns once every caught request has been answered or dropped by its client, so
"nothing landed" can be asserted right after instead of after sleeping past the stall.
"""

from __future__ import annotations

import asyncio
import math
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from tui.emulator.ratelimit import FREE_QUOTA, LIMITED_MESSAGE, WINDOW

_SPACE_IN_PATH = re.compile(r"^/(?:api/)?spaces/([^/]+)/([^/]+?)(?:\.git)?(?:/|$)")
_STATUS_TEXT = {
    429: LIMITED_MESSAGE,
    500: "Internal Error - We're working hard to fix this as soon as possible!",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
#: Quota and window an injected 429 names in `RateLimit-Policy` (the Hub's free tier).
RATE_LIMIT_QUOTA = FREE_QUOTA
RATE_LIMIT_WINDOW = WINDOW


@dataclass
class FaultRule:
    """One active fault; `count` is how many more requests it affects (None: until cleared)."""

    space_id: str | None = None
    status: int | None = None
    retry_after: int | None = None
    latency: float = 0.0
    drop_after: int | None = None
    count: int | None = None
    route: str | None = None

    def applies_to(self, path: str, space_id: str | None) -> bool:
        if self.space_id is not None and self.space_id != space_id:
            return False
        return self.route is None or self.route in path


#: The longest injected latency, in seconds: enough for any test, short of a hung emulator.
MAX_LATENCY = 600.0


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_types(**fields: object) -> None:
    for name in ("space_id", "route"):
        if fields[name] is not None and not isinstance(fields[name], str):
            raise ValueError(f"{name} must be a string")
    for name in ("status", "retry_after", "drop_after", "count"):
        value = fields[name]
        if value is not None and not _is_int(value):
            raise ValueError(f"{name} must be an integer")
    latency = fields["latency"]
    if isinstance(latency, bool) or not isinstance(latency, (int, float)):
        raise ValueError("latency must be a number of seconds")
    if not math.isfinite(latency) or latency > MAX_LATENCY:
        raise ValueError(f"latency must be a finite number of seconds, at most {MAX_LATENCY:.0f}")
    retry_after = fields["retry_after"]
    if isinstance(retry_after, int) and retry_after < 0:
        raise ValueError("retry_after must not be negative")


def space_id_in_path(path: str) -> str | None:
    """`ns/name` for Space API, git and file routes; None for global routes like whoami."""
    match = _SPACE_IN_PATH.match(path)
    return f"{match.group(1)}/{match.group(2)}" if match else None


class FaultInjector:
    """The active fault rules (thread-safe: tests set them while uvicorn's thread reads them)."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        # The signal tests wait on: requests caught by a rule, and those of them that are over.
        self._changed = threading.Condition(self._lock)
        self._caught = 0
        self._settled = 0
        #: Latencies being served now, each ended early by `release()` from any thread.
        self._stalls: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def set(
        self,
        *,
        space_id: str | None = None,
        status: int | None = None,
        retry_after: int | None = None,
        latency: float = 0.0,
        drop_after: int | None = None,
        count: int | None = None,
        route: str | None = None,
    ) -> None:
        """Add a rule; the newest matching rule wins. Raises ValueError for a malformed rule.

        Every field is checked for its type too: a rule that could not be applied (a number as
        `route`, a NaN latency) would otherwise fail every later request.
        """
        _check_types(
            space_id=space_id,
            status=status,
            retry_after=retry_after,
            latency=latency,
            drop_after=drop_after,
            count=count,
            route=route,
        )
        if status is not None and not 400 <= status <= 599:
            raise ValueError(f"fault status must be 4xx or 5xx, not {status}")
        if latency < 0 or (drop_after is not None and drop_after < 0):
            raise ValueError("latency and drop_after must not be negative")
        if count is not None and count < 1:
            raise ValueError("count must be at least 1")
        rule = FaultRule(space_id, status, retry_after, latency, drop_after, count, route)
        with self._lock:
            self._rules.append(rule)

    def clear(self, space_id: str | None = None) -> None:
        """Remove the rules of one Space, or every rule when `space_id` is None."""
        with self._lock:
            if space_id is None:
                self._rules.clear()
            else:
                self._rules = [rule for rule in self._rules if rule.space_id != space_id]

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    @property
    def caught(self) -> int:
        """How many requests a status or latency rule has met so far."""
        with self._lock:
            return self._caught

    @property
    def settled(self) -> int:
        """How many of the caught requests are over: answered, failed, or dropped by the client."""
        with self._lock:
            return self._settled

    def wait_caught(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until `count` requests in all have met a rule; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._caught >= count, timeout)

    def wait_settled(self, timeout: float = 30.0) -> bool:
        """Block until every request caught so far is over; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._settled >= self._caught, timeout)

    def release(self) -> int:
        """End every latency being served now (the requests go on at once); how many there were."""
        with self._lock:
            stalls = list(self._stalls)
        for loop, event in stalls:
            with suppress(RuntimeError):  # that loop has closed: nothing left to wake
                loop.call_soon_threadsafe(event.set)
        return len(stalls)

    @contextmanager
    def caught_request(self) -> Iterator[None]:
        with self._changed:
            self._caught += 1
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._settled += 1
                self._changed.notify_all()

    async def stall(self, seconds: float) -> None:
        """Wait an injected latency, ended early by `release()`."""
        stall = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._stalls.add(stall)
        try:
            with suppress(TimeoutError):
                await asyncio.wait_for(stall[1].wait(), seconds)
        finally:
            with self._lock:
                self._stalls.discard(stall)

    def take_request_fault(self, path: str) -> FaultRule | None:
        """The status/latency rule this request meets, counting it against the rule's budget."""
        return self._take(
            path, space_id_in_path(path), lambda rule: rule.status is not None or rule.latency > 0
        )

    def take_drop_after(self, space_id: str, path: str = "") -> int | None:
        """For a new log stream connection: after how many events to drop it (None: never)."""
        rule = self._take(path, space_id, lambda rule: rule.drop_after is not None)
        return None if rule is None else rule.drop_after

    def _take(self, path: str, space_id: str | None, kind: Any) -> FaultRule | None:
        with self._lock:
            for rule in reversed(self._rules):
                if kind(rule) and rule.applies_to(path, space_id):
                    if rule.count is not None:
                        rule.count -= 1
                        if rule.count == 0:
                            self._rules.remove(rule)
                    return rule
        return None


def fault_response(rule: FaultRule, trace_id: str | None) -> JSONResponse:
    """The error a rule answers with, carrying the headers the client reads for that status."""
    status = rule.status or 500
    message = _STATUS_TEXT.get(status, f"Injected fault {status}")
    headers = {"X-Error-Message": message}
    if status == 429:
        reset = rule.retry_after if rule.retry_after is not None else 1
        headers["RateLimit"] = f'"api";r=0;t={reset}'
        headers["RateLimit-Policy"] = (
            f'"fixed window";"api";q={RATE_LIMIT_QUOTA};w={RATE_LIMIT_WINDOW}'
        )
        headers["Retry-After"] = str(reset)
    elif rule.retry_after is not None:
        headers["Retry-After"] = str(rule.retry_after)
    if status >= 500:
        root = f"Root=1-{secrets.token_hex(4)}-{secrets.token_hex(12)}"
        headers["X-Request-Id"] = f"{root};{trace_id}" if trace_id else root
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class FaultMiddleware:
    """ASGI middleware applying request faults before the routes see the request."""

    def __init__(self, app: ASGIApp, faults: FaultInjector) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_emulator/"):
            await self.app(scope, receive, send)
            return
        rule = self.faults.take_request_fault(scope["path"])
        if rule is None:
            await self.app(scope, receive, send)
            return
        with self.faults.caught_request():
            if rule.latency:
                await self.faults.stall(rule.latency)
            if rule.status is not None:
                trace = dict(scope["headers"]).get(b"x-amzn-trace-id", b"").decode("latin-1")
                await fault_response(rule, trace or None)(scope, receive, send)
                return
            await self.app(scope, receive, send)
