"""DOCKER018-019: the app listens on 0.0.0.0 at app_port, and EXPOSE agrees.

The start command (ENTRYPOINT + CMD, a `sh -c` body, or a simple start script from the upload)
is read for known servers and their defaults; a `python app.py` is read with `ast` for
`demo.launch(...)`, `uvicorn.run(...)` or Flask's `app.run(...)` with literal arguments.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import effective_command, end_state, finding, load, stage_chain
from tui.domain.checks.docker_shell import ShellCommand, split_commands
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.go_listen import go_listens
from tui.domain.dockerfile import substitute

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "ip6-localhost"})
_WRAPPERS = frozenset({"npx", "pnpx", "bunx", "poetry", "pipenv", "conda", "micromamba", "mamba"})
#: Commands of start scripts that never are the app's server.
_SCRIPT_NOISE = frozenset(
    (
        "echo printf sleep wait trap cd export set kill mkdir cp mv rm chmod ln cat test [ [[ "
        "true false exit source . curl until while for done fi local return shift ls pwd env "
        "touch"
    ).split()
)
_WRAPPER_VALUES = frozenset({"-p", "--prefix", "-n", "--name", "--cwd"})  # `mamba run -p ENV …`


@dataclass(frozen=True)
class Listen:
    """Where a server will listen: `port` None means it could not be resolved."""

    server: str
    host: str
    port: int | None
    fix: str
    where: str | None = None  # the uploaded script or app file it was found in
    sure: bool = True  # False: read from a default the runtime may override (PORT unset)


def _port(value: str | None, env: Mapping[str, str]) -> int | None:
    if value is None:
        return None
    resolved = substitute(str(value), env).strip().strip("\"'")
    return int(resolved) if resolved.isdigit() else None


def _host(value: str, env: Mapping[str, str]) -> str:
    return substitute(value, env).strip().strip("\"'")


def unwrap_runner(cmd: ShellCommand) -> ShellCommand:
    """`uv run uvicorn …`, `npx serve`, `python -m uvicorn`, `poetry run …` -> the server command."""
    argv = list(cmd.argv)
    for _ in range(3):
        prog = argv[0].rsplit("/", 1)[-1] if argv else ""
        if prog == "uv" and argv[1:2] == ["run"]:
            rest = argv[2:]
            while rest and rest[0].startswith("-"):
                rest = (
                    rest[2:] if rest[0] in ("--with", "--python", "-p", "--env-file") else rest[1:]
                )
            argv = rest
        elif prog in _WRAPPERS:
            argv = [a for a in argv[1:] if a not in ("run", "exec", "dlx", "--")]
            while argv and argv[0].startswith("-"):
                argv = argv[2:] if argv[0] in _WRAPPER_VALUES else argv[1:]
        elif (
            prog.startswith("python")
            and argv[1:2] == ["-m"]
            and len(argv) > 2
            and argv[2] != "http.server"
        ):
            argv = argv[2:]
        else:
            break
    return ShellCommand(tuple(argv), cmd.env) if argv else cmd


def server_listen(
    cmd: ShellCommand, env: Mapping[str, str], ctx: CheckContext, workdir: str, depth: int = 0
) -> list[Listen]:
    """Where the servers started by `cmd` listen; empty when no known server is recognised."""
    cmd = unwrap_runner(cmd)
    env = {**env, **cmd.env}
    prog, argv = cmd.program, cmd.argv
    if prog == "uvicorn":
        if cmd.has_option("--uds", "--fd"):
            return []
        host = cmd.option_value("--host") or env.get("UVICORN_HOST", "127.0.0.1")
        port = cmd.option_value("--port") or env.get("UVICORN_PORT", "8000")
        return [
            Listen("uvicorn", _host(host, env), _port(port, env), "--host 0.0.0.0 --port {port}")
        ]
    if prog == "gunicorn":
        return _gunicorn(cmd, env, ctx, workdir)
    if prog == "node" and len(argv) > 1 and argv[1].endswith((".js", ".mjs", ".cjs")):
        path = local_file(ctx, argv[1], workdir)
        source = ctx.read_text(path) if path else None
        return _node_app(source, env, path) if source else []
    if prog == "flask" and "run" in argv[1:3]:
        host = cmd.option_value("--host", "-h") or env.get("FLASK_RUN_HOST", "127.0.0.1")
        port = cmd.option_value("--port", "-p") or env.get("FLASK_RUN_PORT", "5000")
        return [
            Listen(
                "flask run",
                _host(host, env),
                _port(port, env),
                "flask run --host 0.0.0.0 --port {port}",
            )
        ]
    if prog == "fastapi" and len(argv) > 1 and argv[1] in ("run", "dev"):
        default_host = "0.0.0.0" if argv[1] == "run" else "127.0.0.1"
        host = cmd.option_value("--host") or default_host
        port = cmd.option_value("--port") or "8000"
        return [
            Listen(
                f"fastapi {argv[1]}",
                _host(host, env),
                _port(port, env),
                "fastapi run --host 0.0.0.0 --port {port}",
            )
        ]
    if prog == "streamlit" and "run" in argv[1:2]:
        return [_streamlit(cmd, env, ctx)]
    if prog == "spacetui" and "web" in argv[1:2]:  # `spacetui init --web-dashboard`'s own server
        host = cmd.option_value("--host") or "127.0.0.1"
        port = cmd.option_value("--port") or "8080"
        return [
            Listen(
                "spacetui web",
                _host(host, env),
                _port(port, env),
                "spacetui web --host 0.0.0.0 --port {port}",
            )
        ]
    if prog == "gradio":
        host = env.get("GRADIO_SERVER_NAME", "127.0.0.1")
        return [
            Listen(
                "gradio",
                _host(host, env),
                _port(env.get("GRADIO_SERVER_PORT", "7860"), env),
                "ENV GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT={port}",
            )
        ]
    if prog.startswith("python") and argv[1:3] == ("-m", "http.server"):
        rest = [a for a in argv[3:] if not a.startswith("-")]
        bind = cmd.option_value("--bind", "-b") or "0.0.0.0"
        port = next((a for a in rest if a.isdigit() or a.startswith("$")), "8000")
        return [
            Listen(
                "python -m http.server",
                _host(bind, env),
                _port(port, env),
                "python -m http.server {port}",
            )
        ]
    if prog in ("jupyter", "jupyter-lab", "jupyter-notebook"):
        ip = cmd.option_value("--ip", "--ServerApp.ip", "--NotebookApp.ip") or "localhost"
        port = cmd.option_value("--port", "--ServerApp.port", "--NotebookApp.port") or "8888"
        return [Listen("jupyter", _host(ip, env), _port(port, env), "--ip 0.0.0.0 --port {port}")]
    if prog == "next" and "start" in argv[1:2]:
        port = cmd.option_value("--port", "-p") or env.get("PORT", "3000")
        host = cmd.option_value("--hostname", "-H") or "0.0.0.0"
        return [
            Listen(
                "next start", _host(host, env), _port(port, env), "next start -H 0.0.0.0 -p {port}"
            )
        ]
    if prog == "serve":
        listen = cmd.option_value("--listen", "-l") or env.get("PORT", "3000")
        match = re.search(r"(?:(?P<host>[\w.\-\[\]:]+):)?(?P<port>\$?\{?\w+\}?)$", listen)
        port = match.group("port") if match else listen
        host = (match.group("host") if match and match.group("host") else "0.0.0.0").replace(
            "tcp://", ""
        )
        return [
            Listen("serve", _host(host, env), _port(port, env), "serve -l tcp://0.0.0.0:{port}")
        ]
    if prog == "nginx":
        return _nginx(ctx)
    if prog == "voila":
        return [_voila(cmd, env, ctx, workdir)]
    if prog == "vite":
        preview = "preview" in argv[1:2]
        host_flag = cmd.option_value("--host")
        host = (
            "0.0.0.0" if cmd.has_option("--host") and not host_flag else (host_flag or "localhost")
        )
        port = cmd.option_value("--port") or ("4173" if preview else "5173")
        return [
            Listen(
                "vite",
                _host(host, env),
                _port(port, env),
                "vite preview --host 0.0.0.0 --port {port}",
            )
        ]
    if depth >= 2:
        return []
    if prog in ("npm", "yarn", "pnpm", "bun") and len(argv) > 1:
        return _package_script(cmd, env, ctx, workdir, depth)
    if prog.startswith("python") and len(argv) > 1 and argv[1].endswith(".py"):
        path = local_file(ctx, argv[1], workdir)
        source = ctx.read_text(path) if path else None
        return [replace(item, where=path) for item in _python_app(source, env)] if source else []
    script = None
    if prog in ("bash", "sh") and len(argv) > 1 and not argv[1].startswith("-"):
        script = argv[1]
    elif argv and (argv[0].startswith(("./", "/")) or argv[0].endswith(".sh")):
        script = argv[0]
    if script:
        path = local_file(ctx, script, workdir)
        text = ctx.read_text(path) if path else None
        if text:
            return _script_listens(text, path, env, ctx, workdir, depth)
    return []


def _script_listens(
    text: str, path: str | None, env: Mapping[str, str], ctx: CheckContext, workdir: str, depth: int
) -> list[Listen]:
    """Servers a start script runs in the foreground, with the variables it exports first.

    A server started with a trailing `&` is a helper beside the app (an API behind a UI, a
    metrics exporter): the Hub routes to the foreground one, so background servers only count
    when the script has no foreground server at all.
    """
    env = dict(env)
    front: list[Listen] = []
    back: list[Listen] = []
    unknown_front = False  # a foreground program we cannot read may be the real server
    for inner in split_commands(text):
        if inner.program == "export":
            for assignment in inner.argv[1:]:
                key, eq, value = assignment.partition("=")
                if eq:
                    env[key] = substitute(value, env)
            continue
        found = server_listen(inner, env, ctx, workdir, depth + 1)
        (back if inner.background else front).extend(found)
        if not found and not inner.background and inner.program not in _SCRIPT_NOISE:
            unknown_front = True
    found = front or ([] if unknown_front else back)
    return [item if item.where else replace(item, where=path) for item in found]


def _package_script(
    cmd: ShellCommand, env: Mapping[str, str], ctx: CheckContext, workdir: str, depth: int
) -> list[Listen]:
    """`npm start` / `npm run serve`: the servers in that package.json script."""
    args = [a for a in cmd.argv[1:] if not a.startswith("-")]
    name = (
        args[1]
        if args[:1] in (["run"], ["run-script"]) and len(args) > 1
        else args[0]
        if args
        else ""
    )
    path = local_file(ctx, "package.json", workdir)
    text = ctx.read_text(path) if path else None
    try:
        scripts = json.loads(text).get("scripts", {}) if text else {}
    except (ValueError, AttributeError):
        return []
    script = scripts.get(name) if isinstance(scripts, dict) else None
    if not isinstance(script, str):
        return []
    found: list[Listen] = []
    for inner in split_commands(script):
        found.extend(server_listen(inner, env, ctx, workdir, depth + 1))
    return [replace(item, where=f"package.json script {name!r}") for item in found]


def _gunicorn_config_binds(
    cmd: ShellCommand, env: Mapping[str, str], ctx: CheckContext, workdir: str
) -> list[str] | None:
    """`bind` from the gunicorn config: `-c FILE`, else ./gunicorn.conf.py, which gunicorn reads
    by default. [] when there is no config or it sets no bind; None when it cannot be read."""
    name = cmd.option_value("-c", "--config")
    if name is not None and name.startswith("python:"):
        return None
    path = (
        local_file(ctx, name or "gunicorn.conf.py", workdir)
        if name
        else _in_workdir(ctx, "gunicorn.conf.py", workdir)
    )
    if path is None:
        return None if name else []
    try:
        tree = ast.parse(ctx.read_text(path) or "")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "bind" for t in node.targets
        ):
            values = (
                node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            )
            binds = []
            for value in values:
                text = _literal(value, env) if not isinstance(value, ast.JoinedStr) else ...
                if not isinstance(text, str):
                    return None
                binds.append(text)
            return binds
    return []


def _in_workdir(ctx: CheckContext, name: str, workdir: str) -> str | None:
    """`name` in the working directory when the folder root is copied there (the usual case)."""
    del workdir  # COPY . <workdir> is the common layout; local_file's fallbacks are too loose
    return name if name in ctx.files else None


def _gunicorn(
    cmd: ShellCommand, env: Mapping[str, str], ctx: CheckContext, workdir: str
) -> list[Listen]:
    binds = []
    args = list(cmd.argv[1:])
    extra = env.get("GUNICORN_CMD_ARGS", "")
    if extra:
        args = [*extra.split(), *args]
    for i, arg in enumerate(args):
        key, eq, value = arg.partition("=")
        if key in ("-b", "--bind"):
            binds.append(value if eq else (args[i + 1] if i + 1 < len(args) else ""))
        elif arg.startswith("-b") and len(arg) > 2 and not arg.startswith("--"):
            binds.append(arg[2:])
    if not binds:
        config = _gunicorn_config_binds(cmd, env, ctx, workdir)
        if config is None:
            return []  # a config file we cannot read may bind anywhere
        binds = config or ([f"0.0.0.0:{env['PORT']}"] if "PORT" in env else ["127.0.0.1:8000"])
    out = []
    for bind in binds:
        bind = substitute(bind, env).strip("\"'")
        if bind.startswith(("unix:", "fd://")):
            continue
        host, _, port = bind.rpartition(":")
        out.append(Listen("gunicorn", host or "0.0.0.0", _port(port, env), "--bind 0.0.0.0:{port}"))
    return out


_NODE_PORT = re.compile(
    r"process\.env\.PORT\s*(?:\|\||\?\?)\s*['\"]?(?P<default>\d{2,5})|"
    r"\.listen\(\s*(?P<literal>\d{2,5})\s*[,)]"
)
_NODE_LOOPBACK = re.compile(r"\.listen\([^)]*['\"](?:127\.0\.0\.1|localhost)['\"]")


def _node_app(source: str, env: Mapping[str, str], path: str | None) -> list[Listen]:
    """A Node server: `process.env.PORT || N` (PORT from the image first) or `.listen(N)`.

    Node listens on every interface unless given a host. A port that only comes from the
    fallback of an unset PORT is not sure: the finding then says so at a lower severity.
    """
    if ".listen(" not in source and "createServer" not in source:
        return []
    uses_env = "process.env.PORT" in source
    host = "127.0.0.1" if _NODE_LOOPBACK.search(source) else "0.0.0.0"
    if uses_env and "PORT" in env:
        return [Listen("node", host, _port(env["PORT"], env), "ENV PORT={port}", path)]
    match = _NODE_PORT.search(source)
    if match is None:
        return []
    port = match.group("default") or match.group("literal")
    return [
        Listen(
            "node",
            host,
            int(port),
            "app.listen(process.env.PORT || {port})",
            path,
            sure=not uses_env,
        )
    ]


def _streamlit(cmd: ShellCommand, env: Mapping[str, str], ctx: CheckContext) -> Listen:
    port = cmd.option_value("--server.port") or env.get("STREAMLIT_SERVER_PORT")
    host = cmd.option_value("--server.address") or env.get("STREAMLIT_SERVER_ADDRESS")
    config = (
        ctx.read_text(".streamlit/config.toml") if ".streamlit/config.toml" in ctx.files else None
    )
    if config and (port is None or host is None):
        import tomllib  # only a Streamlit config needs it: not loaded for every check run

        try:
            server = tomllib.loads(config).get("server", {})
        except tomllib.TOMLDecodeError:
            server = {}
        port = port or (str(server["port"]) if "port" in server else None)
        host = host or server.get("address")
    return Listen(
        "streamlit",
        _host(host or "0.0.0.0", env),
        _port(port or "8501", env),
        "--server.port {port} --server.address 0.0.0.0",
    )


def _voila(cmd: ShellCommand, env: Mapping[str, str], ctx: CheckContext, workdir: str) -> Listen:
    """Voila: flags, then `voila.json` in the working directory (Voila reads it), then 8866 on
    localhost, its defaults."""
    config: dict[str, object] = {}
    path = local_file(ctx, "voila.json", workdir)
    if path:
        try:
            loaded = json.loads(ctx.read_text(path) or "{}").get("Voila", {})
            config = loaded if isinstance(loaded, dict) else {}
        except (ValueError, AttributeError):
            config = {}
    port = cmd.option_value("--port", "--Voila.port") or str(config.get("port", "8866"))
    ip = cmd.option_value("--Voila.ip", "--ip") or str(config.get("ip", "localhost"))
    return Listen(
        "voila", _host(ip, env), _port(port, env), "voila --Voila.ip=0.0.0.0 --port={port}", path
    )


def _nginx(ctx: CheckContext) -> list[Listen]:
    out = []
    for path in ctx.files:
        if not (path.endswith(".conf") or path.rsplit("/", 1)[-1] == "nginx.conf"):
            continue
        text = ctx.read_text(path) or ""
        for match in re.finditer(
            r"^\s*listen\s+(?:(?P<host>[\w.\[\]:]+):)?(?P<port>\d+)", text, re.M
        ):
            out.append(
                Listen(
                    "nginx",
                    match.group("host") or "0.0.0.0",
                    int(match.group("port")),
                    "listen {port}; in the nginx config",
                )
            )
    return out


def _literal(node: ast.AST | None, env: Mapping[str, str]) -> object:
    """A literal, or the default of `os.environ.get("X", d)` / `os.getenv("X", d)` (env first)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call) and node.args:
        name = ast.unparse(node.func)
        if name in ("int", "str") and len(node.args) == 1:
            return _literal(node.args[0], env)
        if name in ("os.environ.get", "os.getenv", "environ.get", "getenv") and isinstance(
            node.args[0], ast.Constant
        ):
            key = node.args[0].value
            if isinstance(key, str) and key in env:
                return env[key]
            return _literal(node.args[1], env) if len(node.args) > 1 else None
    return ...  # an expression we cannot evaluate


def _python_app(source: str, env: Mapping[str, str]) -> list[Listen]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    text = source
    # Only `x.run()` where `x = Flask(...)`: `subprocess.run()` and friends are not servers.
    flask_apps = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).endswith("Flask")
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        owner = ast.unparse(node.func.value)
        if node.func.attr == "launch" and "gradio" in text:
            name = _literal(kwargs.get("server_name"), env)
            port = _literal(kwargs.get("server_port"), env)
            if name is ... or port is ...:
                return []
            host = str(name) if name is not None else env.get("GRADIO_SERVER_NAME", "127.0.0.1")
            port_value = str(port) if port is not None else env.get("GRADIO_SERVER_PORT", "7860")
            return [
                Listen(
                    "gradio launch()",
                    host,
                    _port(port_value, env),
                    'demo.launch(server_name="0.0.0.0", server_port={port})',
                )
            ]
        if node.func.attr == "run" and (owner == "uvicorn" or owner in flask_apps):
            is_uvicorn = owner == "uvicorn"
            host_node = _literal(kwargs.get("host"), env)
            port = _literal(kwargs.get("port"), env)
            if host_node is ... or port is ...:
                return []
            default_port = "8000" if is_uvicorn else "5000"
            server = "uvicorn.run()" if is_uvicorn else f"{owner}.run() (Flask)"
            return [
                Listen(
                    server,
                    str(host_node) if host_node is not None else "127.0.0.1",
                    _port(str(port) if port is not None else default_port, env),
                    f'{owner}.run(host="0.0.0.0", port={{port}})',
                )
            ]
    return []


def local_file(ctx: CheckContext, container_path: str, workdir: str) -> str | None:
    """The uploaded file a path inside the image most likely comes from."""
    path = container_path.strip("\"'")
    relative = path
    while relative.startswith("./"):
        relative = relative[2:]
    candidates = [relative.lstrip("/")]
    if path.startswith(workdir.rstrip("/") + "/"):
        candidates.append(path[len(workdir.rstrip("/")) + 1 :])
    for candidate in candidates:
        if candidate in ctx.files:
            return candidate
    base = path.rsplit("/", 1)[-1]
    matches = sorted((p for p in ctx.files if p.rsplit("/", 1)[-1] == base), key=len)
    return matches[0] if matches else None


def hub_port(port: int | None) -> bool:
    """Whether the Hub accepts `port` as app_port (README009: 1025..65535)."""
    return port is not None and 1025 <= port <= 65535


def _start_listens(ctx: CheckContext) -> tuple[list[Listen], int | None]:
    """Where the final stage's start command listens, and the line of that command."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return [], None
    commands, ins = effective_command(df, df.final_stage)
    if ins is None or not commands:
        return [], None
    state = end_state(df, df.final_stage)
    listens: list[Listen] = []
    for cmd in commands:
        found = server_listen(cmd, state.env, ctx, state.workdir)
        if not found and cmd.argv:  # a binary: a Go server built in an earlier stage?
            found = [
                Listen(
                    "the Go server",
                    item.host,
                    item.port,
                    'ENV PORT={port} (or ":{port}")',
                    item.path,
                    item.sure,
                )
                for item in go_listens(ctx, df, cmd.argv[0], state.env) or []
            ]
        listens.extend(found)
    return listens, ins.line


def _usable(listens: list[Listen]) -> Listen | None:
    """The first listener the Hub could route to once app_port names its port."""
    return next((i for i in listens if hub_port(i.port) and i.host not in LOOPBACK), None)


def suggested_port(ctx: CheckContext, listens: list[Listen] | None = None) -> int:
    """The app_port to propose while the card's is rejected: the app's own port when the Hub
    accepts it and the app is reachable there, else the default 7860 (README009's advice)."""
    usable = _usable(_start_listens(ctx)[0] if listens is None else listens)
    return usable.port if usable is not None and usable.port is not None else ctx.app_port


def _with_rejected_port(ctx: CheckContext, listens: list[Listen], line: int) -> Iterable[Finding]:
    """DOCKER018 while README009 rejects app_port: the Hub uses no port at all (CONFIG_ERROR),
    so the advice is to fix app_port first, never to listen on the rejected port."""
    rejected = ctx.rejected_app_port
    head = f"app_port {rejected!r} is rejected by the Hub (README009: 1025-65535 only)"
    known = [i for i in listens if i.port is not None]
    if not known:
        yield finding(
            "DOCKER018",
            Severity.INFO,
            f"{head} and the start command's port could not be read: fix app_port first (e.g. "
            f"app_port: {ctx.app_port}) and make sure the app listens on 0.0.0.0 at that port.",
            line,
        )
        return
    usable = _usable(known)
    if usable is not None:
        if usable.port != ctx.app_port:
            yield finding(
                "DOCKER018",
                Severity.INFO,
                f"{head}; {usable.server} listens on 0.0.0.0:{usable.port}, which the Hub "
                f"accepts: fix app_port first by setting app_port: {usable.port} in README.md.",
                line,
            )
        return
    item = known[0]
    target = item.port if hub_port(item.port) else ctx.app_port
    problems = []
    if item.host in LOOPBACK:
        problems.append(f"host {item.host} (only reachable from inside the container)")
    if not hub_port(item.port):
        problems.append(f"port {item.port}, which cannot be an app_port")
    yield finding(
        "DOCKER018",
        Severity.ERROR,
        f"{item.server}{f' (in {item.where})' if item.where else ''} listens on "
        f"{' and '.join(problems)}, and {head}. Fix app_port first, then listen there: use "
        f"{item.fix.format(port=target)} with app_port: {target}.",
        line,
    )


def check_listen_address(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER018: the server in CMD/ENTRYPOINT listens on 0.0.0.0 at app_port."""
    listens, line = _start_listens(ctx)
    if line is None:
        return
    if ctx.rejected_app_port is not None:
        yield from _with_rejected_port(ctx, listens, line)
        return
    port = ctx.app_port
    if not listens or all(item.port is None for item in listens):
        yield finding(
            "DOCKER018",
            Severity.INFO,
            f"Could not tell which host and port the start command listens on; make sure the app "
            f"listens on 0.0.0.0:{port} (app_port), or the Space never becomes healthy.",
            line,
        )
        return
    if any(item.port == port and item.host not in LOOPBACK for item in listens):
        return
    item = next(i for i in listens if i.port is not None)
    problems = []
    if item.host in LOOPBACK:
        problems.append(f"host {item.host} (only reachable from inside the container)")
    if item.port != port:
        problems.append(f"port {item.port} while app_port is {port}")
    fix = item.fix.format(port=port)
    alt = (
        f" (or set app_port: {item.port} in README.md)"
        if item.port != port and item.host not in LOOPBACK and hub_port(item.port)
        else ""
    )
    yield finding(
        "DOCKER018",
        Severity.ERROR if item.sure else Severity.WARNING,
        f"{item.server}{f' (in {item.where})' if item.where else ''} listens on "
        f"{' and '.join(problems)}, so the Hub cannot reach it and the "
        f"Space times out in Starting. Use {fix}{alt}.",
        line,
    )


def check_expose(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER019: EXPOSE, when present, includes app_port."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    env = end_state(df, df.final_stage).env
    exposes = [
        i
        for st in stage_chain(df, df.final_stage)
        for i in st.instructions
        if i.keyword == "EXPOSE"
    ]
    ports: list[int] = []
    for ins in exposes:
        for word in ins.words:
            value = substitute(word, env).split("/", 1)[0]
            if "-" in value:
                low, _, high = value.partition("-")
                if low.isdigit() and high.isdigit() and int(low) <= ctx.app_port <= int(high):
                    ports.append(ctx.app_port)
            elif value.isdigit():
                ports.append(int(value))
    shown = ", ".join(str(p) for p in ports)
    if ctx.rejected_app_port is not None:
        # The rejected app_port is no yardstick: only an EXPOSE that could never be app_port
        # is worth a word, and the port to propose is the one DOCKER018 proposes too.
        if any(not hub_port(p) for p in ports):
            target = suggested_port(ctx)
            yield finding(
                "DOCKER019",
                Severity.WARNING,
                f"EXPOSE {shown} names a port below 1025 or above 65535, which cannot be "
                f"app_port, and app_port {ctx.rejected_app_port!r} is rejected by the Hub "
                f"(README009): fix app_port first, then EXPOSE that port (e.g. app_port: "
                f"{target} with EXPOSE {target}).",
                exposes[0].line,
            )
        return
    if ports and ctx.app_port not in ports:
        alt = (
            f" (or set app_port: {ports[0]} in README.md if the app really listens there)"
            if hub_port(ports[0])
            else " (a port outside 1025-65535 cannot be app_port, README009)"
        )
        yield finding(
            "DOCKER019",
            Severity.WARNING,
            f"EXPOSE {shown} differs from app_port {ctx.app_port}; the Hub routes to app_port "
            f"only, so one of them is wrong. Write EXPOSE {ctx.app_port}{alt}.",
            exposes[0].line,
        )


PORT_CHECKS = [check_listen_address, check_expose]
