"""The domain layer and the headless commands never import Textual or Rich; the emulator never
imports the client code it emulates for."""

from __future__ import annotations

import ast
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


#: What a widget must never import: it draws, the app's controllers do the I/O (issue 11).
WIDGET_FORBIDDEN = (
    "tui.domain.hub",
    "tui.domain.http",
    "tui.domain.logstream",
    "tui.domain.deploy.engine",
    "tui.domain.deploy.follow",
    "tui.domain.deploy.upload_watch",
    "tui.domain.deploy.remote",
    "httpx",
    "httpx2",
    "huggingface_hub",
)


def _imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (inside functions and TYPE_CHECKING too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from tui.domain import http` imports the module `tui.domain.http`.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _forbidden(module: str) -> str | None:
    for banned in WIDGET_FORBIDDEN:
        if module == banned or module.startswith(banned + "."):
            return banned
    return None


def test_widgets_import_no_hub_client_http_log_stream_or_deploy_engine() -> None:
    widgets = sorted((ROOT / "tui" / "ui" / "widgets").rglob("*.py"))
    assert any(path.name == "deploy_pane.py" for path in widgets)
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in widgets
        for module in sorted(_imported_modules(path))
        if _forbidden(module)
    ]
    assert offences == []


def test_the_widget_import_rule_catches_every_import_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "import httpx\n"
        "from tui.domain import http\n"
        "from tui.domain.hub.client import HubClient\n"
        "if TYPE_CHECKING:\n"
        "    from huggingface_hub import HfApi\n"
        "def later():\n"
        "    from tui.domain.deploy.engine import Deployer\n"
        "from tui.domain.deploy.events import DeployResult\n"
    )
    banned = {_forbidden(module) for module in _imported_modules(sample)} - {None}
    assert banned == {
        "httpx",
        "tui.domain.http",
        "tui.domain.hub",
        "huggingface_hub",
        "tui.domain.deploy.engine",
    }


def test_the_check_registry_names_every_check_family_module() -> None:
    from tui.domain.checks.registry import ALL_CHECKS, CHECK_LISTS

    families = {path.stem for path in (ROOT / "tui" / "domain" / "checks").glob("*_checks.py")}
    listed = {module.rsplit(".", 1)[1] for module, _ in CHECK_LISTS}
    assert listed == families
    assert all(checks for _, checks in CHECK_LISTS)  # a family is never silently empty
    assert len(ALL_CHECKS) == sum(len(checks) for _, checks in CHECK_LISTS)
