"""The docs stay true: the CLI page matches the parser, the site builds, README's commands are CI's."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_matches_the_parser() -> None:
    generator = runpy.run_path(str(ROOT / "scripts" / "gen_cli_docs.py"))
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == generator["render"](), "docs/cli.md is stale: run scripts/gen_cli_docs.py"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", readme)
    assert len(commands) == 2, "README must keep exactly two quick-start commands"
    install_and_test = commands[1].split(" && ", 2)[2]
    assert install_and_test in ci.replace("pip install -q ", "pip install "), install_and_test


def test_readme_is_short_and_its_links_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for target in re.findall(r"\]\(((?:docs/)[^)#]+)\)", readme):
        assert (ROOT / target).exists(), target


def test_every_docs_picture_exists() -> None:
    for page in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name}: {target}"


@pytest.mark.slow
def test_site_builds_strictly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
