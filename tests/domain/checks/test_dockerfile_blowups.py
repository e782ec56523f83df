"""Hostile Dockerfiles stay bounded: ENV doubling and thousands of stages (issue 14 point 11)."""

from __future__ import annotations

from pathlib import Path

from tui.domain.checks.docker_common import end_state
from tui.domain.checks.engine import run_checks
from tui.domain.dockerfile import MAX_EXPANSION, parse_dockerfile, substitute
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.emulator import life_dockerfile

DOUBLING = "FROM python:3.12-slim\nENV A=x\n" + "ENV A=$A$A\n" * 25  # 2**25 characters unbounded


def test_env_doubling_is_capped_in_the_checks() -> None:
    df = parse_dockerfile(DOUBLING)
    value = end_state(df, df.stages[0]).env["A"]
    assert value == "x" * MAX_EXPANSION  # expanded as far as the cap, then cut


def test_env_doubling_is_capped_in_the_emulator_build() -> None:
    env: dict[str, str] = {"A": "x"}
    for _ in range(25):  # what the emulator's build does for each `ENV A=$A$A`
        env["A"] = life_dockerfile.substitute("$A$A", env)
    assert env["A"] == "x" * life_dockerfile.MAX_EXPANSION


def test_many_references_on_one_line_stop_at_the_cap() -> None:
    env = {"A": "y" * MAX_EXPANSION}
    out = substitute("$A" * 10_000, env)  # 10,000 x 64 KiB were built before being cut
    assert out == "y" * MAX_EXPANSION
    assert substitute("z" * (MAX_EXPANSION + 5), {}) == "z" * (MAX_EXPANSION + 5)  # text kept


def test_a_3000_stage_chain_runs_every_docker_check(tmp_path: Path) -> None:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    lines = ["FROM python:3.11-slim AS s0", "WORKDIR /app"]
    for i in range(1, 3000):
        lines += [f"FROM s{i - 1} AS s{i}", f"ENV V{i}=$V{i - 1}x"]
    lines += ["COPY . /app", 'CMD ["python", "app.py"]']
    (folder / "Dockerfile").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_checks(folder)
    crashed = [f.message for f in report.findings if f.id == "INTERNAL"]
    assert crashed == []  # each used to crash on the 3,000-deep parent chain (RecursionError)
    ids = {f.id for f in report.findings}
    assert {"DOCKER004", "DOCKER005"} <= ids  # the final stage was judged through its chain


def test_the_first_stage_of_a_name_is_the_one_referred_to() -> None:
    df = parse_dockerfile("FROM a AS x\nFROM b AS X\nFROM x\n")
    assert df.stage_named("x") is df.stages[0]
    assert df.stage_named("nope") is None
