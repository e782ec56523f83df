"""The health probe's path per Space in spacetui.yaml (`probe_path`): deploy reads it unless
`--probe-path` is given, over real loopback with the emulator; a bad value is a config problem."""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path

import pytest

from tests.conftest import ALICE_TOKEN
from tui.cli import build_parser
from tui.commands import deploy_run
from tui.commands.deploy_run import deploy_main
from tui.domain.config import ConfigError, load_config
from tui.emulator.server import RunningEmulator

SPACE = "alice/site"


def deploy(config: Path, folder: Path, *extra: str) -> tuple[int, dict[str, object]]:
    argv = ["--config", str(config), "deploy", str(folder), "--space", SPACE, "--create"]
    args = build_parser().parse_args([*argv, "--yes", "--json", *extra])
    out, err = io.StringIO(), io.StringIO()
    code = deploy_main(args, stdout=out, stderr=err, stdin=io.StringIO())
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, next(e for e in events if e["event"] == "result")


def test_deploy_probes_the_configured_path_unless_told_otherwise(
    emulator: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    monkeypatch.delenv("CI", raising=False)
    # The command's own engine, polling the emulator's build every 50 ms instead of every 2 s.
    fast = functools.partial(deploy_run.Deployer, poll_interval=0.05)
    monkeypatch.setattr(deploy_run, "Deployer", fast)
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_text("---\ntitle: Site\nsdk: static\n---\n")
    (folder / "index.html").write_text("<h1>hi</h1>\n")
    config = tmp_path / "spacetui.yaml"
    config.write_text(f"spaces:\n  - id: {SPACE}\n    probe_path: /health\n")

    code, result = deploy(config, folder)
    # A static Space has no /health page: the configured path is the one asked.
    assert code == 1 and result["outcome"] == "probe_failed", result["message"]
    assert result["extra"]["probe"]["url"] == "https://alice-site.hf.space/health"  # type: ignore[index]
    assert result["extra"]["probe"]["status"] == 404  # type: ignore[index]

    (folder / "index.html").write_text("<h1>hi again</h1>\n")
    code, result = deploy(config, folder, "--probe-path", "/")  # the flag wins
    assert code == 0 and result["outcome"] == "running", result["message"]
    assert result["extra"]["probe"]["url"] == "https://alice-site.hf.space/"  # type: ignore[index]


def test_a_probe_path_that_is_not_a_path_is_a_config_problem(tmp_path: Path) -> None:
    config = tmp_path / "spacetui.yaml"
    config.write_text(f"spaces:\n  - id: {SPACE}\n    probe_path: health\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert "spaces[0].probe_path" in str(caught.value.message)
    assert "starting with /" in caught.value.message
