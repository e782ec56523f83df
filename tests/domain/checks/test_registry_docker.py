"""The Dockerfile family is left out (and unimported) only where none of its checks can fire."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from tests.domain.checks.real_spaces import folders
from tests.helpers.checks import write_tree
from tui.domain.checks import registry
from tui.domain.checks.docker_checks import DOCKER_CHECKS
from tui.domain.checks.engine import build_context
from tui.domain.upload_set import collect_upload_set

ROOT = Path(__file__).resolve().parents[3]
DOCKER_SPACES = [p for p in folders() if (p / "Dockerfile").is_file()]


def test_the_corpus_has_dockerfiles_the_family_finds_things_in() -> None:
    assert len(DOCKER_SPACES) >= 10
    found = 0
    for folder in DOCKER_SPACES:
        ctx = dataclasses.replace(build_context(folder, collect_upload_set(folder)), sdk="docker")
        assert registry.docker_applies(ctx)
        found += sum(1 for check in DOCKER_CHECKS for _ in check(ctx))
    assert found > 0  # the test below is not vacuous: these folders do fire Dockerfile checks


@pytest.mark.parametrize("sdk", ["gradio", "streamlit", "static", None])
@pytest.mark.parametrize("folder", DOCKER_SPACES, ids=lambda p: p.name)
def test_where_docker_does_not_apply_no_dockerfile_check_finds_anything(
    folder: Path, sdk: str | None
) -> None:
    """A real Space with a Dockerfile (and .dockerignore, Docker-only files), seen as not a
    Docker Space: another sdk, and the Dockerfile not uploaded (ignored)."""
    ctx = build_context(folder, collect_upload_set(folder))
    files = {path: size for path, size in ctx.files.items() if path != registry.DOCKERFILE}
    ctx = dataclasses.replace(ctx, sdk=sdk, files=files, excluded={"Dockerfile": "ignored"})
    assert not registry.docker_applies(ctx)
    assert [f for check in DOCKER_CHECKS for f in check(ctx)] == []


def test_checks_for_keeps_every_check_in_order_when_docker_applies(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "---\nsdk: gradio\n---\n", "Dockerfile": "FROM x\n"})
    ctx = build_context(tmp_path, collect_upload_set(tmp_path))
    assert registry.checks_for(ctx) == registry.ALL_CHECKS
    ctx = dataclasses.replace(ctx, files={"README.md": 1, "app.py": 1})
    assert registry.checks_for(ctx) == [c for c in registry.ALL_CHECKS if c not in DOCKER_CHECKS]
    ctx = dataclasses.replace(ctx, sdk="docker")  # DOCKER001: sdk docker without a Dockerfile
    assert registry.checks_for(ctx) == registry.ALL_CHECKS


def test_checking_a_static_folder_does_not_import_the_dockerfile_family(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "---\nsdk: static\n---\n", "index.html": "<p>hi</p>\n"})
    code = (
        "import sys\nfrom pathlib import Path\nfrom tui.domain.checks.engine import run_checks\n"
        f"run_checks(Path({str(tmp_path)!r}))\n"
        "print('tui.domain.checks.docker_checks' in sys.modules, 'dockerfile' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.split() == ["False", "False"]
