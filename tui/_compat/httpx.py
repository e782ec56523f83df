"""Keep `import httpx` from loading httpx's command-line tool (and with it rich, pygments and click).

httpx's `__init__` eagerly imports `httpx._main` whenever click is installed (uvicorn brings it),
and that module imports rich: the domain layer would load a UI library and ~60 ms of modules it
never uses. Importing this module before httpx's first import puts a tiny stand-in for
`httpx._main` in `sys.modules`; spacetui never runs the `httpx` CLI, which lives in its own process.
It must be imported before `httpx` (see `tui.domain`); once httpx is loaded it does nothing.
"""

from __future__ import annotations

import sys
import types

#: httpx's private module for its CLI.
CLI_MODULE = "httpx._main"


def _unavailable_cli() -> None:
    raise RuntimeError(
        "the httpx command-line tool is not loaded inside spacetui; run `httpx` itself"
    )


def keep_cli_out() -> None:
    """Put the stand-in in place unless httpx is already imported."""
    if "httpx" not in sys.modules and CLI_MODULE not in sys.modules:
        stub = types.ModuleType(CLI_MODULE, "Stand-in for httpx's CLI (see tui._compat.httpx).")
        # A bare ModuleType declares no attributes; `main` is the one httpx's CLI entry point uses.
        stub.main = _unavailable_cli  # type: ignore[attr-defined]
        sys.modules[CLI_MODULE] = stub


keep_cli_out()
