"""The checks on the judged real-Space corpus: right gate per folder, no judged false alarm back.

Runs the checks in-process on every folder of tests/fixtures/real-spaces and compares with
tests/fixtures/real-spaces-truth. Figures (precision, recall) come from
benchmarks/bench_real_checks.py; this test holds the line on what must never regress.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.checks.real_spaces import FolderResult, folders, judge, load_truth, score

FOLDERS = folders()


@pytest.fixture(scope="module")
def results() -> dict[str, FolderResult]:
    return {path.name: judge(path) for path in FOLDERS}


def test_corpus_is_large_and_mostly_docker() -> None:
    sdks = [load_truth(p.name)["sdk"] for p in FOLDERS]
    assert len(sdks) >= 60
    assert sdks.count("docker") / len(sdks) >= 0.6


@pytest.mark.parametrize("path", FOLDERS, ids=[p.name for p in FOLDERS])
def test_gate_matches_the_truth(path: Path, results: dict[str, FolderResult]) -> None:
    res = results[path.name]
    errors = [f"{f.id} {f.file}:{f.line}" for f in res.findings if f.severity.value == "error"]
    assert res.blocks == res.should_block, f"errors: {errors}"


@pytest.mark.parametrize("path", FOLDERS, ids=[p.name for p in FOLDERS])
def test_no_judged_false_alarm_comes_back(path: Path, results: dict[str, FolderResult]) -> None:
    back = [f"{f.id} {f.severity.value} {f.file}:{f.line}" for f in results[path.name].false_alarms()]
    assert back == []


def test_every_finding_is_judged(results: dict[str, FolderResult]) -> None:
    assert score(results.values()).unjudged == []
