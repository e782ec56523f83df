"""`spacetui init`: the scaffold checks clean, honours its options and never overwrites silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.domain.checks.engine import run_checks
from tui.domain.dockerfile import parse_dockerfile
from tui.domain.scaffold import ScaffoldOptions, scaffold_files, title_for


def test_init_then_check_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "my-cool_space"
    assert main(["init", str(target)]) == 0
    assert "created README.md, Dockerfile, app.py, requirements.txt, .hfignore" in (
        capsys.readouterr().out
    )
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [".hfignore", "Dockerfile", "README.md", "app.py", "requirements.txt"]
    )
    assert main(["check", "--json", str(target)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == [], doc["findings"]
    assert 'title: "My Cool Space"' in (target / "README.md").read_text()


@pytest.mark.parametrize(("port", "python"), [(7860, "3.12"), (8080, "3.11"), (3000, "3.13")])
def test_options_reach_the_files_and_stay_clean(tmp_path: Path, port: int, python: str) -> None:
    assert main(["init", str(tmp_path), "--port", str(port), "--python", python]) == 0
    readme = (tmp_path / "README.md").read_text()
    assert f"app_port: {port}\n" in readme
    dockerfile = parse_dockerfile((tmp_path / "Dockerfile").read_text())
    final = dockerfile.final_stage
    assert final is not None and final.base == f"python:{python}-slim"
    (cmd,) = [i for i in final.instructions if i.keyword == "CMD"]
    assert cmd.exec_form[-4:] == ["--host", "0.0.0.0", "--port", str(port)]
    assert not [f for f in run_checks(tmp_path).findings if f.severity.value != "info"]


def test_dockerfile_runs_as_uid_1000_with_home_and_path() -> None:
    text = scaffold_files(ScaffoldOptions(title="T"))["Dockerfile"]
    assert "useradd -m -u 1000 user" in text
    assert text.index("USER user") < text.index("pip install")
    assert "PATH=/home/user/.local/bin:$PATH" in text and "HOME=/home/user" in text
    assert "--no-cache-dir" in text and "COPY --chown=user" in text


def test_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    (tmp_path / "app.py").write_text("mine\n")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "README.md, app.py already exist" in err
    assert (tmp_path / "README.md").read_text() == "mine\n"
    assert not (tmp_path / "Dockerfile").exists(), "nothing is written on refusal"
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "README.md").read_text().startswith("---\n")


@pytest.mark.parametrize(
    "argv",
    [["--port", "80"], ["--port", "70000"], ["--python", "2.7"], ["--python", "latest"]],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(["init", str(tmp_path / "x"), *argv]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_path_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("")
    assert main(["init", str(tmp_path / "f")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_title_from_folder_name(tmp_path: Path) -> None:
    assert title_for(tmp_path / "my-cool_space") == "My Cool Space"
