"""Capped exponential backoff with jitter, for reconnects and retries after 5xx or network drops."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Beyond this many doublings every useful schedule has long reached its cap; it also keeps
# `factor ** attempt` far from float overflow on streams that retry for days.
_MAX_EXPONENT = 64


@dataclass(frozen=True)
class Backoff:
    """How long to wait before retry number `attempt` (0-based).

    The first retry is fast (`first` seconds) because most drops are one-off; later waits grow by
    `factor` up to `cap`. `jitter` spreads each wait by up to ±that fraction so that many streams
    dropped together do not reconnect in lockstep.
    """

    first: float = 0.1
    factor: float = 2.0
    cap: float = 8.0
    jitter: float = 0.2

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry `attempt`; never negative, never above `cap`."""
        exponent = min(max(attempt, 0), _MAX_EXPONENT)
        base = min(self.cap, self.first * self.factor**exponent)
        spread = base * self.jitter
        if spread:
            base += (rng or random).uniform(-spread, spread)
        return max(0.0, min(self.cap, base))
