"""The Config checks pane in the running app: findings by severity with file:line, Enter shows the
file at that line, `r` re-runs, untrusted text stays literal, and the folder is never changed."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Input, OptionList, TextArea

from tests.helpers.app import SIZE, fast_monitor, notifications, screen_text, settled, wait_for
from tests.helpers.hub import ALICE_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.checks.findings import Finding, Severity
from tui.domain.config import load_config
from tui.domain.scaffold import ScaffoldOptions, write_scaffold
from tui.ui.app import SpacesApp
from tui.ui.screens.dialogs import TextPrompt
from tui.ui.screens.space import SpaceScreen
from tui.ui.widgets.check_file_view import FileView
from tui.ui.widgets.check_render import finding_text, viewable_lines
from tui.ui.widgets.checks_pane import ChecksPane

SPACE = "alice/app"
#: Letters only: the shape the secret scan (and `redact`) knows as a Hugging Face token.
LEAKED_TOKEN = "hf_" + "RqTzWmKpVbNcXsLdJfHgYtUeIoPaMnBvQw"


def scaffold(tmp_path: Path) -> Path:
    folder = tmp_path / "space"
    write_scaffold(folder, ScaffoldOptions(title="App"))
    return folder


def with_uv_mistake(folder: Path) -> int:
    """uv without --system (DOCKER012); returns the Dockerfile line it is on."""
    dockerfile = folder / "Dockerfile"
    text = dockerfile.read_text().replace("RUN pip install", "RUN pip install uv && uv pip install")
    dockerfile.write_text(text)
    return next(i for i, line in enumerate(text.splitlines(), 1) if "uv pip install" in line)


def make_app(emulator, tmp_path: Path, folder: Path | None) -> SpacesApp:  # noqa: ANN001
    config_path = tmp_path / "spacetui.yaml"
    entry = f"  - id: {SPACE}\n" + (f"    folder: {folder}\n" if folder else "")
    config_path.write_text(f"spaces:\n{entry}")
    return SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def flat(app: SpacesApp) -> str:
    """The screen's words on one line: wrapped messages read whole again."""
    return " ".join(screen_text(app).replace("▊", " ").replace("▎", " ").split())


def pane(app: SpacesApp) -> ChecksPane:
    return app.screen.query_one(ChecksPane)


async def open_checks(app: SpacesApp, pilot) -> None:  # noqa: ANN001
    await app.push_screen(SpaceScreen(SPACE))
    await pilot.press("c")
    await wait_for(pilot, lambda: pane(app).report is not None, timeout=10)
    await settled(pilot)


async def test_a_seeded_mistake_is_listed_with_file_line_and_enter_shows_the_file(
    emulator, tmp_path: Path
) -> None:
    folder = scaffold(tmp_path)
    line = with_uv_mistake(folder)
    before = snapshot(folder)
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_checks(app, pilot)
        text = flat(app)
        assert "Errors (block a deploy): 1" in text
        assert "DOCKER012" in text and f"Dockerfile:{line}" in text
        assert "No virtual environment found" in text
        assert "1 error," in text and "5 files," in text and "no warnings" in text
        # Findings are grouped worst first; the first finding is highlighted.
        assert text.index("Errors") < text.index("Info")
        assert pane(app).selected().id == "DOCKER012"

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FileView))
        await settled(pilot)  # the file read and shown
        area = app.screen.query_one(TextArea)
        assert area.read_only
        assert area.cursor_location[0] == line - 1
        assert (
            area.selected_text.strip()
            == (folder / "Dockerfile").read_text().splitlines()[line - 1].strip()
        )
        assert f"Dockerfile:{line}" in screen_text(app)
        assert "uv pip install" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SpaceScreen))
        assert isinstance(app.focused, OptionList)

        # Fix the folder outside the app; `r` shows the new state.
        dockerfile = folder / "Dockerfile"
        dockerfile.write_text(dockerfile.read_text().replace("pip install uv && uv pip", "pip"))
        fixed = snapshot(folder)
        await pilot.press("c")
        await wait_for(pilot, lambda: "DOCKER012" not in screen_text(app))
        assert "no errors" in flat(app) and "DOCKER013" not in flat(app)
    assert before != fixed and snapshot(folder) == fixed  # the pane only reads


async def test_untrusted_text_in_findings_renders_literally_and_no_token_shows(
    emulator, tmp_path: Path
) -> None:
    folder = scaffold(tmp_path)
    readme = folder / "README.md"
    readme.write_text(readme.read_text().replace("emoji: 🚀", 'emoji: "[bold]x"'))
    # A file name with an escape sequence holding a token: the secret scan flags it.
    (folder / "\x1b[2Jkeys.py").write_text(f"token = '{LEAKED_TOKEN}'\n")
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_checks(app, pilot)
        text = flat(app)
        assert "\x1b" not in screen_text(app)
        assert "emoji '[bold]x' is not a single emoji" in text
        assert "README.md:3" in text
        assert "SECRET002" in text and "keys.py:1" in text  # the escape sequence removed whole
        assert "\x1b" not in text
        assert LEAKED_TOKEN not in text and ALICE_TOKEN not in text

        # The file view of the flagged file hides the token and the escape too.
        options = app.screen.query_one("#findings", OptionList)
        secret = next(k for k, f in pane(app).findings.items() if f.id == "SECRET002")
        options.highlighted = options.get_option_index(secret)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FileView))
        await settled(pilot)  # the file read and shown
        text = screen_text(app)
        assert "token = '***'" in text
        assert LEAKED_TOKEN not in text and "\x1b" not in text
    assert all(LEAKED_TOKEN not in n and ALICE_TOKEN not in n for n in notifications(app))


def test_a_finding_is_built_as_text_never_markup() -> None:
    finding = Finding(
        "README006",
        Severity.ERROR,
        "emoji '[bold red]x[/]' \x1b]0;pwned\x07 is \x1b[31mwrong\x1b[0m",
        "a\x1b[2J.md",
        3,
    )
    text = finding_text(finding)
    assert isinstance(text, Text)
    assert "[bold red]x[/]" in text.plain
    assert "\x1b" not in text.plain and "\x07" not in text.plain
    assert "a[2J.md:3" in text.plain or "a.md:3" in text.plain
    assert viewable_lines(b"ok\n\x1b[2Jbad\xff\n") == ["ok", "bad\ufffd"]


async def test_without_a_linked_folder_the_pane_says_how_to_link_one(
    emulator, tmp_path: Path
) -> None:
    app = make_app(emulator, tmp_path, None)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(SpaceScreen(SPACE))
        await pilot.press("c")
        await wait_for(pilot, lambda: "No local folder is linked" in screen_text(app))
        assert "Press F to link one" in screen_text(app)
        # Link one the way the pane says, then run the checks on it.
        folder = scaffold(tmp_path)
        with_uv_mistake(folder)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one("#answer", Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.config.space(SPACE).folder is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: "DOCKER012" in screen_text(app))
        assert f'folder: "{folder}"' in (tmp_path / "spacetui.yaml").read_text()


async def test_o_without_editor_or_terminal_explains_instead(
    emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = scaffold(tmp_path)
    with_uv_mistake(folder)
    monkeypatch.delenv("EDITOR", raising=False)
    app = make_app(emulator, tmp_path, folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_checks(app, pilot)
        await pilot.press("O")
        await wait_for(pilot, lambda: any("Set $EDITOR" in n for n in notifications(app)))
        monkeypatch.setenv("EDITOR", "true")
        await pilot.press("O")
        # The headless test driver cannot suspend: the pane says so instead of crashing.
        await wait_for(pilot, lambda: any("cannot hand over" in n for n in notifications(app)))


async def test_o_opens_editor_at_the_line_of_the_finding(
    emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = scaffold(tmp_path)
    line = with_uv_mistake(folder)
    record = tmp_path / "editor-args.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen({str(record)!r}, 'w').write('\\n'.join(sys.argv[1:]))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    app = make_app(emulator, tmp_path, folder)
    # The headless driver has no terminal to hand over; everything else is the real path.
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=SIZE) as pilot:
        await open_checks(app, pilot)
        await pilot.press("O")
        await wait_for(pilot, record.exists)
    assert record.read_text().splitlines() == [f"+{line}", str(folder / "Dockerfile")]


# -- QA pass: the checks pane follows a folder linked while shown ---------


async def test_the_checks_pane_runs_for_a_folder_linked_while_it_is_shown(
    emulator,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    config_path = tmp_path / "spacetui.yaml"
    config_path.write_text("spaces:\n  - id: alice/app\n")
    folder = scaffold(tmp_path)
    app = SpacesApp(
        HubTarget(emulator.url, ALICE_TOKEN),
        config=load_config(config_path),
        config_path=config_path,
        monitor_factory=fast_monitor,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(SpaceScreen("alice/app", pane="checks"))
        await wait_for(pilot, lambda: "No local folder is linked" in flat(app))
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        checks = app.screen.query_one(ChecksPane)
        await wait_for(pilot, lambda: checks.report is not None, timeout=5)
        assert checks.folder == folder
        assert "No local folder is linked" not in flat(app)
