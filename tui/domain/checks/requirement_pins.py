"""The version pins requirements.txt puts on one package (for the checks that compare them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tui.domain.checks.context import CheckContext

if TYPE_CHECKING:
    from packaging.requirements import Requirement

REQUIREMENTS = "requirements.txt"


def requirement_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, requirement) of a requirements file, without comments and pip options."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            yield number, line


def pins_of(ctx: CheckContext, package: str) -> Iterator[tuple[int, str, Requirement]]:
    """(line number, line, requirement) of each requirements.txt line pinning `package`."""
    if REQUIREMENTS not in ctx.files:
        return
    # Loaded here: a folder without requirements.txt never pays for packaging's parser.
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    wanted = canonicalize_name(package)
    for number, line in requirement_lines(ctx.read_text(REQUIREMENTS) or ""):
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue  # DEPS001 reports unparsable lines
        if canonicalize_name(requirement.name) == wanted and requirement.specifier:
            yield number, line, requirement
