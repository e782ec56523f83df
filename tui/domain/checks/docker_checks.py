"""DOCKER_CHECKS: every Dockerfile check (DOCKER001-021, DOCKER025, DOCKER028-029) plus IGNORE004, for the registry.

Each check only reads the CheckContext and yields nothing unless `sdk: docker` (or no sdk and a
Dockerfile in the upload set); the rules are in shared/reference/checks.md §3 and §6.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_apt import APT_CHECKS
from tui.domain.checks.docker_base import BASE_CHECKS
from tui.domain.checks.docker_copy import COPY_CHECKS
from tui.domain.checks.docker_entry import ENTRY_CHECKS
from tui.domain.checks.docker_port import PORT_CHECKS
from tui.domain.checks.docker_python import PYTHON_CHECKS
from tui.domain.checks.docker_redact import redacted
from tui.domain.checks.docker_secrets import SECRET_CHECKS
from tui.domain.checks.docker_user import USER_CHECKS
from tui.domain.checks.docker_writes import WRITE_CHECKS
from tui.domain.checks.dockerignore import DOCKERIGNORE_CHECKS
from tui.domain.checks.findings import Finding

Check = Callable[[CheckContext], Iterable[Finding]]

DOCKER_CHECKS: list[Check] = [
    redacted(check)
    for check in (
        *BASE_CHECKS,
        *USER_CHECKS,
        *WRITE_CHECKS,
        *PYTHON_CHECKS,
        *APT_CHECKS,
        *SECRET_CHECKS,
        *PORT_CHECKS,
        *ENTRY_CHECKS,
        *COPY_CHECKS,
        *DOCKERIGNORE_CHECKS,
    )
]
