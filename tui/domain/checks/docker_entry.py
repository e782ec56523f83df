"""DOCKER029 (error): the Python module the start command imports cannot be imported.

`uvicorn app.main:app` when the upload holds `app.py` (a module, not a package) and no `app/`
folder, or an entry file that does not parse: the server exits at start, the Space shows
RUNTIME_ERROR. The check speaks only when it is sure: the start command is read directly from
CMD/ENTRYPOINT (no `cd`, `--app-dir`, `--chdir`, `--pythonpath` or PYTHONPATH that could move
the import root), the file lands in the working directory through a COPY of the upload set, and
the syntax is judged with the grammar of the image's Python (`python:X.Y` bases). When that
version is unknown or newer than ours, a parse failure is only info: newer syntax may be fine.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import (
    effective_command,
    finding,
    image_name_and_tag,
    load,
    stage_chain,
)
from tui.domain.checks.docker_port import unwrap_runner
from tui.domain.checks.docker_writes import ImageModel, replay_image, uploaded_at
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import Dockerfile, Stage

_SERVERS = ("uvicorn", "gunicorn", "hypercorn", "granian")
_MODULE_APP = re.compile(r"^([A-Za-z_][\w.]*):[\w.()]+$")
#: Options that move the import root away from the working directory.
_MOVES_ROOT = ("--app-dir", "--chdir", "--pythonpath", "--working-dir")
_PYTHON_TAG = re.compile(r"^(\d+)\.(\d+)")


def _image_python(df: Dockerfile, final: Stage) -> tuple[int, int] | None:
    """`python:3.9-slim` -> (3, 9); None for any other base."""
    name, tag = image_name_and_tag(df.resolved_base(stage_chain(df, final)[0]))
    if name != "python" and not name.endswith("/python"):
        return None
    match = _PYTHON_TAG.match(tag or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _targets(df: Dockerfile, final: Stage) -> Iterator[tuple[str, str]]:
    """("module", name) for a server's `module:app`, ("file", path) for `python file.py`."""
    commands, _ = effective_command(df, final)
    if any(cmd.program == "cd" for cmd in commands):
        return
    for raw in commands:
        cmd = unwrap_runner(raw)
        prog, argv = cmd.program, cmd.argv
        if prog in _SERVERS and not cmd.has_option(*_MOVES_ROOT):
            module = next((m.group(1) for a in argv[1:] if (m := _MODULE_APP.match(a))), None)
            if module:
                yield "module", module
        elif prog.startswith("python") and len(argv) > 1 and argv[1].endswith(".py"):
            yield "file", argv[1]


def _parse_error(text: str, version: tuple[int, int] | None) -> SyntaxError | None:
    try:
        if version is None:
            ast.parse(text)
        else:
            ast.parse(text, feature_version=version)
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError, MemoryError):
        return None  # a NUL byte or a pathological file: not ours to judge
    return None


def _syntax(
    ctx: CheckContext, path: str, version: tuple[int, int] | None, line: int | None
) -> Iterator[Finding]:
    text = ctx.read_text(path)
    if text is None:
        return
    sure = version is not None and version <= sys.version_info[:2]
    error = _parse_error(text, version if sure else None)
    if error is None:
        return
    where = f"{path}:{error.lineno}" if error.lineno else path
    if sure:
        assert version is not None
        yield finding(
            "DOCKER029",
            Severity.ERROR,
            f"{where} does not parse with Python {version[0]}.{version[1]} ({error.msg}); the start "
            "command imports it, so the container exits at once (RUNTIME_ERROR). Fix the syntax "
            f"and check with python -m py_compile {path}.",
            line,
        )
    else:
        yield finding(
            "DOCKER029",
            Severity.INFO,
            f"{where} does not parse with this Python ({error.msg}); if the image's Python is "
            "newer this syntax may be fine, otherwise the container exits at start.",
            line,
        )


def _landed(image: ImageModel, ctx: CheckContext, target: str) -> str | None:
    return uploaded_at(image, target, ctx)


def _module_findings(
    ctx: CheckContext,
    image: ImageModel,
    module: str,
    version: tuple[int, int] | None,
    line: int | None,
) -> Iterator[Finding]:
    parts = module.split(".")
    if "PYTHONPATH" in image.env:
        return
    for depth in range(1, len(parts) + 1):
        name = "/".join(parts[:depth])
        package = _landed(image, ctx, name + "/__init__.py")
        plain = _landed(image, ctx, name + ".py")
        has_dir = any(f"/{name}/" in "/" + p for p in ctx.files)
        if package:
            yield from _syntax(ctx, package, version, line)
            continue
        if plain is None:
            return  # an installed package or a namespace folder: cannot tell
        yield from _syntax(ctx, plain, version, line)
        if depth < len(parts) and not has_dir:
            rest = ".".join(parts[depth:])
            yield finding(
                "DOCKER029",
                Severity.ERROR,
                f"The start command imports {module}, but {plain} is a module, not a package, "
                f"so {'.'.join(parts[:depth])}.{rest} cannot be imported: the server exits at "
                f"once (RUNTIME_ERROR). Point it at the module that holds the app (e.g. "
                f"{'.'.join(parts[:depth])}:app) or add {name}/{rest.replace('.', '/')}.py.",
                line,
            )
        return


def check_entry_module(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER029: the start command's Python module exists as a package path and parses."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    final = df.final_stage
    _, ins = effective_command(df, final)
    line = ins.line if ins is not None else None
    image = replay_image(df, final, ctx.files)
    version = _image_python(df, final)
    seen: set[str] = set()
    for kind, target in _targets(df, final):
        if kind == "module":
            found = list(_module_findings(ctx, image, target, version, line))
        else:
            path = _landed(image, ctx, target)
            found = list(_syntax(ctx, path, version, line)) if path else []
        for item in found:
            if item.message not in seen:
                seen.add(item.message)
                yield item


ENTRY_CHECKS = [check_entry_module]
