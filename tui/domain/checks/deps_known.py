"""DEPS002: requirements that are known to break today, from a small sourced table.

Two kinds of rows: names PyPI no longer installs (withdrawn or renamed packages), and pairs
where an old pin meets today's version of an unpinned dependency (an old SDK's stack left
unpinned resolves the newest release of everything else). Each row names its source. The
requirements file is read as pip reads it (BOM-aware, `-r` includes followed).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.domain.checks.context import CheckContext
from tui.domain.checks.deps_checks import REQUIREMENTS, pip_text
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.requirement_pins import requirement_lines

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet


@dataclass(frozen=True)
class Withdrawn:
    """A distribution name that no longer installs (or installs something unusable)."""

    name: str
    severity: Severity
    why: str
    fix: str
    source: str


@dataclass(frozen=True)
class BrokenPair:
    """`package` pinned inside `old` breaks when `dependency` resolves inside `breaks_from`."""

    package: str
    old: str
    dependency: str
    breaks_from: str
    why: str
    fix: str
    source: str


WITHDRAWN = (
    Withdrawn(
        "sklearn",
        Severity.ERROR,
        "the sklearn package on PyPI refuses to install since 2023-12-01",
        "write scikit-learn instead",
        "https://github.com/scikit-learn/sklearn-pypi-package",
    ),
    Withdrawn(
        "tensorflow-gpu",
        Severity.ERROR,
        "tensorflow-gpu was removed from PyPI (its last releases only raise an error)",
        "write tensorflow (it includes GPU support)",
        "https://pypi.org/project/tensorflow-gpu/",
    ),
    Withdrawn(
        "rdkit-pypi",
        Severity.INFO,  # still installs on Python <= 3.11
        "rdkit-pypi was renamed to rdkit and stopped at 2022.9.5 (no wheels for newer Pythons)",
        "write rdkit instead",
        "https://pypi.org/project/rdkit-pypi/",
    ),
)

BROKEN_PAIRS = (
    BrokenPair(
        "sentence-transformers",
        "<2.3.0",
        "huggingface-hub",
        ">=0.26.0",
        "sentence-transformers before 2.3.0 imports cached_download, which "
        "huggingface_hub 0.26.0 removed: ImportError at start",
        "pin sentence-transformers>=2.3.0, or huggingface_hub<0.26",
        "huggingface/sentence-transformers#3001; huggingface_hub v0.26.0 release notes",
    ),
)


def _requirements(ctx: CheckContext, file: str, seen: set[str]) -> Iterator[tuple[str, int, str]]:
    """(file, line, requirement text) of a requirements file and its `-r` includes."""
    if file in seen or file not in ctx.files:
        return
    seen.add(file)
    text = pip_text(ctx, file) or ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        for flag in ("-r ", "--requirement ", "--requirement="):
            if line.startswith(flag):
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(file), line[len(flag) :].strip())
                )
                yield from _requirements(ctx, target, seen)
    for number, line in requirement_lines(text):
        yield file, number, line


def check_known_broken(ctx: CheckContext) -> Iterable[Finding]:
    """DEPS002: withdrawn names and known-broken pins in requirements.txt."""
    if REQUIREMENTS not in ctx.files:
        return
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    parsed: dict[str, tuple[str, int, Requirement]] = {}
    for file, number, line in _requirements(ctx, REQUIREMENTS, set()):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue  # DEPS001's business
        if requirement.marker is not None and not requirement.marker.evaluate(
            {"python_version": "3.10", "sys_platform": "linux", "platform_system": "Linux"}
        ):
            continue  # a marker that excludes Linux / the Space's Python never installs it
        parsed[canonicalize_name(requirement.name)] = (file, number, requirement)
    for row in WITHDRAWN:
        if row.name in parsed:
            file, number, _ = parsed[row.name]
            yield Finding(
                "DEPS002",
                row.severity,
                f"{row.name}: {row.why}. Fix: {row.fix} (source: {row.source}).",
                file,
                number,
            )
    for pair in BROKEN_PAIRS:
        if pair.package not in parsed:
            continue
        file, number, requirement = parsed[pair.package]
        pinned = [v for v in _versions(requirement) if v in SpecifierSet(pair.old)]
        if not pinned:
            continue
        dep = parsed.get(pair.dependency)
        allowed = dep[2].specifier if dep else SpecifierSet()
        # The newest release the resolver may pick: broken unless the file keeps it out.
        if allowed and not _can_reach(allowed, pair.breaks_from):
            continue
        yield Finding(
            "DEPS002",
            Severity.ERROR,
            f"{pair.package} {requirement.specifier} with "
            f"{pair.dependency} {allowed or 'unpinned'}: {pair.why}. Fix: {pair.fix} "
            f"(source: {pair.source}).",
            file,
            number,
        )


def _versions(requirement: object) -> list[str]:
    """The exact versions a requirement pins (`==x` / `<=x` / `<x` bounds), as strings."""
    out = []
    for spec in getattr(requirement, "specifier", ()):
        if spec.operator in ("==", "===", "<=", "~="):
            out.append(spec.version.rstrip(".*"))
        elif spec.operator == "<":
            out.append(_just_below(spec.version))
    return out


def _just_below(version: str) -> str:
    """A version string inside `<version` for membership tests (2.3.0 -> 2.2.999)."""
    parts = version.split(".")
    while parts and parts[-1] == "0":
        parts.pop()
    if not parts:
        return "0"
    last = int(parts[-1]) - 1 if parts[-1].isdigit() else 0
    return ".".join([*parts[:-1], str(max(last, 0)), "999"])


def _can_reach(allowed: SpecifierSet, breaks_from: str) -> bool:
    """Whether the specifier `allowed` lets in a version of the range `breaks_from` (>=x)."""
    floor = breaks_from.lstrip(">=")
    probes = [floor, "0.99", "1.0.0", "1.5.0", "2.0.0"]
    return any(p in allowed for p in probes)


DEPS_KNOWN_CHECKS = [check_known_broken]
