"""STREAMLIT002-003: the Streamlit SDK's fixed port, and file uploads inside the Spaces iframe.

STREAMLIT001 (the deprecated SDK) lives with the other SDK basics in sdk_checks.py. For Docker +
Streamlit, the CMD's port and address are DOCKER018's job (docker_port.py reads
`--server.port`, `--server.address`, `STREAMLIT_SERVER_*` and `.streamlit/config.toml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from tui.domain.checks.context import CheckContext
from tui.domain.checks.findings import Finding, Severity
from tui.domain.checks.python_sources import declares_package, python_sources

CONFIG = ".streamlit/config.toml"
STREAMLIT_PORT = 8501
LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: Compiled on first use (re caches it): importing every check family stays cheap for a deploy.
_UPLOADER = r"\b(?:st|streamlit)\.file_uploader\b|\bimport\s+file_uploader\b"
_XSRF_ENV = "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"
_XSRF_FLAG = "--server.enableXsrfProtection"


def _config(ctx: CheckContext) -> tuple[dict[str, Any], str]:
    """The uploaded `.streamlit/config.toml` ([server] table, text); empty when absent or broken."""
    text = ctx.read_text(CONFIG) if CONFIG in ctx.files else None
    if not text:
        return {}, ""
    import tomllib  # only a Streamlit config needs it: not loaded for every check run

    try:
        server = tomllib.loads(text).get("server", {})
    except tomllib.TOMLDecodeError:
        return {}, text
    return (server if isinstance(server, dict) else {}), text


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def check_streamlit_port(ctx: CheckContext) -> Iterator[Finding]:
    """STREAMLIT002: with `sdk: streamlit`, config.toml keeps the app on 0.0.0.0:8501."""
    if ctx.sdk != "streamlit":
        return
    server, text = _config(ctx)
    port = server.get("port")
    if isinstance(port, str) and port.strip().isdigit():
        port = int(port)  # Streamlit reads a quoted "8501" as the number
    if port is not None and port != STREAMLIT_PORT:
        yield Finding(
            "STREAMLIT002",
            Severity.ERROR,
            f"[server] port = {port!r} moves the app off 8501, the only port the Streamlit SDK "
            "routes to, so the Space is unreachable: remove the port line.",
            CONFIG,
            _line_of(text, "port"),
        )
    address = server.get("address")
    if isinstance(address, str) and address.strip() in LOOPBACK:
        yield Finding(
            "STREAMLIT002",
            Severity.ERROR,
            f"[server] address = {address!r} listens only inside the container, so the Space "
            "is unreachable: remove the address line.",
            CONFIG,
            _line_of(text, "address"),
        )


def _false(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip().strip("\"'") == "false")


def _docker_disables_xsrf(ctx: CheckContext) -> bool:
    """Whether the Dockerfile's ENV or start command turns Streamlit's XSRF protection off."""
    from tui.domain.checks.docker_common import effective_command, end_state, load
    from tui.domain.checks.docker_port import local_file, unwrap_runner
    from tui.domain.checks.docker_shell import split_commands

    df = load(ctx)
    if df is None or df.final_stage is None:
        return False
    env: Mapping[str, str] = end_state(df, df.final_stage).env
    if _false(env.get(_XSRF_ENV)):
        return True
    commands, _ = effective_command(df, df.final_stage)
    workdir = end_state(df, df.final_stage).workdir
    # The start command, and one level of a start script it runs (`bash start.sh`, `./run.sh`).
    everything = list(commands)
    for cmd in commands:
        script = next((a for a in cmd.argv[:2] if a.endswith(".sh")), None)
        path = local_file(ctx, script, workdir) if script else None
        text = ctx.read_text(path) if path else None
        if text:
            everything.extend(split_commands(text))
    for cmd in everything:
        cmd = unwrap_runner(cmd)
        if _false(cmd.env.get(_XSRF_ENV)):
            return True
        if cmd.program == "streamlit" and _false(cmd.option_value(_XSRF_FLAG)):
            return True
    return False


def check_streamlit_uploads(ctx: CheckContext) -> Iterator[Finding]:
    """STREAMLIT003: st.file_uploader needs XSRF protection off inside the Spaces iframe."""
    if ctx.sdk not in ("streamlit", "docker"):
        return
    if ctx.sdk == "docker" and not declares_package(ctx, "streamlit"):
        return  # not a Streamlit app: its sources are not read
    where = None
    for path, text in python_sources(ctx, "file_uploader"):
        match = re.search(_UPLOADER, text)
        if match:
            where = (path, text.count("\n", 0, match.start()) + 1)
            break
    if where is None:
        return
    server, _ = _config(ctx)
    if _false(server.get("enableXsrfProtection")) or _docker_disables_xsrf(ctx):
        return
    yield Finding(
        "STREAMLIT003",
        Severity.INFO,
        "st.file_uploader fails with a 403 inside the Spaces page: the app runs in an iframe "
        "where browsers drop Streamlit's XSRF cookie. Set enableXsrfProtection = false under "
        f"[server] in {CONFIG} (or pass --server.enableXsrfProtection false).",
        where[0],
        where[1],
    )


STREAMLIT_CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_streamlit_port,
    check_streamlit_uploads,
]
