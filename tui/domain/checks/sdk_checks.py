"""Gradio, static and Streamlit basics: GRADIO001–004, STATIC001/002/004, STREAMLIT001.

The Gradio app is only compiled and read as an AST, never imported or run.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.requirement_pins import pins_of

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
LOOPBACK = ("127.0.0.1", "localhost", "::1")
GRADIO_PORT = 7860


def _app_file(ctx: CheckContext, default: str) -> tuple[str, bool]:
    """(app file, whether app_file set it explicitly)."""
    value = (ctx.card or {}).get("app_file")
    return (value, True) if isinstance(value, str) and value else (default, False)


def _parse_app(ctx: CheckContext, path: str) -> tuple[ast.Module | None, Finding | None]:
    text = ctx.read_text(path)
    if text is None:
        return None, None
    try:
        tree = ast.parse(text, filename=path)
        # Compiling the tree (in memory, no .pyc) also catches errors ast.parse lets through,
        # such as `return` outside a function.
        compile(tree, path, "exec", dont_inherit=True)
        return tree, None
    except SyntaxError as exc:
        return None, Finding(
            "GRADIO001",
            ERROR,
            f"{path} does not compile ({exc.msg}), so the Space ends in RUNTIME_ERROR: fix the "
            "syntax (run `python -m py_compile` on it).",
            path,
            exc.lineno,
        )
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, Finding(
            "GRADIO001",
            ERROR,
            f"{path} cannot be compiled ({type(exc).__name__}): fix the file.",
            path,
        )


def check_gradio_app(ctx: CheckContext) -> Iterator[Finding]:
    """GRADIO001: the app file exists and compiles; GRADIO004: it launches on 0.0.0.0:7860."""
    if ctx.sdk != "gradio":
        return
    path, explicit = _app_file(ctx, "app.py")
    if path not in ctx.files:
        # An explicit app_file that is missing is README012; an ignored one is IGNORE002/003.
        if not explicit and not ctx.is_file(path):
            yield Finding(
                "GRADIO001",
                ERROR,
                "a Gradio Space runs app.py, and there is none, so it ends in NO_APP_FILE: "
                "add app.py or set app_file in README.md.",
                "README.md",
            )
        return
    tree, problem = _parse_app(ctx, path)
    if problem is not None:
        yield problem
    if tree is not None:
        yield from _launch_findings(tree, path)


def _constant(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _launch_findings(tree: ast.Module, path: str) -> Iterator[Finding]:
    launches = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "launch"
    ]
    mounts = any(
        isinstance(node, ast.Attribute) and node.attr == "mount_gradio_app"
        for node in ast.walk(tree)
    )
    if not launches and not mounts:
        yield Finding(
            "GRADIO004",
            WARNING,
            f"{path} never calls .launch(), so the process exits and the Space reports "
            "'application does not seem to be initialized': end with demo.launch().",
            path,
        )
        return
    for call in launches:
        for keyword in call.keywords:
            value = _constant(keyword.value)
            if keyword.arg == "server_name" and value in LOOPBACK:
                yield Finding(
                    "GRADIO004",
                    WARNING,
                    f"launch(server_name={value!r}) listens only inside the container, so the "
                    "Space is unreachable: drop server_name (Spaces set 0.0.0.0).",
                    path,
                    call.lineno,
                )
            elif keyword.arg == "server_port" and isinstance(value, int) and value != GRADIO_PORT:
                yield Finding(
                    "GRADIO004",
                    WARNING,
                    f"launch(server_port={value}) is not 7860, where Spaces route traffic: "
                    "drop server_port.",
                    path,
                    call.lineno,
                )
            elif keyword.arg == "share" and value is True:
                yield Finding(
                    "GRADIO004",
                    INFO,
                    "launch(share=True) has no effect on Spaces: remove it.",
                    path,
                    call.lineno,
                )


def check_gradio_sdk_version(ctx: CheckContext) -> Iterator[Finding]:
    """GRADIO002: sdk_version is set, so builds are reproducible."""
    if ctx.sdk == "gradio" and "sdk_version" not in (ctx.card or {}):
        yield Finding(  # info: the Hub picks a current Gradio, reproducibility is hygiene
            "GRADIO002",
            INFO,
            "sdk_version is not set, so the Hub picks a Gradio version for you and builds are "
            'not reproducible: add e.g. sdk_version: "5.49.1".',
            "README.md",
            ctx.card_lines.get("sdk"),
        )


def check_gradio_pin(ctx: CheckContext) -> Iterator[Finding]:
    """GRADIO003: requirements.txt does not pin a gradio that disagrees with sdk_version."""
    version = (ctx.card or {}).get("sdk_version")
    if ctx.sdk != "gradio" or not isinstance(version, str) or "requirements.txt" not in ctx.files:
        return
    from packaging.version import InvalidVersion, Version

    try:
        sdk = Version(version)
    except InvalidVersion:
        return  # README010 reports the version itself
    for number, line, requirement in pins_of(ctx, "gradio"):
        if not requirement.specifier.contains(sdk, prereleases=True):
            yield Finding(
                "GRADIO003",
                WARNING,
                f"requirements.txt asks for {line} but the Space installs gradio=={version} "
                "(sdk_version), so pip fails with conflicting requirements: drop the gradio "
                "line and change sdk_version instead.",
                "requirements.txt",
                number,
            )


_SCRIPT = re.compile(r"\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)")
#: `cd frontend && npm ci && npm run build`: the build runs in that folder (a shell command).
_CD = re.compile(r"^\s*cd\s+([^\s;&|]+)\s*&&")


def _build_dir(command: str) -> str:
    """The folder the package manager runs in: the target of a leading `cd DIR &&`, or root."""
    match = _CD.match(command)
    if match is None:
        return ""
    folder = posixpath.normpath(match.group(1).strip("\"'"))
    return "" if folder in (".", "") else folder


def check_static_build(ctx: CheckContext) -> Iterator[Finding]:
    """STATIC002: app_build_command runs a script that package.json defines."""
    command = (ctx.card or {}).get("app_build_command")
    if ctx.sdk != "static" or not isinstance(command, str):
        return
    folder = _build_dir(command)
    package = posixpath.join(folder, "package.json") if folder else "package.json"
    if package not in ctx.files:
        where = f"in {folder}/" if folder else "at the root"
        yield Finding(
            "STATIC002",
            WARNING,
            f"app_build_command {command!r} needs a package.json {where}, and there is "
            "none, so the build Job fails: add package.json with that script.",
            "README.md",
            ctx.card_lines.get("app_build_command"),
        )
        return
    match = _SCRIPT.search(command)
    if match is None or match.group(1) in ("install", "ci", "i"):
        return
    try:
        scripts = json.loads(ctx.read_text(package) or "{}").get("scripts") or {}
    except (ValueError, AttributeError):
        scripts = {}
    if not isinstance(scripts, dict) or match.group(1) not in scripts:
        yield Finding(
            "STATIC002",
            WARNING,
            f"app_build_command runs the script {match.group(1)!r}, which package.json does "
            'not define, so the build Job fails: add it under "scripts".',
            package,
        )


def check_static_server_files(ctx: CheckContext) -> Iterator[Finding]:
    """STATIC004: server files in a static Space are ignored."""
    if ctx.sdk != "static":
        return
    ignored = sorted(
        p for p in ctx.files if p in ("Dockerfile", "requirements.txt") or p.endswith(".py")
    )
    if ignored:
        listed = ", ".join(ignored[:3]) + (" ..." if len(ignored) > 3 else "")
        yield Finding(
            "STATIC004",
            INFO,
            f"a static Space runs no server, so {listed} are ignored: use sdk: docker if the "
            "Space needs them.",
            ignored[0],
        )


def check_static_index(ctx: CheckContext) -> Iterator[Finding]:
    """STATIC001: a static Space has its index.html, unless a build command produces it."""
    card = ctx.card or {}
    if ctx.sdk != "static" or card.get("app_build_command"):
        return
    path, explicit = _app_file(ctx, "index.html")
    if not explicit and path not in ctx.files:
        yield Finding(
            "STATIC001",
            ERROR,
            "a static Space serves index.html, and there is none at the root: add index.html "
            "or set app_file in README.md.",
            "README.md",
            ctx.card_lines.get("sdk"),
        )


def check_streamlit_sdk(ctx: CheckContext) -> Iterator[Finding]:
    """STREAMLIT001: the built-in Streamlit SDK is deprecated."""
    if ctx.sdk == "streamlit":
        # Info: deprecated, but the Hub still builds it; measured harmless on the real corpus.
        yield Finding(
            "STREAMLIT001",
            INFO,
            "sdk: streamlit is deprecated on the Hub: use sdk: docker with a Dockerfile that "
            "runs `streamlit run app.py --server.port 8501 --server.address 0.0.0.0` and "
            "app_port: 8501.",
            "README.md",
            ctx.card_lines.get("sdk"),
        )


SDK_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_gradio_app,
    check_gradio_sdk_version,
    check_gradio_pin,
    check_static_index,
    check_static_build,
    check_static_server_files,
    check_streamlit_sdk,
]
