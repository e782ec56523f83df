"""The list of every check the engine runs, in catalogue order.

A check is `def check_x(ctx: CheckContext) -> Iterable[Finding]`. Each check module exports a
list (`README_CHECKS`, `DOCKER_CHECKS`, ...); this module imports each one by name and
concatenates them, so a missing or renamed family fails at import, loudly, never as an empty list.

The Dockerfile family (`docker_checks`, with the Dockerfile parser: 13 ms of imports) is
imported on first use: `checks_for(ctx)` leaves it out, unimported, for a folder none of its
checks can say anything about (no `sdk: docker`, no Dockerfile uploaded: each of them yields
nothing then), so a static or Gradio deploy does not load it. `ALL_CHECKS` and `CHECK_LISTS`
still hold every check; they import the family when first read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from tui.domain.checks import (
    deps_checks,
    files_checks,
    gradio_checks,
    ignore_checks,
    readme_checks,
    sdk_checks,
    secret_checks,
    static_checks,
    streamlit_checks,
)
from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding

Check = Callable[[CheckContext], Iterable[Finding]]
#: One check family: the module that defines it, and its checks in order.
CheckFamily = tuple[str, Sequence[Check]]

DOCKER_FAMILY = "tui.domain.checks.docker_checks"
#: The file whose upload (or `sdk: docker`) makes the Dockerfile family worth running.
DOCKERFILE = "Dockerfile"

#: The families before and after the Dockerfile one, in the order findings are produced.
_BEFORE_DOCKER: tuple[CheckFamily, ...] = (
    (readme_checks.__name__, readme_checks.README_CHECKS),
    (files_checks.__name__, files_checks.FILES_CHECKS),
    (ignore_checks.__name__, ignore_checks.IGNORE_CHECKS),
    (secret_checks.__name__, secret_checks.SECRET_CHECKS),
    (sdk_checks.__name__, sdk_checks.SDK_CHECKS),
    (gradio_checks.__name__, gradio_checks.GRADIO_CHECKS),
    (streamlit_checks.__name__, streamlit_checks.STREAMLIT_CHECKS),
    (static_checks.__name__, static_checks.STATIC_CHECKS),
)
_AFTER_DOCKER: tuple[CheckFamily, ...] = ((deps_checks.__name__, deps_checks.DEPS_CHECKS),)

if TYPE_CHECKING:  # built by __getattr__ on first read
    #: Every check family, in the order findings are produced.
    CHECK_LISTS: tuple[CheckFamily, ...]
    ALL_CHECKS: list[Check]


def docker_applies(ctx: CheckContext) -> bool:
    """True when a Dockerfile check may find something: `sdk: docker` or a Dockerfile uploaded.

    A superset of `docker_common.applies` (which every Dockerfile check goes through):
    tests/domain/checks/test_registry_docker.py runs the family on folders where this is False.
    """
    return ctx.sdk == "docker" or DOCKERFILE in ctx.files


def checks_for(ctx: CheckContext) -> list[Check]:
    """The checks a deploy or `run_checks` runs on `ctx`: every one, in order, except the
    Dockerfile family (left unimported) when `docker_applies` is False."""
    if docker_applies(ctx):
        return _all_checks()
    return load_checks((*_BEFORE_DOCKER, *_AFTER_DOCKER))


def _check_lists() -> tuple[CheckFamily, ...]:
    lists: tuple[CheckFamily, ...] | None = globals().get("CHECK_LISTS")
    if lists is None:
        from tui.domain.checks import docker_checks

        docker = (docker_checks.__name__, docker_checks.DOCKER_CHECKS)
        lists = (*_BEFORE_DOCKER, docker, *_AFTER_DOCKER)
        globals()["CHECK_LISTS"] = lists  # module attribute from now on
    return lists


def _all_checks() -> list[Check]:
    checks: list[Check] | None = globals().get("ALL_CHECKS")
    if checks is None:
        checks = load_checks(_check_lists())
        globals()["ALL_CHECKS"] = checks
    return checks


def __getattr__(name: str) -> object:
    """`CHECK_LISTS` and `ALL_CHECKS`, built (the Dockerfile family imported) when first read."""
    if name == "CHECK_LISTS":
        return _check_lists()
    if name == "ALL_CHECKS":
        return _all_checks()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Families `spacetui check` runs on top of CHECK_LISTS, but a deploy does not. SECRET004 is
#: advice about git history, and the deploy engine stops on every SECRET* finding whatever its
#: severity (tui/domain/deploy/engine.py `_blocking`), so a deploy would refuse every git checkout.
REPORT_ONLY_LISTS: tuple[CheckFamily, ...] = (
    (secret_checks.__name__, secret_checks.REPORT_ONLY_SECRET_CHECKS),
)


def load_checks(lists: Sequence[CheckFamily] | None = None) -> list[Check]:
    """Every check of `lists` (default: `CHECK_LISTS`), families in order."""
    return [check for _, checks in (_check_lists() if lists is None else lists) for check in checks]


REPORT_ONLY_CHECKS: list[Check] = load_checks(REPORT_ONLY_LISTS)
