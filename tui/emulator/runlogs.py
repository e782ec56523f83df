"""A scripted app for a built Space: what its container prints, whether it gets healthy, or how it dies.

The app is read from the image's command (uvicorn, gunicorn, streamlit, gradio, flask, http.server,
node …) and its source; the texts follow tests/fixtures/logs/run-*.txt, with uvicorn's colours
when the command forces them. Offsets are Hub-realistic seconds from the container's start.
"""

from __future__ import annotations

import random
import re
import shlex
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tui.emulator.life_config import SpaceConfig
from tui.emulator.life_packages import IMPORT_NAMES, KNOWN_VERSIONS, canonical
from tui.emulator.life_steps import ImageFacts

# Seconds between two periodic lines of a serving app (requests, app prints).
TICK_MIN, TICK_MAX = 2.0, 15.0
_IMPORT = re.compile(r"^(?:import|from)\s+([A-Za-z_]\w*)", re.MULTILINE)
_ROUTE = re.compile(r"@\w+\.(get|post|put|delete|patch|route)\(\s*[\"']([^\"']+)[\"']")
_PRINT = re.compile(r"print\(\s*f?[\"']([^\"'\n]+)[\"']")
_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")
_GREEN, _RESET = "\x1b[32m", "\x1b[0m"


@dataclass
class AppSpec:
    """How the container's main process behaves."""

    kind: str
    port: int | None
    host: str = "0.0.0.0"
    colour: bool = False
    app_file: str | None = None
    access_log: bool = True
    source: str = ""

    def reachable(self, app_port: int) -> bool:
        """The Hub's proxy reaches the app only on 0.0.0.0 (or ::) at `app_port`."""
        if self.host not in ("0.0.0.0", "::", "[::]"):
            return False
        return self.port is None or self.port == app_port


@dataclass
class RunPlan:
    """One container run: start-up lines, then healthy (RUNNING) or an exit, plus periodic lines."""

    lines: list[tuple[float, str]]
    healthy_at: float | None = None
    exit_at: float | None = None
    error_message: str | None = None
    tick: Callable[[int, float], str] | None = None
    tick_seed: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _words(argv: list[str]) -> list[str]:
    """The command's words, looking inside `sh -c "…"` wrappers."""
    if len(argv) >= 3 and argv[0] in ("/bin/sh", "sh", "/bin/bash", "bash") and argv[1] == "-c":
        try:
            return shlex.split(argv[2])
        except ValueError:
            return argv[2].split()
    return argv


def _option(words: list[str], *names: str) -> str | None:
    for index, word in enumerate(words):
        for name in names:
            if word == name and index + 1 < len(words):
                return words[index + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


def _port(text: str | None, default: int | None) -> int | None:
    if text is None:
        return default
    digits = text.rsplit(":", 1)[-1]
    return int(digits) if digits.isdigit() else default


def detect_app(
    image: ImageFacts | None, config: SpaceConfig, files: Mapping[str, bytes]
) -> AppSpec:
    """Which app runs, on which host and port, from the SDK or the image's command."""

    def source(path: str | None) -> str:
        raw = files.get(path or "", b"")
        return raw.decode("utf-8", errors="replace")

    if config.sdk == "static":
        return AppSpec("static", None)
    if config.sdk in ("gradio", "streamlit"):
        app_file = config.app_file or "app.py"
        return AppSpec(config.sdk, config.app_port, app_file=app_file, source=source(app_file))
    image = image or ImageFacts()
    env = image.env
    colour = env.get("FORCE_COLOR", "") not in ("", "0")
    words = [_expand(word, env) for word in _words(image.argv)]
    names = [word.rsplit("/", 1)[-1] for word in words]
    if not words:
        return AppSpec("repl", None)
    if "uvicorn" in names or names[:2] == ["fastapi", "run"]:
        default_host = "0.0.0.0" if names[:2] == ["fastapi", "run"] else "127.0.0.1"
        module = (
            next(
                (
                    w
                    for w in words[names.index("uvicorn") + 1 :]
                    if ":" in w and not w.startswith("-")
                ),
                "app:app",
            )
            if "uvicorn" in names
            else "app:app"
        )
        app_file = module.split(":")[0].replace(".", "/") + ".py"
        return AppSpec(
            "uvicorn",
            _port(_option(words, "--port"), 8000),
            _option(words, "--host") or default_host,
            colour=colour or "--use-colors" in words,
            app_file=app_file,
            access_log="--no-access-log" not in words,
            source=source(app_file),
        )
    if "gunicorn" in names:
        bind = _option(words, "-b", "--bind") or env.get("GUNICORN_CMD_ARGS", "127.0.0.1:8000")
        host = bind.rsplit(":", 1)[0] if ":" in bind else "127.0.0.1"
        return AppSpec(
            "gunicorn",
            _port(bind, 8000),
            host or "0.0.0.0",
            access_log=_option(words, "--access-logfile") == "-",
        )
    if "streamlit" in names:
        script = next((w for w in words if w.endswith(".py")), None)
        return AppSpec(
            "streamlit",
            _port(_option(words, "--server.port"), 8501),
            _option(words, "--server.address") or "0.0.0.0",
            app_file=script,
            source=source(script),
        )
    if any(name.startswith("python") for name in names):
        if "-m" in words and "http.server" in words:
            after = words[words.index("http.server") + 1 :]
            port = next((int(w) for w in after if w.isdigit()), 8000)
            return AppSpec("http.server", port, _option(words, "--bind", "-b") or "0.0.0.0")
        script = next((w for w in words if w.endswith(".py")), None)
        if script is None:
            return AppSpec("repl", None)
        path = script.removeprefix("./").removeprefix(image.workdir.rstrip("/") + "/").lstrip("/")
        text = source(path)
        if path not in files:
            return AppSpec("missing-file", None, app_file=script)
        return _python_app(path, text, env, colour)
    if names[0] in ("node", "npm", "yarn", "pnpm", "bun"):
        return AppSpec("node", _port(env.get("PORT"), None), app_file=words[-1])
    return AppSpec("unknown", None)


def _python_app(path: str, text: str, env: Mapping[str, str], colour: bool) -> AppSpec:
    """A `python app.py` entry point: what the script starts, read from its source."""
    if "uvicorn.run(" in text:
        port = re.search(r"port\s*=\s*(\d+)", text)
        host = re.search(r"host\s*=\s*[\"']([^\"']+)", text)
        return AppSpec(
            "uvicorn",
            int(port.group(1)) if port else 8000,
            host.group(1) if host else "127.0.0.1",
            colour=colour,
            app_file=path,
            source=text,
        )
    if re.search(r"^\s*(import gradio|from gradio)", text, re.MULTILINE):
        port = re.search(r"server_port\s*=\s*(\d+)", text)
        host = re.search(r"server_name\s*=\s*[\"']([^\"']+)", text)
        return AppSpec(
            "gradio",
            int(port.group(1)) if port else _port(env.get("GRADIO_SERVER_PORT"), 7860),
            host.group(1) if host else env.get("GRADIO_SERVER_NAME", "127.0.0.1"),
            app_file=path,
            source=text,
        )
    if ".run(" in text and "flask" in text.lower():
        port = re.search(r"port\s*=\s*(\d+)", text)
        host = re.search(r"host\s*=\s*[\"']([^\"']+)", text)
        return AppSpec(
            "flask",
            int(port.group(1)) if port else 5000,
            host.group(1) if host else "127.0.0.1",
            app_file=path,
            source=text,
        )
    return AppSpec("python", None, app_file=path, source=text)


def _expand(word: str, env: Mapping[str, str]) -> str:
    return re.sub(
        r"\$\{?([A-Za-z_]\w*)(?::-([^}]*))?\}?",
        lambda m: env.get(m.group(1), m.group(2) or ""),
        word,
    )


def missing_module(app: AppSpec, installed: set[str]) -> tuple[int, str] | None:
    """The first well-known third-party import of the app file that the image did not install."""
    for match in _IMPORT.finditer(app.source):
        module = match.group(1)
        package = IMPORT_NAMES.get(module, canonical(module))
        if package in KNOWN_VERSIONS and package not in installed:
            line = app.source[: match.start()].count("\n") + 1
            return line, module
    return None


def plan_run(
    app: AppSpec,
    *,
    config: SpaceConfig,
    image: ImageFacts | None,
    started_at: float,
    seed: str,
) -> RunPlan:
    """The container's start-up: lines, then healthy, never healthy, or an exit with its reason."""
    rng = random.Random(seed)
    t = rng.uniform(1.5, 3.5)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(started_at + t))
    lines: list[tuple[float, str]] = [(t, f"===== Application Startup at {stamp} ====="), (t, "")]
    installed = image.installed if image is not None else set()
    workdir = "/app" if image is None else image.workdir.rstrip("/") or ""
    if config.sdk in ("gradio", "streamlit"):
        installed = installed | {config.sdk}

    def at(offset: float, text: str) -> None:
        lines.append((t + offset, text))

    if app.kind == "missing-file":
        at(
            0.4,
            f"python: can't open file '{workdir}/{app.app_file}': [Errno 2] No such file or directory",
        )
        text = lines[-1][1]
        return RunPlan(lines, exit_at=t + 0.5, error_message=f"Exit code: 2. Reason: {text}")
    if app.kind == "repl":
        return RunPlan(
            lines,
            exit_at=t + 0.3,
            error_message="Exit code: 0. Reason: application does not seem to be initialized",
        )
    missing = missing_module(app, installed)
    if missing is not None:
        line, module = missing
        trace = [
            "Traceback (most recent call last):",
            f'  File "{workdir}/{app.app_file}", line {line}, in <module>',
            f"    {app.source.splitlines()[line - 1].strip()}",
            f"ModuleNotFoundError: No module named '{module}'",
        ]
        for index, text in enumerate(trace + trace):
            at(0.8 + 0.01 * index + (1.5 if index >= len(trace) else 0), text)
        return RunPlan(
            lines, exit_at=t + 2.5, error_message="Exit code: 1. Reason: " + "\n".join(trace)
        )
    startup = _startup_lines(app, started_at + t, rng)
    for index, text in enumerate(startup):
        at(0.6 + 0.4 * index + rng.uniform(0.0, 0.3), text)
    ready = lines[-1][0]
    healthy = ready + rng.uniform(1.0, 3.0) if app.reachable(config.app_port) else None
    return RunPlan(lines, healthy_at=healthy, tick=_ticker(app, seed), tick_seed=seed)


def _startup_lines(app: AppSpec, now: float, rng: random.Random) -> list[str]:
    port = app.port or 7860
    host = app.host
    if app.kind == "uvicorn":
        info = f"{_GREEN}INFO{_RESET}:" if app.colour else "INFO:"
        pid = f"\x1b[36m1{_RESET}" if app.colour else "1"
        url = f"\x1b[1mhttp://{host}:{port}{_RESET}" if app.colour else f"http://{host}:{port}"
        return [
            f"{info}     Started server process [{pid}]",
            f"{info}     Waiting for application startup.",
            f"{info}     Application startup complete.",
            f"{info}     Uvicorn running on {url} (Press CTRL+C to quit)",
        ]
    if app.kind == "gunicorn":
        stamp = time.strftime("[%Y-%m-%d %H:%M:%S +0000]", time.gmtime(now + 1))
        return [
            f"{stamp} [1] [INFO] Starting gunicorn 23.0.0",
            f"{stamp} [1] [INFO] Listening at: http://{host}:{port} (1)",
            f"{stamp} [1] [INFO] Using worker: sync",
            f"{stamp} [7] [INFO] Booting worker with pid: 7",
        ]
    if app.kind == "streamlit":
        return [
            "",
            "Collecting usage statistics. To deactivate, set browser.gatherUsageStats to false.",
            "",
            "",
            "  You can now view your Streamlit app in your browser.",
            "",
            f"  URL: http://{host}:{port}",
            "",
        ]
    if app.kind == "gradio":
        return [
            f"* Running on local URL:  http://{host}:{port}",
            "* To create a public link, set `share=True` in `launch()`.",
        ]
    if app.kind == "flask":
        return [
            f" * Serving Flask app '{(app.app_file or 'app.py').removesuffix('.py')}'",
            " * Debug mode: off",
            "\x1b[31m\x1b[1mWARNING: This is a development server. Do not use it in a production deployment. "
            "Use a production WSGI server instead.\x1b[0m",
            f" * Running on http://{host}:{port}",
            "\x1b[33mPress CTRL+C to quit\x1b[0m",
        ]
    if app.kind == "http.server":
        return [f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ..."]
    if app.kind == "node":
        return [
            "",
            "> app@1.0.0 start",
            f"> node {app.app_file or 'server.js'}",
            "",
            f"Server listening on port {port}",
        ]
    return []


def _ticker(app: AppSpec, seed: str) -> Callable[[int, float], str] | None:
    """The periodic line of a serving app: its access log, or its own prints."""
    routes = [path for _, path in _ROUTE.findall(app.source)] or ["/"]
    prints = _PRINT.findall(app.source)
    if app.kind == "uvicorn" and app.access_log:
        return lambda k, now: _uvicorn_access(app, routes, random.Random(f"{seed}:{k}"))
    if app.kind == "gunicorn" and app.access_log:
        return lambda k, now: _gunicorn_access(routes, random.Random(f"{seed}:{k}"), now)
    if app.kind in ("flask", "http.server"):
        return lambda k, now: _common_access(routes, random.Random(f"{seed}:{k}"), now)
    if prints:
        return lambda k, now: _fill(prints[k % len(prints)], random.Random(f"{seed}:{k}"))
    return None


def _request(routes: list[str], rng: random.Random) -> tuple[str, str, int]:
    roll = rng.random()
    if roll < 0.08:
        return "GET", "/?logs=container", 200
    if roll < 0.12:
        return "GET", "/favicon.ico", 404
    path = re.sub(r"\{[^}]*\}|<[^>]*>", lambda _: str(rng.randrange(1, 60)), rng.choice(routes))
    method = "POST" if roll > 0.9 and len(routes) > 1 else "GET"
    return method, path, 200


def _client(rng: random.Random) -> str:
    return f"10.16.{rng.randrange(1, 60)}.{rng.randrange(2, 250)}"


_REASONS = {200: "OK", 404: "Not Found"}


def _uvicorn_access(app: AppSpec, routes: list[str], rng: random.Random) -> str:
    method, path, status = _request(routes, rng)
    client = f"{_client(rng)}:{rng.randrange(10000, 65000)}"
    if app.colour:
        code = f"{_GREEN if status < 400 else chr(27) + '[31m'}{status} {_REASONS[status]}{_RESET}"
        return (
            f'{_GREEN}INFO{_RESET}:     {client} - "\x1b[1m{method} {path} HTTP/1.1{_RESET}" {code}'
        )
    return f'INFO:     {client} - "{method} {path} HTTP/1.1" {status} {_REASONS[status]}'


def _gunicorn_access(routes: list[str], rng: random.Random, now: float) -> str:
    method, path, status = _request(routes, rng)
    stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))
    size = rng.randrange(200, 9000)
    return f'{_client(rng)} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "-" "Mozilla/5.0 (X11; Linux x86_64)"'


def _common_access(routes: list[str], rng: random.Random, now: float) -> str:
    method, path, status = _request(routes, rng)
    stamp = time.strftime("%d/%b/%Y %H:%M:%S", time.gmtime(now))
    return f'{_client(rng)} - - [{stamp}] "{method} {path} HTTP/1.1" {status} -'


def _fill(template: str, rng: random.Random) -> str:
    """An f-string template from the app's source with plausible values in its placeholders."""

    def value(match: re.Match[str]) -> str:
        spec = match.group(2) or ""
        number = rng.uniform(0.05, 4.0) if "f" in spec else rng.randrange(1, 1024)
        try:
            return format(number, spec)
        except ValueError:
            return str(number)

    return _PLACEHOLDER.sub(value, template)
