"""Score the checks against the judged real-Space corpus (tests/fixtures/real-spaces).

Each folder has a truth file in tests/fixtures/real-spaces-truth/<folder>.yaml, written by
reading the folder before running the tool: `mistakes` (what really breaks the Space, with the
check ids that should report it and the severity it deserves) and `findings` (every finding the
tool made, judged true / false / debatable). The benchmark and the test share this module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tui.domain.checks.engine import run_checks
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.registry import ALL_CHECKS, REPORT_ONLY_CHECKS

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "fixtures" / "real-spaces"
TRUTH = ROOT / "tests" / "fixtures" / "real-spaces-truth"


def folders() -> list[Path]:
    """Every Space folder of the corpus, sorted by name."""
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_truth(name: str) -> dict[str, Any]:
    """The truth file of one folder."""
    return yaml.safe_load((TRUTH / f"{name}.yaml").read_text(encoding="utf-8"))


def check_folder(path: Path) -> list[Finding]:
    """What `spacetui check` reports for one folder (in-process, offline)."""
    report = run_checks(path, checks=[*ALL_CHECKS, *REPORT_ONLY_CHECKS])
    return list(report.findings)


def _key(finding: Finding) -> tuple[str, str | None, int | None]:
    return (finding.id, finding.file, finding.line)


@dataclass
class FolderResult:
    """One folder: its findings, each with the verdict its truth file gives (None: unjudged)."""

    name: str
    truth: dict[str, Any]
    findings: list[Finding]
    verdicts: list[str | None]

    @property
    def blocks(self) -> bool:
        """The tool's gate: any error blocks the deploy."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def should_block(self) -> bool:
        """The truth's gate: a Space-breaking mistake present in the folder."""
        return bool(self.truth.get("blocks"))

    def false_alarms(self) -> list[Finding]:
        """Warnings and errors at a place a verdict already judged false."""
        false_keys = {
            (v["id"], v["file"], v["line"])
            for v in self.truth["findings"]
            if v["verdict"] == "false"
        }
        return [
            f for f in self.findings if f.severity is not Severity.INFO and _key(f) in false_keys
        ]


def judge(path: Path) -> FolderResult:
    """Run the checks on one folder and attach the truth file's verdicts."""
    truth = load_truth(path.name)
    by_key = {
        (v["id"], v["file"], v["line"], v["severity"]): v["verdict"] for v in truth["findings"]
    }
    findings = check_folder(path)
    verdicts = [by_key.get((*_key(f), f.severity.value)) for f in findings]
    return FolderResult(path.name, truth, findings, verdicts)


@dataclass
class Score:
    """Corpus-wide figures, in total and per check id."""

    reported: Counter[tuple[str, str]] = field(default_factory=Counter)  # (id, severity)
    true: Counter[tuple[str, str]] = field(default_factory=Counter)
    false: Counter[tuple[str, str]] = field(default_factory=Counter)
    unjudged: list[tuple[str, str, str]] = field(default_factory=list)
    breaking: int = 0
    breaking_as_error: int = 0
    breaking_any: int = 0
    wrong_gate: list[str] = field(default_factory=list)
    folders: int = 0
    clean_infos: list[int] = field(default_factory=list)

    def precision(self, severity: str, check: str | None = None) -> tuple[int, int]:
        """(true, reported) at one severity, for one check or in total."""
        keys = [k for k in self.reported if k[1] == severity and (check is None or k[0] == check)]
        return sum(self.true[k] for k in keys), sum(self.reported[k] for k in keys)


def score(results: Iterable[FolderResult]) -> Score:
    """Add up verdicts, recall of breaking mistakes and gate errors."""
    out = Score()
    for res in results:
        out.folders += 1
        for finding, verdict in zip(res.findings, res.verdicts, strict=True):
            key = (finding.id, finding.severity.value)
            out.reported[key] += 1
            if verdict is None:
                out.unjudged.append((res.name, finding.id, finding.message))
            elif verdict == "true":
                out.true[key] += 1
            elif verdict == "false":
                out.false[key] += 1
        for mistake in res.truth["mistakes"]:
            if not mistake.get("breaking") or mistake.get("in_fixture") is False:
                continue
            out.breaking += 1
            ids = set(mistake["checks"])
            hits = [
                f
                for f, verdict in zip(res.findings, res.verdicts, strict=True)
                if f.id in ids and verdict != "false"
            ]
            out.breaking_any += bool(hits)
            out.breaking_as_error += any(f.severity is Severity.ERROR for f in hits)
        if res.blocks != res.should_block:
            out.wrong_gate.append(res.name)
        if not res.truth["mistakes"]:
            out.clean_infos.append(sum(f.severity is Severity.INFO for f in res.findings))
    return out


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f} % ({num}/{den})" if den else "    - "


def render(result: Score) -> str:
    """A plain-text table: per check id, then the totals."""
    lines = [f"{'check':<13} {'error precision':<22} {'warning precision':<22} false"]
    per: dict[str, int] = defaultdict(int)
    for (check, _sev), n in result.false.items():
        per[check] += n
    for check in sorted({k[0] for k in result.reported}):
        err = result.precision("error", check)
        warn = result.precision("warning", check)
        if not err[1] and not warn[1]:
            continue
        lines.append(f"{check:<13} {_pct(*err):<22} {_pct(*warn):<22} {per[check]}")
    lines.append("")
    lines.append(f"folders                      {result.folders}")
    lines.append(f"error precision              {_pct(*result.precision('error'))}")
    lines.append(f"warning precision            {_pct(*result.precision('warning'))}")
    lines.append(f"breaking mistakes as error   {_pct(result.breaking_as_error, result.breaking)}")
    lines.append(f"breaking mistakes, any sev.  {_pct(result.breaking_any, result.breaking)}")
    lines.append(f"wrong exit code              {_pct(len(result.wrong_gate), result.folders)}")
    if result.wrong_gate:
        lines.append("  " + ", ".join(result.wrong_gate))
    clean = result.clean_infos
    lines.append(
        f"info findings per clean folder  max {max(clean, default=0)}, "
        f"mean {sum(clean) / len(clean) if clean else 0:.1f}"
    )
    lines.append(f"unjudged findings            {len(result.unjudged)}")
    for name, check, message in result.unjudged[:20]:
        lines.append(f"  {name}: {check} {message[:100]}")
    return "\n".join(lines)
