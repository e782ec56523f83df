"""Typed, user-facing errors of the domain layer.

    SpacetuiError                 base: `.message` is one sentence a user can act on
    ├── HubError                  anything the Hub (or the network to it) answered badly
    │   ├── SpaceNotFound         404 / RepoNotFound: missing, or private and not yours
    │   ├── PermissionDenied      403: the token may not do this
    │   ├── AuthError             401 or no token: bad, expired or missing token
    │   ├── PaymentRequired       402 (or the 403 "add a payment method"): the plan does not allow it
    │   ├── RateLimited           429: `.retry_after` seconds to wait
    │   ├── HubUnavailable        5xx: the Hub is down or overloaded
    │   ├── NetworkDown           no connection, DNS, TLS, timeouts
    │   └── HubRequestError       any other 4xx, with the Hub's own message
    └── UsageError                bad input from the user (ids, paths, config); exit code 2

Messages never contain a token: every constructor passes text through `redact`.
The single place that turns HTTP responses and huggingface_hub exceptions into these is
`tui.domain.http`.
"""

from __future__ import annotations

from tui.domain.redact import redact


class SpacetuiError(Exception):
    """Base of every error spacetui reports to a user."""

    title = "Error"

    def __init__(self, message: str) -> None:
        self.message = redact(message)
        super().__init__(self.message)


class UsageError(SpacetuiError):
    """The user asked for something malformed: a bad Space id, a missing folder, a bad flag."""

    title = "Usage error"


class HubError(SpacetuiError):
    """The Hub, or the network on the way to it, did not do what was asked."""

    title = "Hub error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SpaceNotFound(HubError):
    title = "Not found"


class PermissionDenied(HubError):
    title = "Permission denied"


class AuthError(HubError):
    title = "Not signed in"


class PaymentRequired(HubError):
    """The account's (or organisation's) plan does not allow it: PRO, a payment method, a cap."""

    title = "Plan required"


class RateLimited(HubError):
    title = "Rate limited"

    def __init__(self, message: str, *, retry_after: float, status: int | None = 429) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class HubUnavailable(HubError):
    title = "Hub unavailable"


class NetworkDown(HubError):
    title = "Network down"


class HubRequestError(HubError):
    title = "Request refused"
