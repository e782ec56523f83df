"""The list of every check the engine runs, in catalogue order.

A check is `def check_x(ctx: CheckContext) -> Iterable[Finding]`. Each check module exports a
list (`README_CHECKS`, `DOCKER_CHECKS`, ...); this module imports each one by name and
concatenates them, so a missing or renamed family fails at import, loudly, never as an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tui.domain.checks import (
    deps_checks,
    docker_checks,
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

#: Every check family, in the order findings are produced.
CHECK_LISTS: tuple[CheckFamily, ...] = (
    (readme_checks.__name__, readme_checks.README_CHECKS),
    (files_checks.__name__, files_checks.FILES_CHECKS),
    (ignore_checks.__name__, ignore_checks.IGNORE_CHECKS),
    (secret_checks.__name__, secret_checks.SECRET_CHECKS),
    (sdk_checks.__name__, sdk_checks.SDK_CHECKS),
    (gradio_checks.__name__, gradio_checks.GRADIO_CHECKS),
    (streamlit_checks.__name__, streamlit_checks.STREAMLIT_CHECKS),
    (static_checks.__name__, static_checks.STATIC_CHECKS),
    (docker_checks.__name__, docker_checks.DOCKER_CHECKS),
    (deps_checks.__name__, deps_checks.DEPS_CHECKS),
)

#: Families `spacetui check` runs on top of CHECK_LISTS, but a deploy does not. SECRET004 is
#: advice about git history, and the deploy engine stops on every SECRET* finding whatever its
#: severity (tui/domain/deploy/engine.py `_blocking`), so a deploy would refuse every git checkout.
REPORT_ONLY_LISTS: tuple[CheckFamily, ...] = (
    (secret_checks.__name__, secret_checks.REPORT_ONLY_SECRET_CHECKS),
)


def load_checks(lists: Sequence[CheckFamily] = CHECK_LISTS) -> list[Check]:
    """Every check of `lists`, families in order."""
    return [check for _, checks in lists for check in checks]


ALL_CHECKS: list[Check] = load_checks()
REPORT_ONLY_CHECKS: list[Check] = load_checks(REPORT_ONLY_LISTS)
