"""The domain layer and the headless commands never import Textual or Rich; the emulator never
imports the client code it emulates for."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.domain

ROOT = Path(__file__).resolve().parent.parent


def _domain_modules() -> list[str]:
    return sorted(
        info.name for info in pkgutil.walk_packages(tui.domain.__path__, prefix="tui.domain.")
    )


def _loaded_after_import(module: str) -> set[str]:
    code = (
        f"import sys, {module}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return set(out.split())


def test_domain_modules_exist() -> None:
    assert "tui.domain.models" in _domain_modules()


def test_domain_never_imports_textual_or_rich() -> None:
    modules = _domain_modules()
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + (
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            "print(' '.join(bad))"
        )
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert out == "", f"tui.domain pulled in: {out}"


def test_headless_commands_never_import_textual() -> None:
    for command in ("status", "logs", "check", "init", "deploy", "emulator"):
        loaded = _loaded_after_import(f"tui.commands.{command}")
        assert "textual" not in loaded, command


def test_emulator_imports_nothing_from_the_client_side() -> None:
    emulator_dir = ROOT / "tui" / "emulator"
    for path in emulator_dir.rglob("*.py"):
        text = path.read_text()
        for forbidden in (
            "from tui.domain",
            "import tui.domain",
            "from tui.ui",
            "from tui.commands",
            "huggingface_hub",
            "import textual",
            "from textual",
        ):
            assert forbidden not in text, f"{path.name} uses {forbidden}"
