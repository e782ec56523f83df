"""Timestamps in the Hub's wire forms: ISO-8601 with milliseconds and `Z`, and RFC 1123 `Date`."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime


def iso_z(epoch: float) -> str:
    """`2026-11-28T10:00:00.123Z` (the client rejects `+00:00`)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def http_date(epoch: float) -> str:
    """`Sat, 28 Nov 2026 10:00:00 GMT`, the one form the client parses as timezone-aware."""
    return format_datetime(datetime.fromtimestamp(epoch, UTC), usegmt=True)
