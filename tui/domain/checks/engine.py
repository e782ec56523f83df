"""Run every registered check over a Space folder and collect a sorted, JSON-ready report.

The engine only reads: it walks the folder once (the upload set), parses README.md once, and
hands the same CheckContext to every check. A check that raises does not stop the run; it is
reported as an INTERNAL warning naming the check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.frontmatter import parse_front_matter
from tui.domain.redact import redact
from tui.domain.stat_mark import StatMark
from tui.domain.upload_set import UploadSet, collect_upload_set

if TYPE_CHECKING:  # the registry imports every check family: loaded on the first run only
    from tui.domain.checks.registry import Check

DEFAULT_APP_PORT = 7860


@dataclass(frozen=True)
class CheckReport:
    """Findings for one folder, worst first, with the upload set they were computed on."""

    path: Path
    upload_set: UploadSet
    findings: tuple[Finding, ...]
    #: The paths the checks asked about, and their `stat` then (`CheckContext.touched`).
    touched: Mapping[str, StatMark | None] = field(default_factory=dict)

    def _of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that block a deploy."""
        return self._of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings that very likely break the Space."""
        return self._of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """Facts worth knowing; never blocking."""
        return self._of(Severity.INFO)

    def summary(self) -> dict[str, int]:
        """Counts: files, bytes, excluded entries, errors, warnings, infos."""
        return {
            "files": len(self.upload_set.files),
            "bytes": self.upload_set.total_bytes,
            "excluded": len(self.upload_set.excluded),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
        }

    def to_json(self) -> dict[str, object]:
        """The document `spacetui check --json` prints."""
        return {
            "path": str(self.path),
            "summary": self.summary(),
            "findings": [f.to_json() for f in self.findings],
        }


def _valid_port(value: object) -> int | None:
    """app_port as the Hub accepts it (an integer, or digits, in 1025..65535), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1025 <= value <= 65535:
        return value
    return None


def _effective_port(card: dict[str, object] | None) -> int:
    # A rejected app_port is not used by the Hub at all (CONFIG_ERROR): the checks compare with
    # the default README009 recommends, never with the rejected value.
    return _valid_port((card or {}).get("app_port")) or DEFAULT_APP_PORT


def _rejected_port(card: dict[str, object] | None) -> object:
    """The app_port the Hub rejects, as written; None when absent or valid."""
    if not card or card.get("app_port") is None:
        return None
    value = card["app_port"]
    return value if _valid_port(value) is None else None


def build_context(root: Path, upload_set: UploadSet) -> CheckContext:
    """The CheckContext of `root`: its upload set and its README front matter, parsed once."""
    ctx = CheckContext(
        root=Path(root),
        files={f.path: f.size for f in upload_set.files},
        excluded={e.path: e.reason for e in upload_set.excluded},
        upload_set=upload_set,
    )
    # The README is parsed even when an ignore rule drops it: IGNORE002 reports the drop, and
    # the other checks still judge the config the user meant to ship.
    text = ctx.read_text("README.md") if ctx.is_file("README.md") else None
    if text is not None:
        front = parse_front_matter(text)
        ctx.front_matter = front
        ctx.card = front.data
        ctx.card_lines = front.key_lines
        sdk = front.data.get("sdk") if front.data is not None else None
        ctx.sdk = sdk if isinstance(sdk, str) else None
        ctx.app_port = _effective_port(front.data)
        ctx.rejected_app_port = _rejected_port(front.data)
    return ctx


def _check_name(check: Check) -> str:
    return getattr(check, "__qualname__", None) or repr(check)


def _run_one(check: Check, ctx: CheckContext) -> list[Finding]:
    try:
        return list(check(ctx))
    except Exception as exc:  # one broken check must not hide the others
        return [
            Finding(
                "INTERNAL",
                Severity.WARNING,
                redact(
                    f"check {_check_name(check)} crashed ({type(exc).__name__}: {exc}); its "
                    "rules were not checked. Please report this with the folder that caused it."
                ),
            )
        ]


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Worst first, then by file and line, then by id."""
    return tuple(
        sorted(
            findings,
            key=lambda f: (f.severity.rank, f.file or "", f.line or 0, f.id, f.message),
        )
    )


def run_checks(
    root: Path,
    *,
    upload_set: UploadSet | None = None,
    remote_gitignore: str | None = None,
    checks: Sequence[Check] | None = None,
) -> CheckReport:
    """Check the Space folder `root`; raises UsageError only when it is not a folder."""
    from tui.domain.checks.registry import checks_for

    root = Path(root)
    if upload_set is None:
        upload_set = collect_upload_set(root, remote_gitignore=remote_gitignore)
    ctx = build_context(root, upload_set)
    findings: list[Finding] = []
    for check in checks_for(ctx) if checks is None else checks:
        findings.extend(_run_one(check, ctx))
    return CheckReport(
        path=root,
        upload_set=upload_set,
        findings=sort_findings(findings),
        touched=dict(ctx.touched),
    )
