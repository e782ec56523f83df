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


def test_the_command_line_words_each_remedy_as_the_flag_to_pass() -> None:
    from tui.commands.deploy_render import JsonRenderer
    from tui.domain.deploy.events import DeployResult, Reason, Remedy

    result = DeployResult(
        ok=False,
        outcome="blocked",
        message="",
        space_id="a/b",
        reasons=(
            Reason("Possible secrets in .env", Remedy.ALLOW_SECRET),
            Reason("The checks found 1 error, which stop the deploy", Remedy.FORCE),
        ),
    )
    out, err = io.StringIO(), io.StringIO()
    HumanRenderer(out, err, tty=False, delete=False)(result)
    assert err.getvalue().splitlines()[0] == (
        "FAILED: Possible secrets in .env: remove them, add them to .hfignore, or pass "
        "--allow-secret PATH for each file you really mean to publish. The checks found 1 error, "
        "which stop the deploy: fix them, or pass --force to deploy anyway."
    )
    json_out = io.StringIO()
    JsonRenderer(json_out)(result)
    assert '"remedies": ["allow_secret", "force"]' in json_out.getvalue()
    assert "pass --force to deploy anyway" in json_out.getvalue()
