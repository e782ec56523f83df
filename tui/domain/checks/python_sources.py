"""The app's own Python sources in the upload set, for checks that look for an import or a call."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tui.domain.checks.context import CheckContext

#: Folders that hold installed packages, not the app (FILES009 reports them when uploaded).
VENDORED = frozenset({".venv", "venv", "env", "site-packages", "node_modules", "__pycache__"})
#: Larger .py files are generated or vendored; the app's own code is smaller.
MAX_SOURCE_BYTES = 1_000_000


def python_sources(ctx: CheckContext, needle: str) -> Iterator[tuple[str, str]]:
    """(path, text) of each uploaded `.py` file that contains `needle`, shallowest first."""
    paths = sorted(
        (p for p, size in ctx.files.items() if p.endswith(".py") and size <= MAX_SOURCE_BYTES),
        key=lambda p: (p.count("/"), p),
    )
    for path in paths:
        if VENDORED.intersection(path.split("/")[:-1]):
            continue
        text = ctx.read_text(path)
        if text and needle in text:
            yield path, text


#: Where a Space declares what it installs (the Dockerfile's RUN lines included).
DEPENDENCY_FILES = ("requirements.txt", "pre-requirements.txt", "pyproject.toml", "Dockerfile")


def declares_package(ctx: CheckContext, name: str) -> bool:
    """Whether the dependency files mention package `name`: a cheap gate before reading sources."""
    word = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])")
    for path in DEPENDENCY_FILES:
        text = ctx.read_text(path) if path in ctx.files else None
        if text and word.search(text):
            return True
    return False
