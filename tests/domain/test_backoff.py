"""Capped exponential backoff with jitter: fast first retry, growth, cap, bounded spread."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tui.domain.backoff import Backoff


def test_schedule_without_jitter_doubles_from_a_fast_start_up_to_the_cap() -> None:
    backoff = Backoff(first=0.1, factor=2.0, cap=1.0, jitter=0.0)
    assert [backoff.delay(n) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]


def test_jitter_spreads_within_its_fraction_and_is_reproducible_with_a_seeded_rng() -> None:
    backoff = Backoff(first=1.0, factor=2.0, cap=100.0, jitter=0.2)
    delays = [backoff.delay(2, random.Random(seed)) for seed in range(200)]
    assert all(3.2 <= d <= 4.8 for d in delays)
    assert len(set(delays)) > 100  # actually spread, not a constant
    assert backoff.delay(2, random.Random(7)) == backoff.delay(2, random.Random(7))


def test_endless_retries_neither_overflow_nor_exceed_the_cap() -> None:
    backoff = Backoff()
    assert backoff.delay(10**9) <= backoff.cap
    assert backoff.delay(-3, random.Random(1)) <= backoff.first * (1 + backoff.jitter)


@given(
    attempt=st.integers(min_value=0, max_value=10_000),
    first=st.floats(min_value=0.0, max_value=10.0),
    factor=st.floats(min_value=1.0, max_value=10.0),
    cap=st.floats(min_value=0.0, max_value=600.0),
    jitter=st.floats(min_value=0.0, max_value=1.0),
    seed=st.integers(),
)
def test_delay_is_always_between_zero_and_cap(
    attempt: int, first: float, factor: float, cap: float, jitter: float, seed: int
) -> None:
    delay = Backoff(first, factor, cap, jitter).delay(attempt, random.Random(seed))
    assert 0.0 <= delay <= cap
