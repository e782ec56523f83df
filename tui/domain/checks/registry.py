"""The list of every check the engine runs, in catalogue order.

A check is `def check_x(ctx: CheckContext) -> Iterable[Finding]`. Each check module exports a
list (`README_CHECKS`, `DOCKER_CHECKS`, ...); this module concatenates them. The Docker and
dependency checks live in modules written separately and are picked up when present.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding

Check = Callable[[CheckContext], Iterable[Finding]]

#: (module, list name) of every check family, in the order findings are produced.
CHECK_LISTS: tuple[tuple[str, str], ...] = (
    ("tui.domain.checks.readme_checks", "README_CHECKS"),
    ("tui.domain.checks.files_checks", "FILES_CHECKS"),
    ("tui.domain.checks.ignore_checks", "IGNORE_CHECKS"),
    ("tui.domain.checks.secret_checks", "SECRET_CHECKS"),
    ("tui.domain.checks.sdk_checks", "SDK_CHECKS"),
    ("tui.domain.checks.gradio_checks", "GRADIO_CHECKS"),
    ("tui.domain.checks.streamlit_checks", "STREAMLIT_CHECKS"),
    ("tui.domain.checks.static_checks", "STATIC_CHECKS"),
    ("tui.domain.checks.docker_checks", "DOCKER_CHECKS"),
    ("tui.domain.checks.deps_checks", "DEPS_CHECKS"),
)

#: Families `spacetui check` runs on top of CHECK_LISTS, but a deploy does not. SECRET004 is
#: advice about git history, and the deploy engine stops on every SECRET* finding whatever its
#: severity (tui/domain/deploy/engine.py `_blocking`), so a deploy would refuse every git checkout.
REPORT_ONLY_LISTS: tuple[tuple[str, str], ...] = (
    ("tui.domain.checks.secret_checks", "REPORT_ONLY_SECRET_CHECKS"),
)


def _load(module_name: str, list_name: str) -> list[Check]:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Only "this family is not written yet" is tolerated; a broken import inside an
        # existing module must still fail loudly.
        if exc.name == module_name:
            return []
        raise
    return list(getattr(module, list_name, []))


def load_checks(lists: tuple[tuple[str, str], ...] = CHECK_LISTS) -> list[Check]:
    """Every check of `lists`, families in order (imports them on first use)."""
    checks: list[Check] = []
    for module_name, list_name in lists:
        checks.extend(_load(module_name, list_name))
    return checks


ALL_CHECKS: list[Check] = load_checks()
REPORT_ONLY_CHECKS: list[Check] = load_checks(REPORT_ONLY_LISTS)
