"""`spacetui check`: exit codes, grouped text, JSON shape, --strict, --online against the emulator."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.hub import ALICE_TOKEN
from tui.cli import main
from tui.domain.scaffold import ScaffoldOptions, write_scaffold

ROOT = Path(__file__).resolve().parents[2]


def broken_space(root: Path) -> Path:
    write_scaffold(root, ScaffoldOptions(title="Broken"))
    readme = (root / "README.md").read_text()
    (root / "README.md").write_text(readme.replace("colorTo: green", "colorTo: orange"))
    return root


def warning_only_space(root: Path) -> Path:
    write_scaffold(root, ScaffoldOptions(title="Warn"))
    (root / "node_modules" / "left").mkdir(parents=True)
    (root / "node_modules" / "left" / "index.js").write_text("x")
    (root / ".hfignore").write_text(".venv/\n")  # node_modules is no longer ignored: FILES009
    return root


def test_clean_scaffold_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="Clean"))
    assert main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].endswith("0 errors, 0 warnings, 0 info")
    assert "5 files" in out and "0 excluded" in out


def test_errors_exit_1_grouped_with_file_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_space(tmp_path)
    (tmp_path / "debug.log").write_text("x" * 10)  # excluded by the scaffold's .hfignore
    (tmp_path / ".env.local").write_text("A=1\n")  # excluded too
    (tmp_path / "secrets.pem").write_text("x")  # uploaded: SECRET001
    (tmp_path / "old.txt").write_text("")
    (tmp_path / "OLD.txt").write_text("")  # FILES010 warning
    assert main(["check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")][:-1]
    assert [h.split(" (")[0] for h in headings] == ["Errors", "Warnings"]
    errors = lines[1 : lines.index("")]
    assert headings[0] == f"Errors ({len(errors)})"
    assert {line.split()[1] for line in errors} == {"README007", "SECRET001"}
    readme_line = next(line for line in errors if "README007" in line)
    assert readme_line.split()[0] == "README.md:5" and "orange" in readme_line
    assert next(line for line in errors if "SECRET001" in line).split()[0] == "secrets.pem"
    assert any("FILES010" in line for line in lines)
    assert lines[-1] == (
        f"{tmp_path}: 8 files, "
        f"{_size(tmp_path, excluded={'debug.log', '.env.local'})}, 2 excluded; "
        "2 errors, 1 warning, 0 info"
    )


def _size(root: Path, *, excluded: set[str]) -> str:
    total = sum(p.stat().st_size for p in root.iterdir() if p.name not in excluded)
    return f"{total / 1024:.1f} kB" if total >= 1024 else f"{total} B"


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warning_only_space(tmp_path)
    assert main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Warnings (") and "FILES009" in out
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_json_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken_space(tmp_path)
    assert main(["check", "--json", str(tmp_path)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"path", "summary", "findings"}
    assert set(doc["summary"]) == {"files", "bytes", "excluded", "errors", "warnings", "infos"}
    assert doc["summary"]["errors"] == sum(f["severity"] == "error" for f in doc["findings"])
    finding = next(f for f in doc["findings"] if f["id"] == "README007")
    assert finding == {
        "id": "README007",
        "severity": "error",
        "message": finding["message"],
        "file": "README.md",
        "line": 5,
    }


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    (tmp_path / "file").write_text("")
    assert main(["check", str(tmp_path / "file")]) == 2


def test_space_without_online_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["check", str(tmp_path), "--space", "a/b"]) == 2


def test_control_characters_in_names_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="T"))
    (tmp_path / "evil\x1b[31m.pem").write_text("A=1")  # reported as SECRET001
    main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31m" in out
    main(["check", "--json", str(tmp_path)])
    assert "\x1b" not in capsys.readouterr().out


def test_undecodable_file_names_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="T"))
    (tmp_path / "caf\udce9.pem").write_text("x")  # the byte 0xE9 in a file name, not UTF-8
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "caf\\udce9.pem" in out and "\udce9" not in out


def test_real_process_one_line_error_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_online_reports_hub_errors_and_remote_gitignore(
    tmp_path: Path, emulator, alice_api, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    alice_api.create_repo("alice/demo", repo_type="space", space_sdk="docker")
    alice_api.upload_file(
        path_or_fileobj=b"models/\n",
        path_in_repo=".gitignore",
        repo_id="alice/demo",
        repo_type="space",
    )
    broken_space(tmp_path)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "w.bin").write_text("weights")
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    code = main(
        [
            "check",
            "--json",
            "--online",
            "--space",
            "alice/demo",
            "--endpoint",
            emulator.url,
            str(tmp_path),
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    # The Hub rejects colorTo too: said once, by the local README007, which notes the Hub agrees.
    assert not [f for f in doc["findings"] if f["id"] == "README027"]
    local = next(f for f in doc["findings"] if f["id"] == "README007")
    assert local["message"].endswith("The Hub's validate-yaml rejects it too.")
    skipped = [f for f in doc["findings"] if f["id"] == "IGNORE003"]
    assert skipped and "models/w.bin" in skipped[0]["message"]
    assert ALICE_TOKEN not in json.dumps(doc)


def test_online_failure_is_a_warning_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="T"))
    code = main(
        [
            "check",
            "--json",
            "--online",
            "--space",
            "alice/demo",
            "--endpoint",
            "http://127.0.0.1:9",
            str(tmp_path),
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    skipped = [f for f in doc["findings"] if "online check skipped" in f["message"]]
    assert {f["id"] for f in skipped} == {"README027", "IGNORE003"}
    assert all(f["severity"] == "warning" for f in skipped)
    assert (
        main(["check", "--strict", "--online", "--endpoint", "http://127.0.0.1:9", str(tmp_path)])
        == 1
    )


def test_online_clean_readme_and_no_remote_gitignore(
    tmp_path: Path, emulator, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    write_scaffold(tmp_path, ScaffoldOptions(title="Clean"))
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    code = main(
        [
            "check",
            "--json",
            "--online",
            "--space",
            "alice/not-created-yet",
            "--endpoint",
            emulator.url,
            str(tmp_path),
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["findings"] == []


def test_online_keeps_hub_findings_no_local_check_covers(
    tmp_path: Path, emulator, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    broken_space(tmp_path)  # colorTo: orange, which README007 reports locally
    readme = (tmp_path / "README.md").read_text()
    # A title that is not text is only a warning locally (README005), and an error for the Hub.
    title = next(line for line in readme.split("\n") if line.startswith("title:"))
    (tmp_path / "README.md").write_text(readme.replace(title, "title: [a, b]"))
    title_line = 1 + readme.split("\n").index(title)
    monkeypatch.setenv("HF_TOKEN", ALICE_TOKEN)
    code = main(["check", "--json", "--online", "--endpoint", emulator.url, str(tmp_path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    hub = [f for f in doc["findings"] if f["id"] == "README027"]
    assert [(f["severity"], f["line"]) for f in hub] == [("error", title_line)]
    assert '"title" must be a string' in hub[0]["message"]
    assert any(f["id"] == "README005" and f["line"] == title_line for f in doc["findings"])
    assert [f["id"] for f in doc["findings"]].count("README007") == 1
    assert doc["summary"]["errors"] == sum(f["severity"] == "error" for f in doc["findings"])


def test_git_checkout_gets_secret004_from_check_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.domain.checks.engine import run_checks

    write_scaffold(tmp_path, ScaffoldOptions(title="T"))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert main(["check", "--verbose", str(tmp_path)]) == 0  # SECRET004 is info: --verbose
    out = capsys.readouterr().out
    assert "SECRET004" in out and "gitleaks" in out
    assert out.strip().splitlines()[-1].endswith("0 errors, 0 warnings, 1 info")
    # The engine a deploy runs leaves it out: the deploy stops on every SECRET* finding.
    assert not [f for f in run_checks(tmp_path).findings if f.id == "SECRET004"]


REAL = ROOT / "tests" / "fixtures" / "real-spaces"


class _Terminal(io.StringIO):
    """A captured stream that says it is a terminal, like a user's shell."""

    def isatty(self) -> bool:
        return True


def test_one_line_per_cause_with_a_fix_line_and_hygiene_folded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(REAL / "PrithirajP__DocBuddy")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Errors (1)"
    assert "DOCKER010" in lines[1] and "/app/backend/uploads" in lines[1]
    assert lines[2].strip().startswith("fix: RUN useradd -m -u 1000 user")
    assert lines[-2] == "3 hygiene notes (spacetui check --verbose lists them)"
    assert not any(line.startswith("Info") for line in lines)
    assert not any("\x1b[" in line for line in lines)  # piped: no colour


def test_verbose_lists_the_hygiene_notes(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--verbose", str(REAL / "PrithirajP__DocBuddy")])
    out = capsys.readouterr().out
    assert "Info (3)" in out and "DOCKER004" in out and "hygiene note" not in out


def test_terminal_output_wraps_and_colours_unless_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.commands.check import render_text
    from tui.domain.checks.engine import run_checks

    report = run_checks(REAL / "PrithirajP__DocBuddy")
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((72, 24)))
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = _Terminal()
    render_text(report, out)
    text = out.getvalue()
    assert "\x1b[31;1mErrors (1)\x1b[0m" in text
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    body = plain.splitlines()[:-1]  # the summary names the folder and may be longer
    assert all(len(line) <= 72 for line in body)
    monkeypatch.setenv("NO_COLOR", "1")
    out = _Terminal()
    render_text(report, out)
    assert "\x1b[" not in out.getvalue()


def test_split_fix_keeps_the_problem_and_the_advice_apart() -> None:
    from tui.commands.check import split_fix

    problem, fix = split_fix(
        "COPY models/: there is no models in the Space folder, so the build fails. "
        "Add the file, or fix the path."
    )
    assert problem.endswith("the build fails.") and fix == "Add the file, or fix the path."
    assert split_fix("The app writes x. Fix: use /tmp.") == ("The app writes x.", "use /tmp.")
    assert split_fix("only a fact") == ("only a fact", None)


def test_github_format_prints_escaped_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    folder = REAL / "opengeos__voila-geospatial"
    assert main(["check", "--format", "github", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    base = os.path.normpath(str(folder))
    assert lines[0].startswith(
        f"::error file={base.replace(':', '%3A')}/Dockerfile,line=20,title=DOCKER018::voila"
    )
    assert any(line.startswith("::warning ") and "DOCKER019" in line for line in lines)
    assert any(line.startswith("::notice ") for line in lines)
    assert lines[-1] == "1 error, 1 warning, 2 info"


def test_github_escaping_of_newlines_percent_and_property_separators() -> None:
    from tui.commands.check import _gh_escape

    assert _gh_escape("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert _gh_escape("a:b,c", prop=True) == "a%3Ab%2Cc"
