"""check --online: a Hub message about a field a local README check already reports is said once."""

from __future__ import annotations

import asyncio

import httpx

from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.online import HUB_AGREES, merge_hub_findings, validate_readme

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
README = "---\ntitle: T\nemoji: 🚀\ncolorTo: orange\nsdk: docker\n---\n"


def hub(severity: Severity, line: int | None, text: str = "x") -> Finding:
    return Finding("README027", severity, text, "README.md", line)


def local(rule: str, severity: Severity, line: int | None, file: str = "README.md") -> Finding:
    return Finding(rule, severity, "local.", file, line)


def test_same_line_same_severity_is_merged() -> None:
    merged = merge_hub_findings([local("README007", ERROR, 4)], [hub(ERROR, 4)])
    assert [(f.id, f.message) for f in merged] == [("README007", "local." + HUB_AGREES)]


def test_hub_error_stays_when_local_only_warns() -> None:
    merged = merge_hub_findings([local("README005", WARNING, 2)], [hub(ERROR, 2)])
    assert [f.id for f in merged] == ["README005", "README027"]
    assert merged[0].message == "local."


def test_hub_warning_covered_by_a_local_error_is_dropped_without_a_note() -> None:
    merged = merge_hub_findings([local("README009", ERROR, 3)], [hub(WARNING, 3)])
    assert [(f.id, f.message) for f in merged] == [("README009", "local.")]


def test_only_readme_checks_cover_hub_messages() -> None:
    findings = [local("STATIC001", ERROR, 5), local("README007", ERROR, 5, file="x.md")]
    merged = merge_hub_findings(findings, [hub(ERROR, 5)])
    assert [f.id for f in merged] == ["STATIC001", "README007", "README027"]


def test_messages_without_a_field_line_and_failures_are_kept() -> None:
    failure = Finding("README027", WARNING, "online check skipped: ...")
    merged = merge_hub_findings([local("README003", ERROR, None)], [hub(ERROR, None), failure])
    assert [f.id for f in merged] == ["README003", "README027", "README027"]


def test_two_hub_errors_on_one_field_note_it_once() -> None:
    merged = merge_hub_findings([local("README007", ERROR, 4)], [hub(ERROR, 4), hub(ERROR, 4)])
    assert [f.message for f in merged] == ["local." + HUB_AGREES]


def test_hub_findings_carry_the_line_of_the_field_they_name() -> None:
    # The Hub's answer shape (Joi messages naming the field first); the transport stands in for
    # the network only, the emulator run is in tests/cli/test_check.py.
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            json={
                "errors": [
                    {"message": '"colorTo" must be one of [red, yellow]'},
                    {"message": "Invalid YAML somewhere"},
                ],
                "warnings": [{"message": '"sdk" is deprecated'}],
            },
        )

    async def run() -> list[Finding]:
        transport = httpx.MockTransport(answer)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            return await validate_readme(client, README)

    found = asyncio.run(run())
    assert [(f.severity, f.line) for f in found] == [(ERROR, 4), (ERROR, None), (WARNING, 5)]
