"""The check engine: context, ordering, JSON shape, crash isolation, read-only, seed mistakes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tui.domain.checks.context import CheckContext
from tui.domain.checks.engine import build_context, run_checks, sort_findings
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.registry import ALL_CHECKS, CHECK_LISTS
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.domain.upload_set import collect_upload_set


def _snapshot(root: Path) -> dict[str, tuple[str, float]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            stat = path.lstat()
            digest = hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else "dir"
            out[str(path.relative_to(root))] = (digest, stat.st_mtime)
    return out


def test_context_is_built_once_from_the_upload_set(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("---\nsdk: docker\napp_port: 8080\n---\n")
    (tmp_path / "Dockerfile").write_text("FROM python\n")
    (tmp_path / ".hfignore").write_text("*.log\n")
    (tmp_path / "x.log").write_text("x")
    upload_set = collect_upload_set(tmp_path)
    ctx = build_context(tmp_path, upload_set)
    assert set(ctx.files) == {"README.md", "Dockerfile", ".hfignore"}
    assert ctx.excluded == {"x.log": ".hfignore line 1: *.log"}
    assert (ctx.sdk, ctx.app_port, ctx.card_lines["app_port"]) == ("docker", 8080, 3)
    assert ctx.upload_set is upload_set and ctx.front_matter is not None


def test_effective_port_falls_back_to_7860(tmp_path: Path) -> None:
    for raw, expected in (
        ("80000", 7860),
        ('"8501"', 8501),
        ("true", 7860),
        ("abc", 7860),
        ("80", 7860),
    ):
        (tmp_path / "README.md").write_text(f"---\nsdk: docker\napp_port: {raw}\n---\n")
        assert build_context(tmp_path, collect_upload_set(tmp_path)).app_port == expected


def test_findings_sorted_by_severity_then_file_then_line() -> None:
    findings = [
        Finding("B", Severity.INFO, "i", "a", 1),
        Finding("A", Severity.WARNING, "w", "b", 2),
        Finding("C", Severity.ERROR, "e", "z", 9),
        Finding("D", Severity.ERROR, "e", "a", 10),
        Finding("E", Severity.ERROR, "e", "a", 2),
        Finding("F", Severity.ERROR, "e", None, None),
    ]
    assert [f.id for f in sort_findings(findings)] == ["F", "E", "D", "C", "A", "B"]


def test_a_crashing_check_becomes_an_internal_warning(tmp_path: Path) -> None:
    def check_explodes(ctx: CheckContext):
        raise RuntimeError("boom hf_" + "abcdefghijABCDEFGHIJ")
        yield  # pragma: no cover

    def check_fine(ctx: CheckContext):
        yield Finding("OK001", Severity.INFO, "fine")

    report = run_checks(tmp_path, checks=[check_explodes, check_fine])
    assert [f.id for f in report.findings] == ["INTERNAL", "OK001"]
    internal = report.findings[0]
    assert internal.severity is Severity.WARNING
    assert "check_explodes" in internal.message and "RuntimeError" in internal.message
    assert "abcdefghij" not in internal.message  # token-shaped text is redacted


def test_report_summary_and_json(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("---\nsdk: docker\ncolorTo: orange\n---\n")
    (tmp_path / "big.txt").write_text("x" * 100)
    (tmp_path / ".hfignore").write_text("*.tmp\n")
    (tmp_path / "a.tmp").write_text("")
    report = run_checks(tmp_path)
    summary = report.summary()
    assert summary["files"] == 3 and summary["excluded"] == 1
    assert summary["bytes"] == sum(
        f.stat().st_size for f in tmp_path.iterdir() if f.name != "a.tmp"
    )
    assert summary["errors"] == len(report.errors) >= 1
    assert summary["warnings"] == len(report.warnings)
    assert summary["infos"] == len(report.infos)
    doc = report.to_json()
    assert set(doc) == {"path", "summary", "findings"}
    assert doc["path"] == str(tmp_path)
    for item in doc["findings"]:
        assert set(item) == {"id", "severity", "message", "file", "line"}


def test_the_engine_never_changes_the_folder(tmp_path: Path) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="T"))
    (tmp_path / "app.py").write_text("def broken(:\n")
    (tmp_path / ".env").write_text("X=1\n")
    before = _snapshot(tmp_path)
    run_checks(tmp_path)
    assert _snapshot(tmp_path) == before


def test_registry_includes_every_family() -> None:
    modules = {check.__module__ for check in ALL_CHECKS}
    for module, _ in CHECK_LISTS[:5]:
        assert module in modules


def test_seed_mistakes_are_named_with_file_line_and_fix(tmp_path: Path) -> None:
    """The issue's seed mistakes, all in one folder, each reported with a place and a fix."""
    (tmp_path / "README.md").write_text(
        "---\ntitle: Demo\nemoji: 🚀\ncolorFrom: blue\ncolorTo: orange\nsdk: docker\n"
        "short_description: " + "x" * 61 + "\n---\n"
    )
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\nCOPY . /app\nRUN uv pip install -r /app/requirements.txt\n"
        'CMD ["uvicorn", "app:app", "--host", "127.0.0.1", "--port", "7860"]\n'
    )
    (tmp_path / "requirements.txt").write_text("fastapi\n")
    (tmp_path / ".env").write_text("HF_TOKEN=hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi\n")
    report = run_checks(tmp_path)
    by_id = {f.id: f for f in report.findings}
    assert by_id["README007"].line == 5 and "orange" in by_id["README007"].message
    assert by_id["README008"].line == 7
    assert by_id["SECRET001"].file == ".env" and by_id["SECRET002"].line == 1
    for rule in ("README007", "README008", "SECRET001", "SECRET002"):
        assert ":" in by_id[rule].message  # "what is wrong: how to fix it"
