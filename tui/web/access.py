"""The access secret's login: a form posted once, then an HttpOnly session cookie.

The secret travels only in a POST body (never a URL, so never an access log line); what the
browser keeps is a random session id, not the secret. Failed attempts are throttled.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

COOKIE = "spacetui_session"
#: How long a signed-in browser stays signed in.
SESSION_SECONDS = 12 * 3600
#: Wrong secrets tolerated per window before every attempt is refused for the rest of it.
MAX_FAILURES = 5
FAILURE_WINDOW = 60.0


@dataclass
class AccessGate:
    """Checks the secret and remembers the sessions it opened."""

    secret: str | None
    clock: Callable[[], float] = time.monotonic
    _sessions: dict[str, float] = field(default_factory=dict)
    _failures: list[float] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.secret is not None

    def throttled(self) -> bool:
        """True while too many wrong secrets were tried recently."""
        now = self.clock()
        self._failures = [t for t in self._failures if now - t < FAILURE_WINDOW]
        return len(self._failures) >= MAX_FAILURES

    def sign_in(self, candidate: str) -> str | None:
        """A new session id when `candidate` is the secret, else None (and one failure noted)."""
        if self.secret is None:
            return None
        if hmac.compare_digest(candidate.encode("utf-8"), self.secret.encode("utf-8")):
            session = secrets.token_urlsafe(32)
            self._sessions[session] = self.clock() + SESSION_SECONDS
            return session
        self._failures.append(self.clock())
        return None

    def allows(self, session: str | None) -> bool:
        """Whether a request carrying this session cookie may go on."""
        if self.secret is None:
            return True
        expiry = self._sessions.get(session or "")
        if expiry is None:
            return False
        if expiry < self.clock():
            del self._sessions[session or ""]
            return False
        return True
