"""What an unchanged re-deploy loads as a command: none of the heavy libraries it does not need.

Issue 12 point 7 compares the `spacetui deploy` command with `hf upload`, start-up included, so
what the command imports is part of its cost. This checks the list of modules (from
`python -X importtime`), never a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ALICE_TOKEN = "hf_alice_test_token"

#: Loaded only when something is sent, created, restarted or diffed, or by other commands.
NOT_ON_THE_UNCHANGED_PATH = (
    "huggingface_hub",  # the Hub client of uploads and creates (0.15 s to import)
    "textual",
    "rich",
    "tui.ui",
    "tui.emulator.server",  # the emulator (its argument definitions are on every command line)
    "starlette",
    "uvicorn",
    "tui.domain.deploy.upload_watch",  # the upload's byte counting
    "tui.domain.deploy.probe",  # --no-probe
)


def _modules_loaded(folder: Path, url: str, tmp_path: Path) -> tuple[set[str], str]:
    env = dict(os.environ)
    env.update(
        HF_ENDPOINT=url,
        HF_TOKEN=ALICE_TOKEN,
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    args = ["deploy", str(folder), "--space", "alice/site", "--yes", "--no-follow", "--no-probe"]
    first = subprocess.run(
        [sys.executable, "-m", "tui", *args, "--create"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert first.returncode == 0, first.stdout + first.stderr
    again = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in again.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return modules, again.stdout


def test_an_unchanged_redeploy_imports_no_hub_client_ui_or_upload_machinery(
    emulator, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_text("---\ntitle: Site\nsdk: static\n---\n")
    (folder / "index.html").write_text("<!doctype html><title>site</title>\n")
    modules, out = _modules_loaded(folder, emulator.url, tmp_path)
    assert "Nothing changed since the last deploy: no commit made." in out
    assert "tui.domain.deploy.engine" in modules and "httpx" in modules  # the list is real
    loaded = sorted(
        m
        for m in modules
        for heavy in NOT_ON_THE_UNCHANGED_PATH
        if m == heavy or m.startswith(heavy + ".")
    )
    assert loaded == []
