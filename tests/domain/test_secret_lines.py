"""A finding's line number is right whatever the chunks a file is read in."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.secret_samples import KINDS
from tui.domain.secret_scan import scan_chunks


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 400),  # lines before the token
    st.lists(st.integers(1, 4000), min_size=1, max_size=30),  # chunk sizes, cycled
    st.integers(0, 2**32),
)
def test_the_line_of_a_token_in_any_chunking(before: int, sizes: list[int], seed: int) -> None:
    rng = random.Random(seed)
    token = KINDS["hf_"][0](rng)
    lines = [f"row {i} " * rng.randint(0, 12) for i in range(before)]
    data = "\n".join([*lines, f"TOKEN = '{token}'", "tail"]).encode()
    chunks, at, i = [], 0, 0
    while at < len(data):
        chunks.append(data[at : at + sizes[i % len(sizes)]])
        at += sizes[i % len(sizes)]
        i += 1
    hits = list(scan_chunks(chunks, name="notes.txt"))
    assert [(h.secret, h.line) for h in hits] == [(token, before + 1)]
