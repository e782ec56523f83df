"""GRADIO005: a ZeroGPU app (`import spaces`, `@spaces.GPU`) fits ZeroGPU's limits.

ZeroGPU runs only with `sdk: gradio`, on Python 3.10.13 or 3.12.12, with torch 2.8 or newer
(hub-docs spaces-zerogpu.md). GRADIO001-004 live in sdk_checks.py; GRADIO006 (the account's plan)
cannot be known from the folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.python_sources import declares_package, python_sources
from tui.domain.checks.requirement_pins import pins_of

ZEROGPU_PYTHONS = ("3.10.13", "3.12.12")
MIN_TORCH = "2.8"
#: Compiled on first use (re caches it): importing every check family stays cheap for a deploy.
_USES_SPACES = r"(?m)^[ \t]*(?:import[ \t]+spaces\b|from[ \t]+spaces[ \t]+import\b)|@spaces\.GPU\b"


def _zerogpu_use(ctx: CheckContext) -> tuple[str, int] | None:
    """Where the app first imports `spaces` or uses `@spaces.GPU`, or None."""
    if "spaces.py" in ctx.files or any(p.startswith("spaces/") for p in ctx.files):
        return None  # `import spaces` is the app's own module, not the ZeroGPU package
    for path, text in python_sources(ctx, "spaces"):
        match = re.search(_USES_SPACES, text)
        if match:
            return path, text.count("\n", 0, match.start()) + 1
    return None


def _old_torch(ctx: CheckContext) -> tuple[int, str] | None:
    """(line, requirement) when requirements.txt allows only torch versions below 2.8."""
    from packaging.version import InvalidVersion, Version

    floor = Version(MIN_TORCH)
    for number, line, requirement in pins_of(ctx, "torch"):
        # Allowed if any version at or above 2.8 satisfies the pin: a few releases, plus the
        # versions the pin names itself (`==2.9.1+cu128`).
        candidates = [floor, Version("2.9"), Version("2.10"), Version("3.0")]
        for spec in requirement.specifier:
            try:
                named = Version(spec.version.removesuffix(".*"))
            except InvalidVersion:
                continue
            if named >= floor:
                candidates.append(named)
        if not any(requirement.specifier.contains(v, prereleases=True) for v in candidates):
            return number, line
    return None


def check_zerogpu(ctx: CheckContext) -> Iterator[Finding]:
    """GRADIO005: ZeroGPU needs sdk gradio, Python 3.10.13/3.12.12 and torch >= 2.8."""
    if ctx.sdk is None or ctx.sdk == "static":
        return
    # ZeroGPU hardware preinstalls `spaces` for sdk gradio; any other SDK must install it, so
    # its sources are only read when a dependency file names the package.
    if ctx.sdk != "gradio" and not declares_package(ctx, "spaces"):
        return
    use = _zerogpu_use(ctx)
    if use is None:
        return
    path, line = use
    if ctx.sdk != "gradio":
        yield Finding(
            "GRADIO005",
            Severity.WARNING,
            f"{path} uses ZeroGPU (the spaces package), which only works with sdk: gradio, "
            f"not sdk: {ctx.sdk}: switch the Space to sdk: gradio or drop @spaces.GPU and pick "
            "GPU hardware.",
            path,
            line,
        )
        return
    card = ctx.card or {}
    python = card.get("python_version")
    # A non-string python_version (unquoted 3.10) is README011's error; not repeated here.
    if isinstance(python, str) and python.strip() not in ZEROGPU_PYTHONS:
        yield Finding(
            "GRADIO005",
            Severity.WARNING,
            f"python_version {python.strip()!r} is not one ZeroGPU supports "
            f'({" or ".join(ZEROGPU_PYTHONS)}): set python_version: "3.10.13" or '
            '"3.12.12".',
            "README.md",
            ctx.card_lines.get("python_version"),
        )
    old = _old_torch(ctx)
    if old is not None:
        yield Finding(
            "GRADIO005",
            Severity.WARNING,
            f"requirements.txt pins {old[1]}, and ZeroGPU needs torch {MIN_TORCH} or newer: "
            f"allow torch>={MIN_TORCH}.",
            "requirements.txt",
            old[0],
        )


GRADIO_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [check_zerogpu]
