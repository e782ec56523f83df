"""Where a Go server the Dockerfile builds listens: `go build` output -> the main package's sources.

Read: `http.ListenAndServe(":8080", …)`, `http.Server{Addr: …}`, gin `r.Run(":8080")` (no
argument: PORT or 8080), echo `e.Start(…)`, fiber `app.Listen(…)`; the address is a literal, or
`":" + port` / `fmt.Sprintf(":%s", port)` where `port := os.Getenv("PORT")` (with an
`if port == "" { port = "7860" }` default or a `getEnv("PORT", "7860")` helper). Calls inside a
`go func() {…}` block are helpers (pprof, health), not the app. Anything else is "cannot tell":
the caller then never guesses.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import run_commands
from tui.domain.dockerfile import Dockerfile

#: `go build` flags that take a value (the package is the first other argument).
_VALUE_FLAGS = frozenset(
    {
        "-o",
        "-ldflags",
        "-gcflags",
        "-asmflags",
        "-tags",
        "-installsuffix",
        "-mod",
        "-p",
        "-buildmode",
        "-compiler",
        "-gccgoflags",
        "-pkgdir",
        "-modfile",
        "-overlay",
        "-pgo",
    }
)
_INTERPRETERS = frozenset(
    {
        "python",
        "python3",
        "node",
        "bash",
        "sh",
        "npm",
        "yarn",
        "pnpm",
        "bun",
        "deno",
        "java",
        "ruby",
        "php",
        "uv",
        "conda",
        "mamba",
        "supervisord",
        "nginx",
        "caddy",
    }
)
_CALL = re.compile(
    r"(?P<kind>ListenAndServe(?:TLS)?\(|\.Run\(|\.Start\(|\.Listen\(|\bAddr\s*:)\s*"
    r"(?P<expr>[^,)\n}]*)"
)
_LITERAL = re.compile(r'^"(?P<host>[^":]*):(?P<port>\d{2,5})"$')
_JOINED = re.compile(
    r'^(?:"(?P<host>[^":]*):"\s*\+\s*(?P<var>\w+)|fmt\.Sprintf\(\s*"(?P<fhost>[^":]*):%[sd]"'
    r"\s*,\s*(?P<fvar>\w+))$"
)
_FRAMEWORK = re.compile(r'"github\.com/(?:gin-gonic/gin|labstack/echo|gofiber/fiber)')
_GETENV = re.compile(r'^os\.Getenv\(\s*"(?P<name>\w+)"\s*\)$')


@dataclass(frozen=True)
class GoListen:
    """One resolved listen address of the Go app; `sure` False when it is a default of an env var."""

    host: str
    port: int
    sure: bool
    path: str


def go_build_packages(df: Dockerfile, binary: str) -> list[str]:
    """The package directories (relative, "." for the root) `go build` turns into `binary`."""
    out: list[str] = []
    builds: list[tuple[str | None, str]] = []
    for ins in df.instructions:
        if ins.keyword != "RUN":
            continue
        for cmd in run_commands(ins):
            argv = list(cmd.argv)
            if argv[:2] != ["go", "build"]:
                continue
            output, package, rest = None, ".", argv[2:]
            while rest:
                arg = rest.pop(0)
                if arg in _VALUE_FLAGS and rest:
                    value = rest.pop(0)
                    output = value if arg == "-o" else output
                elif arg.startswith("-o="):
                    output = arg[3:]
                elif not arg.startswith("-"):
                    package = arg
                    break
            builds.append((output, package))
    for output, package in builds:
        named = output is not None and posixpath.basename(output.rstrip("/")) == binary
        # Without -o the binary is named after the module: trust it only for a lone build run
        # by something that is not an interpreter (a Python Space may build a Go helper).
        lone = output is None and len(builds) == 1 and binary not in _INTERPRETERS
        if named or lone:
            out.append(posixpath.normpath(package.removeprefix("./")).removeprefix("/"))
    return out


def _in_goroutine(source: str, at: int) -> bool:
    """Whether offset `at` lies inside the body of a `go func(…) {` block."""
    for match in re.finditer(r"\bgo\s+func\s*\([^)]*\)\s*\{", source[:at]):
        depth = source[match.end() - 1 : at].count("{") - source[match.end() - 1 : at].count("}")
        if depth > 0:
            return True
    return False


def _env_default(source: str, var: str) -> tuple[str | None, str | None]:
    """(env name, default) of `var := os.Getenv("NAME")` and its `if var == "" { var = "N" }`."""
    helper = re.search(
        rf'\b{var}\s*:?=\s*[\w.]*[Gg]et[Ee]nv\w*\(\s*"(\w+)"\s*,\s*"(\d{{2,5}})"\s*\)', source
    )
    if helper:
        return helper.group(1), helper.group(2)
    plain = re.search(rf'\b{var}\s*:?=\s*os\.Getenv\(\s*"(\w+)"\s*\)', source)
    if not plain:
        return None, None
    default = re.search(
        rf'if\s+{var}\s*==\s*""\s*\{{\s*{var}\s*=\s*"(\d{{2,5}})"', source[plain.end() :]
    )
    return plain.group(1), default.group(1) if default else None


def _resolve(
    expr: str, kind: str, source: str, env: Mapping[str, str]
) -> tuple[str, str | None, bool] | None:  # noqa: E501
    """(host, port, sure) of one listen expression; None when it cannot be read."""
    expr = expr.strip()
    if not expr:  # gin's r.Run(): PORT from the environment, else 8080
        return ("0.0.0.0", env.get("PORT", "8080"), True) if kind == ".Run(" else None
    literal = _LITERAL.match(expr)
    if literal:
        return literal.group("host") or "0.0.0.0", literal.group("port"), True
    joined = _JOINED.match(expr)
    direct = _GETENV.match(expr)
    if joined:
        host = joined.group("host") if joined.group("var") else joined.group("fhost")
        name, default = _env_default(source, joined.group("var") or joined.group("fvar"))
    elif direct:
        host, name, default = "", direct.group("name"), None
    else:
        return None
    if name is None:
        return None
    if name in env:
        return host or "0.0.0.0", env[name], True
    return (host or "0.0.0.0", default, False) if default else None


def go_listens(
    ctx: CheckContext, df: Dockerfile, binary: str, env: Mapping[str, str]
) -> list[GoListen] | None:  # noqa: E501
    """Where the Go binary `binary` listens; None when it is not a Go build or cannot be read."""
    packages = go_build_packages(df, posixpath.basename(binary))
    if not packages:
        return None
    sources = [
        (path, ctx.read_text(path) or "")
        for path in sorted(ctx.files)
        if path.endswith(".go")
        and not path.endswith("_test.go")
        and (posixpath.dirname(path) or ".") in packages
    ]
    # The framework is imported where the router is built, often not in main.go.
    framework = " ".join(m.group(0) for _, text in sources for m in _FRAMEWORK.finditer(text))
    found: list[GoListen] = []
    for path, source in sources:
        for match in _CALL.finditer(source):
            line_start = source.rfind("\n", 0, match.start()) + 1
            if source[line_start : match.start()].lstrip().startswith(("//", "go ")):
                continue  # a comment, or `go http.ListenAndServe(…)`: a helper
            if _in_goroutine(source, match.start()):
                continue
            kind, expr = match.group("kind"), match.group("expr").strip()
            if not expr and (kind != ".Run(" or "gin-gonic/gin" not in framework):
                continue  # `srv.ListenAndServe()` (its Addr is read), `cmd.Run()`, `e.Start()`…
            if kind in (".Run(", ".Start(", ".Listen(") and not framework:
                continue  # no gin/echo/fiber import: some other Run/Start/Listen
            resolved = _resolve(expr, kind, source, env)
            if resolved is None:
                return None  # one address we cannot read: never guess
            host, port, sure = resolved
            if port is None or not port.isdigit():
                return None
            found.append(GoListen(host, int(port), sure, path))
    return found or None
