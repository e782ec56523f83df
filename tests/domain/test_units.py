"""One byte formatter for every view: decimal units, like the Hub."""

import pytest

from tui.domain.units import format_bytes


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 kB"),
        (1536, "1.5 kB"),
        (300_000_000, "300.0 MB"),
        (12_500_000_000, "12.5 GB"),
        (3 * 10**15, "3000.0 TB"),
    ],
)
def test_format_bytes(size: int, text: str) -> None:
    assert format_bytes(size) == text
