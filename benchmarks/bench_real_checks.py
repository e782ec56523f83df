"""Precision and recall of `spacetui check` on the judged real-Space corpus.

Prints, per check id and in total: error precision, warning precision, recall of
Space-breaking mistakes (as an error, and at any severity), folders whose exit code is wrong,
unjudged findings, and the slowest folder. Run: `python benchmarks/bench_real_checks.py`;
name folders (`… bench_real_checks.py jcheng5__simplepenguins.R dfalbel__testt`) to score a
hold-out batch alone.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.domain.checks.real_spaces import folders, judge, render, score  # noqa: E402
from tui.commands.check import render_text  # noqa: E402
from tui.domain.checks.engine import run_checks  # noqa: E402


def human_info_lines(path: Path) -> int:
    """Lines the human output spends on info for a folder without errors or warnings."""
    report = run_checks(path)
    if report.errors or report.warnings:
        return 0
    out = io.StringIO()
    render_text(report, out)
    return len(out.getvalue().splitlines()) - 1  # all but the summary line


def main(argv: list[str]) -> int:
    """Score every folder (or the folders named in `argv`) and print the table."""
    chosen = [p for p in folders() if not argv or p.name in argv]
    unknown = set(argv) - {p.name for p in chosen}
    if unknown:
        print(f"no such corpus folder: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    results = []
    slowest = (0.0, "")
    for path in chosen:
        start = time.perf_counter()
        results.append(judge(path))
        slowest = max(slowest, (time.perf_counter() - start, path.name))
    print(render(score(results)))
    clean = [human_info_lines(chosen[i]) for i, r in enumerate(results) if not r.truth["mistakes"]]
    print(f"human output, info lines per clean folder  max {max(clean, default=0)}")
    print(f"slowest folder               {slowest[0]:.2f} s ({slowest[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
