"""Everything that talks to the Hub, reads files or checks config. Never imports textual or rich."""

# Must run before any domain module imports httpx: keeps httpx's CLI (and rich) out of the domain.
from tui._compat import httpx as _httpx_cli  # noqa: F401
