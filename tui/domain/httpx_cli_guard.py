"""Kept for imports written before `tui._compat`: the guard itself lives in `tui._compat.httpx`."""

from tui._compat import httpx as _httpx  # noqa: F401  (importing it installs the guard)
