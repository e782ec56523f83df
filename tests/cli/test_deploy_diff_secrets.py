"""`spacetui deploy --diff` and `--secrets-from` from the command line, against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from huggingface_hub import HfApi

from tui.domain.scaffold import ScaffoldOptions, write_scaffold

ALICE_TOKEN = "hf_alice_test_token"
SECRET_VALUE = "sk-only-in-the-local-file-9f8e7d"


def _deploy(url: str, folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_ENDPOINT=url, HF_TOKEN=ALICE_TOKEN, NO_COLOR="1")
    env.pop("OPENAI_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "tui", "deploy", str(folder), "--space", "alice/app", "--create",
         "--yes", "--no-follow", *args],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    return folder


def test_diff_and_missing_secret_in_the_review(emulator, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert _deploy(emulator.url, folder).returncode == 0
    (folder / "needs.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    app = next(p for p in ("app.py", "main.py") if (folder / p).exists())
    (folder / app).write_text((folder / app).read_text() + "# one more line\n")

    done = _deploy(emulator.url, folder, "--diff")
    assert done.returncode == 0, done.stderr
    assert "diff of the changed files (1):" in done.stdout
    assert f"    +++ b/{app} (local)" in done.stdout
    assert "    +# one more line" in done.stdout
    assert (
        "warning: needs.py:2 reads OPENAI_API_KEY, which the Space does not set: "
        "set it with `--secret OPENAI_API_KEY`." in done.stdout
    )


def test_secrets_from_sets_the_needed_secret_without_uploading_or_printing_it(
    emulator, tmp_path: Path, alice_api: HfApi
) -> None:
    folder = _folder(tmp_path)
    (folder / "needs.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    env_file = folder / "deploy.env"
    env_file.write_text(f"# local only\nOPENAI_API_KEY='{SECRET_VALUE}'\nUNUSED=1\n")

    done = _deploy(emulator.url, folder, "--secrets-from", str(env_file), "--json")
    assert done.returncode == 0, done.stderr
    assert SECRET_VALUE not in done.stdout + done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    (plan,) = [e for e in events if e["event"] == "plan"]
    assert plan["review"]["missing"] == []
    assert plan["review"]["secrets_from_file"] == ["OPENAI_API_KEY"]
    assert (
        "deploy.env is the --secrets-from file: left out of the upload." in plan["review"]["notes"]
    )
    (settings,) = [e for e in events if e["event"] == "settings"]
    assert settings["secrets"] == ["OPENAI_API_KEY"]
    space = emulator.state.get_space("alice/app")
    assert space.secrets["OPENAI_API_KEY"]["value"] == SECRET_VALUE
    assert "UNUSED" not in space.secrets
    remote = {f.rfilename for f in alice_api.space_info("alice/app").siblings or ()}
    assert "deploy.env" not in remote and "needs.py" in remote


def test_a_missing_secrets_file_is_one_sentence(emulator, tmp_path: Path) -> None:
    done = _deploy(emulator.url, _folder(tmp_path), "--secrets-from", str(tmp_path / "no.env"))
    assert done.returncode == 2
    assert done.stderr.startswith("spacetui deploy: ") and "is not a file" in done.stderr
    assert "Traceback" not in done.stderr
    assert emulator.state.get_space("alice/app") is None
