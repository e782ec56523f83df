"""The checks gate of a deploy: what stops it, what --force and --allow-secret let through."""

from __future__ import annotations

from pathlib import Path

from tui.domain.auth import HubTarget
from tui.domain.checks.engine import CheckReport
from tui.domain.checks.findings import Finding, Severity
from tui.domain.deploy.engine import Deployer
from tui.domain.deploy.options import DeployOptions
from tui.domain.hub import HubClient
from tui.domain.upload_set import collect_upload_set


def _gate(tmp_path: Path, findings: list[Finding], **options: object) -> list[str]:
    deployer = Deployer(
        HubClient(HubTarget(endpoint="http://127.0.0.1:9", token="hf_unused")),
        DeployOptions(tmp_path, "alice/app", **options),  # type: ignore[arg-type]
        emit=lambda event: None,
    )
    report = CheckReport(tmp_path, collect_upload_set(tmp_path), tuple(findings))
    return [f"{f.id}:{f.file}" for f in deployer._blocking(report)]


def test_secrets_block_even_with_force_and_each_file_can_be_allowed(tmp_path: Path) -> None:
    findings = [
        Finding("SECRET002", Severity.ERROR, "token", "settings.py", 1),
        Finding("SECRET001", Severity.ERROR, ".env file", ".env"),
        Finding("DOCKER004", Severity.ERROR, "root user", "Dockerfile", 1),
    ]
    assert _gate(tmp_path, findings) == [
        "SECRET002:settings.py",
        "SECRET001:.env",
        "DOCKER004:Dockerfile",
    ]
    assert _gate(tmp_path, findings, force=True) == ["SECRET002:settings.py", "SECRET001:.env"]
    allowed = frozenset({"settings.py"})
    assert _gate(tmp_path, findings, force=True, allow_secrets=allowed) == ["SECRET001:.env"]


def test_secret_advice_at_info_never_blocks(tmp_path: Path) -> None:
    # e.g. SECRET004 (git history is not uploaded): advice about a flow, not a secret found.
    advice = Finding("SECRET004", Severity.INFO, "history is not uploaded")
    warning = Finding("SECRET003", Severity.WARNING, "public Space with secrets", "README.md")
    assert _gate(tmp_path, [advice, warning]) == ["SECRET003:README.md"]
