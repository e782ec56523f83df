"""`spacetui deploy` of a stamped folder: the same words as the normal deploy, or the normal deploy.

Against the emulator over loopback HTTP. A spy on `deploy_run.deploy_main` (the normal path)
tells which path answered: the stamp's check must answer only when the normal deploy would
conclude "nothing changed", and then say exactly what it says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.cli import Done, run_cli
from tui.domain.deploy import stamp as stamp_module
from tui.domain.deploy.stamp import forget_stamp, load_stamp
from tui.domain.deploy_records import records_path
from tui.emulator.server import RunningEmulator

ALICE_TOKEN = "hf_alice_test_token"
SPACE = "alice/site"
HOUR_NS = 3600 * 10**9


def _age(folder: Path) -> None:
    """Every file an hour old: the stat cache answers only for files older than its margin."""
    past = time.time_ns() - HOUR_NS
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(past, past))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A static Space folder whose code needs a secret; ctimes count as settled at once."""
    # The files' ctimes are moments old and cannot be set: the margin is what a test may move.
    monkeypatch.setattr(stamp_module, "RACY_MARGIN_NS", 0)
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "README.md").write_text("---\ntitle: Site\nsdk: static\n---\n")
    (folder / "index.html").write_text("<h1>hello</h1>\n")
    (folder / "build.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    (folder / "assets").mkdir()
    (folder / "assets" / "style.css").write_text("h1 { color: red }\n")
    _age(folder)
    return folder


class Deploys:
    """`spacetui deploy` in this process; counts the runs that took the normal path."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str
    ) -> None:
        from tui.commands import deploy_run

        self.monkeypatch, self.capsys, self.normal = monkeypatch, capsys, 0
        self.env = {**os.environ, "HF_ENDPOINT": url, "HF_TOKEN": ALICE_TOKEN}
        real = deploy_run.deploy_main

        def spy(*args: object, **kwargs: object) -> int:
            self.normal += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(deploy_run, "deploy_main", spy)

    def __call__(self, folder: Path, *args: str, **env: str) -> Done:
        return run_cli(
            self.monkeypatch,
            self.capsys,
            "deploy",
            str(folder),
            "--space",
            SPACE,
            "--yes",
            *args,
            env={**self.env, **env},
        )


@pytest.fixture
def deploy(
    emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    alice_api,  # noqa: ANN001
    site: Path,
) -> Deploys:
    """A first, normal deploy of `site` (creating the Space, with its secret) that stamps it."""
    run = Deploys(monkeypatch, capsys, emulator.url)
    alice_api.create_repo(SPACE, repo_type="space", space_sdk="static")
    alice_api.add_space_secret(SPACE, "OPENAI_API_KEY", "sk-test-value-for-the-build")
    first = run(site)
    assert first.returncode == 0, first.stderr
    assert run.normal == 1 and "added (4):" in first.stdout
    stamp = load_stamp(site.resolve(), emulator.url, SPACE)
    assert stamp is not None and stamp.needed == ("OPENAI_API_KEY",) and stamp.files == 4
    again = run(site, "--no-probe")  # answered by the stamp: each test below changes one thing
    assert run.normal == 1 and again.returncode == 0, again.stderr
    return run


def _records(emulator: RunningEmulator) -> list[dict[str, object]]:
    lines = records_path(SPACE, endpoint=emulator.url).read_text().splitlines()
    return [{k: v for k, v in json.loads(line).items() if k != "time"} for line in lines]


@pytest.mark.parametrize(
    "options",
    [
        ("--no-probe",),
        (),
        ("--no-follow", "--no-probe"),
        ("--delete", "--diff", "--create", "--public", "--message", "m"),
        ("--ci",),
    ],
    ids=["no-probe", "probe", "no-follow", "plain-options", "ci"],
)
def test_the_stamp_says_what_the_normal_unchanged_deploy_says(
    deploy: Deploys, site: Path, emulator: RunningEmulator, options: tuple[str, ...]
) -> None:
    fast = deploy(site, *options)
    assert deploy.normal == 1, "the stamp should have answered"
    forget_stamp(site.resolve(), emulator.url, SPACE)
    normal = deploy(site, *options)
    assert deploy.normal == 2
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        normal.returncode,
        normal.stdout,
        normal.stderr,
    )
    assert fast.returncode == 0 and "ok: Nothing changed since the last deploy" in fast.stdout
    records = _records(emulator)
    assert records[-2] == records[-1] and records[-1]["outcome"] == "unchanged"
    # The normal unchanged deploy stamped the folder again: the next one is answered again.
    assert load_stamp(site.resolve(), emulator.url, SPACE) is not None
    deploy(site, *options)
    assert deploy.normal == 2


def _edit(site: Path) -> None:
    with (site / "index.html").open("a") as handle:
        handle.write("<p>more</p>\n")


def _new_ignored_file(site: Path) -> None:
    (site / ".hfignore").write_text("*.log\n")
    _age(site)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (_edit, "changed (1):"),
        (lambda site: os.utime(site / "index.html"), "unchanged: 4 files"),
        (lambda site: (site / "assets" / "new.css").write_text("p {}\n"), "added (1):"),
        (lambda site: (site / "assets" / "style.css").unlink(), "only on the Space, kept"),
        (_new_ignored_file, "added (1):"),
    ],
    ids=["edit", "touch", "new-file", "removed-file", "new-hfignore"],
)
def test_a_changed_folder_takes_the_normal_path(
    deploy: Deploys, site: Path, change: Callable[[Path], object], says: str
) -> None:
    change(site)
    done = deploy(site, "--no-probe")
    assert deploy.normal == 2 and done.returncode == 0, done.stderr
    assert says in done.stdout


def test_a_space_moved_on_takes_the_normal_path(deploy: Deploys, site: Path, alice_api) -> None:  # noqa: ANN001
    alice_api.upload_file(
        path_or_fileobj=b"x", path_in_repo="extra.txt", repo_id=SPACE, repo_type="space"
    )
    done = deploy(site, "--no-probe", "--no-follow")
    assert deploy.normal == 2
    assert "only on the Space, kept" in done.stdout and "extra.txt" in done.stdout


def test_a_paused_space_takes_the_normal_path(deploy: Deploys, site: Path, alice_api) -> None:  # noqa: ANN001
    alice_api.pause_space(SPACE)
    deploy(site, "--no-probe")
    assert deploy.normal == 2  # whatever it makes of a paused Space, it is the normal path's


def test_a_secret_the_code_needs_gone_takes_the_normal_path(
    deploy: Deploys,
    site: Path,
    alice_api,  # noqa: ANN001
) -> None:
    alice_api.delete_space_secret(SPACE, "OPENAI_API_KEY")
    done = deploy(site, "--no-probe")
    assert deploy.normal == 2
    assert "reads OPENAI_API_KEY, which the Space does not set" in done.stdout


def test_a_token_shaped_public_variable_takes_the_normal_path(
    deploy: Deploys,
    site: Path,
    alice_api,  # noqa: ANN001
) -> None:
    alice_api.add_space_variable(SPACE, "MODEL", "small")  # a harmless variable: still answered
    deploy(site, "--no-probe")
    assert deploy.normal == 1
    alice_api.add_space_variable(SPACE, "LEAK", "hf_" + "XKeqBnWFfxYExcyjPMxsjONRNqvQajHzZT")
    done = deploy(site, "--no-probe")
    assert deploy.normal == 2
    assert "public variable LEAK holds a token-shaped value" in done.stdout


def test_an_app_that_does_not_answer_takes_the_normal_path(
    deploy: Deploys, site: Path, emulator: RunningEmulator
) -> None:
    emulator.app_faults.set(SPACE, status=404)
    done = deploy(site)
    assert deploy.normal == 2 and done.returncode == 1
    assert "HTTP 404" in done.stderr
    # A failed deploy leaves no stamp: the next one goes the whole way, and stamps again.
    assert deploy(site, "--no-probe").returncode == 0 and deploy.normal == 3
    assert deploy(site, "--no-probe").returncode == 0  # the app is not asked: answered
    assert deploy.normal == 3


def test_a_hub_error_takes_the_normal_path_which_reports_it(
    deploy: Deploys, site: Path, emulator: RunningEmulator
) -> None:
    emulator.faults.set(space_id=SPACE, status=500)
    done = deploy(site, "--no-probe")
    assert deploy.normal == 2 and done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("options", "env"),
    [
        (("--json", "--no-probe"), {}),
        (("--secret", "OPENAI_API_KEY", "--no-probe"), {"OPENAI_API_KEY": "sk-test-2"}),
        (("--variable", "MODE=fast", "--no-probe"), {}),
        (("--no-probe",), {"HTTPS_PROXY": "http://127.0.0.1:9"}),
        (("--ci", "--no-probe"), {"GITHUB_STEP_SUMMARY": "summary.md"}),
    ],
    ids=["json", "secret", "variable", "proxy", "step-summary"],
)
def test_options_the_stamp_cannot_vouch_for_take_the_normal_path(
    deploy: Deploys,
    site: Path,
    tmp_path: Path,
    options: tuple[str, ...],
    env: dict[str, str],
) -> None:
    if "GITHUB_STEP_SUMMARY" in env:
        env = {"GITHUB_STEP_SUMMARY": str(tmp_path / env["GITHUB_STEP_SUMMARY"])}
    if "HTTPS_PROXY" in env:
        env = {**env, "NO_PROXY": "127.0.0.1"}  # the normal path must still reach the emulator
    done = deploy(site, *options, **env)
    assert deploy.normal == 2 and done.returncode == 0, done.stderr


def test_a_config_that_sets_secrets_takes_the_normal_path(
    deploy: Deploys, site: Path, tmp_path: Path
) -> None:
    config = tmp_path / "spacetui.yaml"
    config.write_text(f"spaces:\n  - id: {SPACE}\n    probe_path: /index.html\n")
    done = deploy(site, SPACETUI_CONFIG=str(config))
    assert deploy.normal == 1 and done.returncode == 0  # a probe path alone: still answered
    assert "https://alice-site.hf.space/index.html" in done.stdout
    config.write_text(f"spaces:\n  - id: {SPACE}\n    secrets: [OPENAI_API_KEY]\n")
    done = deploy(site, "--no-probe", SPACETUI_CONFIG=str(config), OPENAI_API_KEY="sk-test-3")
    assert deploy.normal == 2 and done.returncode == 0


def test_changed_code_takes_the_normal_path(
    deploy: Deploys, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stamp_module, "code_fingerprint", lambda package=None: "another release")
    deploy(site, "--no-probe")
    assert deploy.normal == 2


def test_ctrl_c_during_the_check_says_nothing_was_committed(
    deploy: Deploys, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.commands import deploy_unchanged

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(deploy_unchanged, "folder_digest", interrupted)
    done = deploy(site, "--no-probe")
    assert done.returncode == 130 and deploy.normal == 1
    assert done.stderr == "spacetui deploy: cancelled: Nothing was committed.\n"


def test_the_check_loads_no_engine_no_httpx_and_no_event_loop(
    deploy: Deploys, site: Path, emulator: RunningEmulator
) -> None:
    script = (
        "import sys\nfrom tui.domain.deploy import stamp\n"
        "stamp.RACY_MARGIN_NS = 0  # as in the fixture: the files' ctimes are moments old\n"
        "from tui.cli import main\ncode = main(sys.argv[1:])\n"
        "heavy = [m for m in ('tui.domain.deploy.engine', 'tui.domain.checks.engine', "
        "'httpx', 'asyncio', 'huggingface_hub') if m in sys.modules]\n"
        "print('loaded:', heavy, code)\n"
    )
    env = {**deploy.env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", script, "deploy", str(site), "--space", SPACE, "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.endswith("loaded: [] 0\n"), done.stdout + done.stderr
    assert "ok: Nothing changed since the last deploy" in done.stdout
    assert ALICE_TOKEN not in done.stdout + done.stderr


def test_a_path_the_checks_looked_for_outside_the_walk_is_watched_too(
    emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    alice_api,  # noqa: ANN001
    site: Path,
) -> None:
    # requirements.txt pulls in extra/more.txt, in a folder .hfignore skips: not there yet, so
    # no check objects. Once it appears, IGNORE002 stops the deploy (a required file ignored),
    # although no folder the walk lists has changed.
    (site / "requirements.txt").write_text("-r extra/more.txt\n")
    (site / ".hfignore").write_text("extra/\n")
    (site / "extra").mkdir()
    (site / "extra" / "notes.txt").write_text("kept out\n")
    _age(site)
    run = Deploys(monkeypatch, capsys, emulator.url)
    alice_api.create_repo(SPACE, repo_type="space", space_sdk="static")
    alice_api.add_space_secret(SPACE, "OPENAI_API_KEY", "sk-test-value-for-the-build")
    assert run(site, "--no-probe").returncode == 0
    assert run(site, "--no-probe").returncode == 0 and run.normal == 1
    (site / "extra" / "more.txt").write_text("numpy\n")
    done = run(site, "--no-probe")
    assert run.normal == 2 and done.returncode == 1
    assert "IGNORE002" in done.stdout + done.stderr
