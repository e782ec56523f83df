"""What the headless deploy prints about the checks: forced, blocked, secrets published as asked."""

from __future__ import annotations

import io

from tui.commands.deploy_render import HumanRenderer
from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy.events import ChecksDone, DeployResult

SECRET = Finding("SECRET001", Severity.ERROR, ".env holds credentials", ".env")
DOCKER = Finding("DOCKER012", Severity.ERROR, "uv pip install without --system", "Dockerfile", 4)


def _render(*events: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    render = HumanRenderer(out, err, tty=False, delete=False)
    for event in events:
        render(event)  # type: ignore[arg-type]
    return out.getvalue(), err.getvalue()


def test_force_says_deploying_anyway_only_when_nothing_still_blocks() -> None:
    out, _ = _render(ChecksDone((DOCKER,), (), forced=True))
    assert "deploying anyway (--force)" in out
    out, _ = _render(ChecksDone((DOCKER, SECRET), (SECRET,), forced=True))
    assert "anyway" not in out and "SECRET001" in out


def test_a_blocked_result_names_the_checks_that_stopped_it() -> None:
    blocked = DeployResult(
        ok=False, outcome="blocked", message="m", space_id="a/b", check_ids=("SECRET001",)
    )
    _, err = _render(blocked)
    assert "stopped by checks: SECRET001" in err and "likely explained" not in err
    failed = DeployResult(
        ok=False, outcome="build_failed", message="m", space_id="a/b", check_ids=("DOCKER012",)
    )
    _, err = _render(failed)
    assert "likely explained by checks: DOCKER012" in err


def test_a_flagged_file_published_with_allow_secret_is_said_out_loud() -> None:
    out, _ = _render(ChecksDone((SECRET,), ()))
    assert "publishing flagged files as asked (--allow-secret): .env" in out
    out, _ = _render(ChecksDone((DOCKER,), ()))
    assert "publishing flagged" not in out


def test_the_stretches_without_bytes_are_announced() -> None:
    from tui.domain.deploy.events import UploadPhase

    out, _ = _render(UploadPhase("preparing"), UploadPhase("committing"), UploadPhase("too_late"))
    lines = out.splitlines()
    assert lines[0].startswith("preparing the upload")
    assert lines[1].startswith("committing: the Hub has every byte")
    assert lines[2].startswith("too late to cancel")
