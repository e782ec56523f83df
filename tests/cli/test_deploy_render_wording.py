"""The headless deploy's checks line counts in words: "1 error, no warnings", never "error(s)"."""

from __future__ import annotations

import io

from tui.commands.deploy_render import HumanRenderer
from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy.events import ChecksDone


def _checks_line(*severities: Severity) -> str:
    out, err = io.StringIO(), io.StringIO()
    findings = tuple(Finding(f"X{n:03}", s, "m", "README.md") for n, s in enumerate(severities))
    HumanRenderer(out, err, tty=False, delete=False)(ChecksDone(findings, ()))
    return out.getvalue().splitlines()[0]


def test_the_checks_line_says_one_error_and_no_warnings() -> None:
    assert _checks_line(Severity.ERROR) == "checks: 1 error, no warnings"


def test_the_checks_line_says_plurals() -> None:
    line = _checks_line(Severity.ERROR, Severity.ERROR, Severity.WARNING, Severity.INFO)
    assert line == "checks: 2 errors, 1 warning"
