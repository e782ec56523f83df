"""The real `hf` command line works against the emulator (HF_ENDPOINT + HF_TOKEN)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.hub import ALICE_TOKEN
from tui.emulator.server import RunningEmulator

HF = Path(sys.executable).with_name("hf")


def hf(emulator: RunningEmulator, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_ENDPOINT": emulator.url,
        "HF_TOKEN": ALICE_TOKEN,
        "HF_HUB_DISABLE_UPDATE_CHECK": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "NO_COLOR": "1",
    }
    return subprocess.run([str(HF), *args], env=env, capture_output=True, text=True, timeout=60)


def test_hf_whoami_upload_and_list(emulator: RunningEmulator, tmp_path: Path) -> None:
    whoami = hf(emulator, "auth", "whoami")
    assert whoami.returncode == 0, whoami.stderr
    assert "alice" in whoami.stdout

    emulator.state.create_space("alice/cli-app", sdk="static")
    (tmp_path / "index.html").write_text("<h1>from hf</h1>")
    upload = hf(emulator, "upload", "alice/cli-app", str(tmp_path), ".", "--repo-type", "space")
    assert upload.returncode == 0, upload.stderr
    space = emulator.state.get_space("alice/cli-app")
    assert space is not None
    assert space.revisions[space.head]["index.html"].data == b"<h1>from hf</h1>"

    listing = hf(emulator, "spaces", "ls", "--author", "alice", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    assert [entry["id"] for entry in json.loads(listing.stdout)] == ["alice/cli-app"]
