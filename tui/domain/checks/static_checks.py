"""STATIC003: a static Space that reads `window.huggingface.variables` publishes its secrets too.

Static Spaces hand every variable *and every secret* of the Space to the browser through
`window.huggingface.variables`. The Space's secret names live in the Hub settings (or in
spacetui.yaml, which the check context does not carry), so the local check looks for the code
that reads them. Every secret of the Space is in that object whatever the code reads, so the
read itself is only a hint; a secret-like name in the reading code (`HF_TOKEN`, `OPENAI_API_KEY`)
shows a secret is in play, and only then is it a warning. A page that reads only config such
as `API_URL` gets the same note as info. STATIC001/002/004 are in sdk_checks.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity

#: Files a browser loads from a static Space.
WEB_SUFFIXES = (".html", ".htm", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".vue", ".svelte")
MAX_WEB_BYTES = 2_000_000
#: Compiled on first use (re caches it): importing every check family stays cheap for a deploy.
_VARIABLES = r"huggingface\s*\??\.\s*variables\b|huggingface\s*\[\s*['\"]variables"
#: Environment-style names (`HF_TOKEN`, `API_URL`): what a Space variable or secret is called.
_ENV_NAME = r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b"


def _is_secret_name(name: str) -> bool:
    """DOCKER016's test of a secret-like name, imported here only when a page reads variables."""
    # Imported late: docker_secrets pulls the Dockerfile parser, which a deploy loads lazily.
    from tui.domain.checks.docker_secrets import is_secret_name

    return is_secret_name(name)


def check_static_variables(ctx: CheckContext) -> Iterator[Finding]:
    """STATIC003: `window.huggingface.variables` exposes the Space's secrets to every visitor."""
    if ctx.sdk != "static":
        return
    hits: list[tuple[str, int]] = []
    secrets: set[str] = set()
    for path, size in sorted(ctx.files.items()):
        if size > MAX_WEB_BYTES or not path.lower().endswith(WEB_SUFFIXES):
            continue
        if "node_modules/" in path:
            continue
        text = ctx.read_text(path)
        if not text or "huggingface" not in text:
            continue
        match = re.search(_VARIABLES, text)
        if match:
            hits.append((path, text.count("\n", 0, match.start()) + 1))
            secrets.update(n for n in re.findall(_ENV_NAME, text) if _is_secret_name(n))
    if not hits:
        return
    others = len(hits) - 1
    also = f" (also in {others} other file{'s' if others > 1 else ''})" if others else ""
    path, line = hits[0]
    named = f" and names {', '.join(sorted(secrets)[:3])}" if secrets else ""
    yield Finding(
        "STATIC003",
        Severity.WARNING if secrets else Severity.INFO,
        f"this static Space reads window.huggingface.variables{also}{named}; that object holds "
        "the Space's variables and its secrets, readable by every visitor: never store a "
        "secret in a static Space; call an API that needs one from a Docker or Gradio Space.",
        path,
        line,
    )


STATIC_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [check_static_variables]
