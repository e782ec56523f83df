"""httpx still loads its CLI from the private module tui._compat.httpx stands in for."""

from __future__ import annotations

import subprocess
import sys


def test_importing_httpx_after_the_guard_loads_no_rich() -> None:
    code = (
        "import sys; import tui._compat.httpx; import httpx; "
        "print(sys.modules['httpx._main'].__doc__); print('rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "Stand-in for httpx's CLI (see tui._compat.httpx).",
        "False",
    ]


def test_httpx_still_imports_its_cli_from_that_module() -> None:
    # If httpx stops importing `httpx._main`, the guard is dead code: remove it.
    code = "import sys, httpx; print('httpx._main' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
