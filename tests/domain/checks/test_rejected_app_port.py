"""An app_port the Hub rejects (README009): the Docker port checks never propose that port.

The Hub refuses such a README at validate-yaml ('"app_port" must be greater than or equal to
1025') and a Space that has one ends in CONFIG_ERROR, so DOCKER018/019 say "fix app_port first"
and compare with the app's own valid port or the default 7860, as README009 advises.
"""

from __future__ import annotations

from pathlib import Path

from tui.domain.checks.engine import build_context, run_checks
from tui.domain.checks.findings import Finding, Severity
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.domain.upload_set import collect_upload_set


def scaffold(root: Path, *, app_port: str, listen: str = "7860", expose: str = "7860") -> Path:
    """`spacetui init`'s Space with app_port, the uvicorn --port and EXPOSE edited."""
    write_scaffold(root, ScaffoldOptions(title="QA"))
    readme = (root / "README.md").read_text()
    (root / "README.md").write_text(readme.replace("app_port: 7860", f"app_port: {app_port}"))
    dockerfile = (root / "Dockerfile").read_text()
    assert '"--port", "7860"' in dockerfile and "EXPOSE 7860" in dockerfile
    dockerfile = dockerfile.replace('"--port", "7860"', f'"--port", "{listen}"')
    (root / "Dockerfile").write_text(dockerfile.replace("EXPOSE 7860", f"EXPOSE {expose}"))
    return root


def by_id(root: Path) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for f in run_checks(root).findings:
        found.setdefault(f.id, []).append(f)
    return found


def test_port_80_everywhere_gets_one_consistent_fix(tmp_path: Path) -> None:
    # The QA case: README009 said "use 7860" while DOCKER018/019 said "--port 80" / "EXPOSE 80".
    found = by_id(scaffold(tmp_path / "s", app_port="80", listen="80", expose="80"))
    (readme,) = found["README009"]
    assert readme.severity is Severity.ERROR and "7860" in readme.message
    (listen,) = found["DOCKER018"]
    assert listen.severity is Severity.ERROR
    assert "fix app_port first" in listen.message.lower()
    assert "--port 7860" in listen.message and "app_port: 7860" in listen.message
    assert "--port 80" not in listen.message and "app_port: 80." not in listen.message
    (expose,) = found["DOCKER019"]
    assert "EXPOSE 7860" in expose.message and "app_port: 7860" in expose.message
    assert "Write EXPOSE 80" not in expose.message and "set app_port: 80" not in expose.message


def test_an_app_on_a_valid_port_is_proposed_as_the_app_port(tmp_path: Path) -> None:
    found = by_id(scaffold(tmp_path / "s", app_port="80", listen="8000", expose="8000"))
    (listen,) = found["DOCKER018"]
    assert listen.severity is Severity.INFO  # the Dockerfile is fine: only app_port is wrong
    assert "setting app_port: 8000" in listen.message
    assert "DOCKER019" not in found  # EXPOSE 8000 could be app_port; nothing to say


def test_an_app_on_7860_needs_no_docker_finding(tmp_path: Path) -> None:
    found = by_id(scaffold(tmp_path / "s", app_port="80"))
    assert "README009" in found
    assert "DOCKER018" not in found and "DOCKER019" not in found


def test_a_valid_app_port_never_proposes_a_privileged_one(tmp_path: Path) -> None:
    found = by_id(scaffold(tmp_path / "s", app_port="7860", listen="80", expose="80"))
    (listen,) = found["DOCKER018"]
    assert "--port 7860" in listen.message and "app_port: 80" not in listen.message
    (expose,) = found["DOCKER019"]
    assert "Write EXPOSE 7860" in expose.message and "app_port: 80" not in expose.message


def test_context_keeps_the_rejected_value_and_compares_with_7860(tmp_path: Path) -> None:
    for raw, rejected in (("80", 80), ('"80"', "80"), ("70000", 70000), ("abc", "abc")):
        (tmp_path / "README.md").write_text(f"---\nsdk: docker\napp_port: {raw}\n---\n")
        ctx = build_context(tmp_path, collect_upload_set(tmp_path))
        assert (ctx.app_port, ctx.rejected_app_port) == (7860, rejected)
    (tmp_path / "README.md").write_text("---\nsdk: docker\napp_port: 8080\n---\n")
    ctx = build_context(tmp_path, collect_upload_set(tmp_path))
    assert (ctx.app_port, ctx.rejected_app_port) == (8080, None)
