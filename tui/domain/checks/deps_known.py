"""DEPS002: requirements that are known to break today, from a small sourced table.

Two kinds of rows: names PyPI no longer installs (withdrawn or renamed packages), and pairs
where an old pin meets today's version of an unpinned dependency (an old SDK's stack left
unpinned resolves the newest release of everything else). Each row names its source. The
requirements file is read as pip reads it (BOM-aware, `-r` includes followed).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    #: Other requirements may bound `dependency` too (transitively): the break is sure only when
    #: every other requirement is a known leaf (LEAVES). False keeps the row's first behaviour.
    others_may_bound: bool = True


#: Packages that depend on neither huggingface_hub nor altair: alone beside the SDK, they cannot
#: keep the resolver from the newest release of either.
LEAVES = frozenset(
    {
        "numpy",
        "pandas",
        "requests",
        "pillow",
        "matplotlib",
        "python-dotenv",
        "openai",
        "scipy",
        "scikit-learn",
        "plotly",
        "pydantic",
        "httpx",
        "beautifulsoup4",
        "pyyaml",
        "tqdm",
    }
)


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
        others_may_bound=False,
    ),
    # Old SDKs: the SDK's own requirement on the dependency has no upper bound, so today's
    # resolution picks a release that removed what the old SDK imports at start.
    BrokenPair(
        "gradio",
        ">=4.9.0,<5.8.0",
        "huggingface-hub",
        ">=1.0.0",
        "gradio 4.9 to 5.7 imports HfFolder from huggingface_hub when gradio is imported "
        "(gradio/oauth.py) and allows any newer huggingface_hub; huggingface_hub 1.0 "
        "removed HfFolder: ImportError at start",
        "pin huggingface_hub<1.0 in requirements.txt, or move to gradio 5.8 or newer",
        "gradio 4.9.0-5.7.0 wheels: `from huggingface_hub import HfFolder` in oauth.py, "
        "Requires-Dist huggingface-hub>=0.19.3/>=0.25.1 (4.8.0 and 5.8.0 have no such "
        "import); huggingface_hub 1.0.0 exports no HfFolder",
    ),
    BrokenPair(
        "streamlit",
        ">=1.0.0,<1.20.0",
        "altair",
        ">=5.0.0",
        "streamlit before 1.20 imports altair.vegalite.v4 when streamlit is imported "
        "(elements/arrow_altair.py) and allows any altair; altair 5 removed vegalite.v4: "
        "ModuleNotFoundError at start",
        "pin altair<5 in requirements.txt, or move to streamlit 1.20 or newer",
        "streamlit 1.0.0/1.10.0/1.15.0/1.19.0 wheels: Requires-Dist altair>=3.2.0 and "
        "`from altair.vegalite.v4.api import Chart`; 1.20.0 adds altair<5",
    ),
)
#: The newest major of each SDK on PyPI when this table was written (gradio 6.x, streamlit 1.x).
LATEST_MAJOR = {"gradio": 6, "streamlit": 1}
#: The SDKs the Hub installs itself, at `sdk_version`, on top of requirements.txt.
HUB_INSTALLED = frozenset({"gradio", "streamlit"})


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
    """DEPS002: withdrawn names, known-broken pins, and an old SDK over an unpinned stack."""
    sdk_version = _sdk_version(ctx)
    if REQUIREMENTS not in ctx.files and sdk_version is None:
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
            row_file, row_line, _ = parsed[row.name]
            yield Finding(
                "DEPS002",
                row.severity,
                f"{row.name}: {row.why}. Fix: {row.fix} (source: {row.source}).",
                row_file,
                row_line,
            )
    yield from _sdk_overridden(ctx, parsed, sdk_version)
    for pair in BROKEN_PAIRS:
        pinned: list[str]
        where: int | None
        by_hub = pair.package == ctx.sdk and pair.package in HUB_INSTALLED
        if by_hub and sdk_version:
            # The Hub installs sdk_version whatever requirements.txt says (GRADIO003).
            pinned, what = [sdk_version], f"sdk_version {sdk_version} ({pair.package})"
            file, where = "README.md", ctx.card_lines.get("sdk_version")
        elif pair.package in parsed:
            file, where, requirement = parsed[pair.package]
            pinned, what = _versions(requirement), f"{pair.package} {requirement.specifier}"
        else:
            continue
        if not [v for v in pinned if v in SpecifierSet(pair.old)]:
            continue
        dep = parsed.get(pair.dependency)
        allowed = dep[2].specifier if dep else SpecifierSet()
        # The newest release the resolver may pick: broken unless the file keeps it out.
        if allowed and not _can_reach(allowed, pair.breaks_from):
            continue
        others = set(parsed) - {pair.package, pair.dependency, ctx.sdk or ""}
        if pair.others_may_bound and not others <= LEAVES:
            severity = Severity.INFO  # another requirement may hold the dependency back
        else:
            # The Hub's own install layer may add constraints we cannot see: very likely.
            severity = Severity.WARNING if by_hub else Severity.ERROR
        maybe = (
            f" if pip resolves {pair.dependency} into {pair.breaks_from} (other requirements "
            "may hold it back; check what `pip install -r requirements.txt` picks)"
            if severity is Severity.INFO
            else ""
        )
        yield Finding(
            "DEPS002",
            severity,
            f"{what} with {pair.dependency} {allowed or 'unpinned'}: {pair.why}{maybe}. "
            f"Fix: {pair.fix} (source: {pair.source}).",
            file,
            where,
        )


def _sdk_version(ctx: CheckContext) -> str | None:
    """The card's sdk_version for an SDK the Hub installs itself, as a version string."""
    if ctx.sdk not in HUB_INSTALLED or not ctx.card:
        return None
    value = ctx.card.get("sdk_version")
    text = str(value).strip() if isinstance(value, str | int | float) else ""
    return text if re.fullmatch(r"\d+(\.\d+){1,2}", text) else None


def _sdk_overridden(
    ctx: CheckContext, parsed: dict[str, tuple[str, int, Any]], sdk_version: str | None
) -> Iterator[Finding]:
    """Info: requirements.txt lets the SDK reach a newer major than sdk_version, so pip first
    resolves the stack for that newer SDK and the Hub then installs sdk_version over it."""
    if sdk_version is None or ctx.sdk not in parsed:
        return
    file, number, requirement = parsed[ctx.sdk]
    major = int(sdk_version.split(".")[0])
    if major >= LATEST_MAJOR.get(ctx.sdk, major + 1):
        return  # no newer major exists to be resolved
    if not any(p in requirement.specifier for p in (f"{major + 1}.0.0", f"{major + 1}.5.0")):
        return  # pinned, or kept within sdk_version's major
    yield Finding(
        "DEPS002",
        Severity.INFO,
        f"{ctx.sdk} {requirement.specifier or '(unpinned)'} in {file} lets pip resolve "
        f"the stack for a newer {ctx.sdk} major, then the Hub installs sdk_version "
        f"{sdk_version} over it: its dependencies may be newer than {sdk_version} "
        f"expects. Fix: write {ctx.sdk}=={sdk_version} there (or drop the line).",
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
    major, minor = (int(part) for part in (floor.split(".") + ["0"])[:2])
    # Probes at or above the floor only (a probe below it would say "reachable" for `<floor`).
    probes = [
        floor,
        f"{major}.{minor + 1}.0",
        f"{major}.99.0",
        f"{major + 1}.0.0",
        f"{major + 2}.0.0",
    ]
    return any(p in allowed for p in probes)


DEPS_KNOWN_CHECKS = [check_known_broken]
