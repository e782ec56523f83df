"""DOCKER009, 011-013: Python packages installed where the uid 1000 runtime user can use them."""

from __future__ import annotations

from collections.abc import Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import (
    effective_command,
    end_state,
    finding,
    image_name_and_tag,
    load,
    run_commands,
    stage_chain,
    walk_stage,
)
from tui.domain.checks.docker_shell import ShellCommand
from tui.domain.checks.docker_uv import (
    INSTALL_HINT,
    UV_PROGRAMS,
    installs_uv,
    mounts_uv,
)
from tui.domain.checks.findings import Finding, Severity

_TRUTHY = ("1", "true", "yes", "on")


def is_pip_install(cmd: ShellCommand) -> bool:
    """`pip install`, `pip3 install`, `python -m pip install` (not `uv pip`)."""
    argv = cmd.argv
    if cmd.program.startswith("pip") and len(argv) > 1 and argv[1] == "install":
        return True
    return (
        cmd.program.startswith("python")
        and argv[1:3] == ("-m", "pip")
        and len(argv) > 3
        and argv[3] == "install"
    )


def is_uv_pip_install(cmd: ShellCommand) -> bool:
    """`uv pip install …`."""
    return cmd.program == "uv" and cmd.argv[1:3] == ("pip", "install")


def _opens_venv(cmd: ShellCommand) -> bool:
    return (cmd.program == "uv" and cmd.argv[1:2] == ("venv",)) or (
        cmd.program.startswith("python") and cmd.argv[1:3] == ("-m", "venv")
    )


def check_home_and_path(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER009: pip user installs come with HOME and ~/.local/bin on PATH for the runtime user."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    final = end_state(df, df.final_stage)
    if final.is_root:
        return
    trigger = None
    for ins, state in walk_stage(df, df.final_stage):
        if ins.keyword != "RUN":
            continue
        for cmd in run_commands(ins, state.env):
            if not is_pip_install(cmd) or state.venv or "VIRTUAL_ENV" in cmd.env:
                continue
            if cmd.has_option("--target", "-t", "--prefix", "--root"):
                continue
            if cmd.has_option("--user") or not state.is_root:
                trigger = trigger or ins
    if trigger is None:
        return
    user = final.user.split(":", 1)[0]
    # Docker derives HOME from the passwd entry of a USER that useradd created (or the base has).
    home = final.env.get("HOME") or (user in final.users or (user == "1000" and final.uid1000_user))
    missing = []
    if not home:
        missing.append("HOME is not set")
    if ".local/bin" not in final.env.get("PATH", ""):
        missing.append("PATH does not contain $HOME/.local/bin")
    if missing:
        yield finding(
            "DOCKER009",
            Severity.WARNING,
            f"pip installs into the user's ~/.local here, but {' and '.join(missing)}, so "
            'console scripts (uvicorn, gunicorn, streamlit…) end with "executable file not found '
            f'in $PATH". Add ENV HOME=/home/{user} PATH=/home/{user}/.local/bin:$PATH after '
            f"USER {user}.",
            trigger.line,
        )


def check_pip_user_as_root(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER011: no `pip install --user` while running as root."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    for ins, state in walk_stage(df, df.final_stage):
        if ins.keyword != "RUN" or not state.is_root:
            continue
        if any(is_pip_install(c) and c.has_option("--user") for c in run_commands(ins, state.env)):
            yield finding(
                "DOCKER011",
                Severity.ERROR,
                "pip install --user runs as root, so packages go to /root/.local, which uid 1000 "
                "cannot read: ModuleNotFoundError at run time. Drop --user (install system-wide "
                "as root) or run it after USER user.",
                ins.line,
            )


def _uv_missing(state_base: str, cmd: ShellCommand, then: str | None, line: int) -> Finding:
    """DOCKER012 first of all: the image has no uv, so the RUN dies with exit code 127."""
    follow = f" Once uv is there, {then}" if then else ""
    return finding(
        "DOCKER012",
        Severity.ERROR,
        f"{cmd.program} is not installed in this image ({state_base or 'the base image'} has "
        'none and no earlier step installs it), so the build stops here with "/bin/sh: 1: '
        f'{cmd.argv[0]}: not found" (exit code 127). Install it first, e.g. {INSTALL_HINT} '
        f"before this RUN (or RUN pip install uv), or use pip instead.{follow}",
        line,
    )


def check_uv_install(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER012: uv is installed before use; it has a target (--system or a venv), as root, on
    a non-apt Python; uv sync's venv is used."""
    df = load(ctx)
    if df is None:
        return
    for stage in df.stages:
        apt_python = False
        missing_reported = False
        for ins, state in walk_stage(df, stage):
            if ins.keyword != "RUN":
                continue
            venv = state.venv
            has_uv = state.has_uv or mounts_uv(ins)
            for cmd in run_commands(ins, state.env):
                if cmd.program in ("apt-get", "apt") and any(
                    a.startswith("python3") for a in cmd.argv
                ):
                    apt_python = True
                if _opens_venv(cmd):
                    venv = True
                has_uv = has_uv or installs_uv(cmd)
                uv_missing = cmd.program in UV_PROGRAMS and not has_uv and not missing_reported
                if uv_missing and not is_uv_pip_install(cmd):
                    missing_reported = True
                    yield _uv_missing(state.base_image, cmd, None, ins.line)
                if not is_uv_pip_install(cmd):
                    continue
                env = {**state.env, **cmd.env}
                system = (
                    cmd.has_option("--system") or env.get("UV_SYSTEM_PYTHON", "").lower() in _TRUTHY
                )
                targeted = cmd.has_option("--python", "-p", "--target", "--prefix")
                if not (
                    system or targeted or venv or "VIRTUAL_ENV" in env or "CONDA_PREFIX" in env
                ):
                    # --system only works as root: after USER the fix is a move or a venv.
                    fix = (
                        f"Write RUN {_with_system(cmd)}"
                        if state.is_root
                        else f"Move RUN {_with_system(cmd)} before USER {state.user} (as root)"
                    )
                    if uv_missing:
                        # The real build never gets to "No virtual environment found": one
                        # finding, in the order the user will meet the failures.
                        missing_reported = True
                        then: str | None = (
                            f"uv pip install also needs a target: {fix[0].lower()}{fix[1:]}."
                        )
                        yield _uv_missing(state.base_image, cmd, then, ins.line)
                        continue
                    yield finding(
                        "DOCKER012",
                        Severity.ERROR,
                        "uv pip install has no environment to install into (no --system, no "
                        f'venv), so the build fails with "No virtual environment found". {fix}, '
                        "or create one first with uv venv and put its bin on PATH.",
                        ins.line,
                    )
                elif uv_missing:
                    missing_reported = True
                    then = (
                        f"run this before USER {state.user} (as root): uv has no --user fallback."
                        if system and not state.is_root
                        else None
                    )
                    yield _uv_missing(state.base_image, cmd, then, ins.line)
                elif system and not state.is_root:
                    yield finding(
                        "DOCKER012",
                        Severity.ERROR,
                        f"uv pip install --system runs as {state.user}, and uv has no --user "
                        "fallback: Permission denied on /usr/local. Move it before USER (as "
                        "root), or install into a venv the user owns.",
                        ins.line,
                    )
                elif (
                    system
                    and apt_python
                    and not _is_python_image(state.base_image)
                    and not (
                        cmd.has_option("--break-system-packages")
                        or env.get("UV_BREAK_SYSTEM_PACKAGES", "").lower() in _TRUTHY
                    )
                ):
                    yield finding(
                        "DOCKER012",
                        Severity.ERROR,
                        "uv pip install --system targets the Debian/Ubuntu apt Python, which is "
                        "externally managed, so the install is refused. Use a python:3.12-slim "
                        "base, a venv, or add --break-system-packages.",
                        ins.line,
                    )
    yield from _uv_sync_venv_used(ctx)


def _with_system(cmd: ShellCommand) -> str:
    return " ".join([*cmd.argv[:3], "--system", *cmd.argv[3:]])


def _is_python_image(image: str) -> bool:
    name, _ = image_name_and_tag(image)
    return name == "python" or name.endswith("/python") or "astral-sh/uv" in name


def _uv_sync_venv_used(ctx: CheckContext) -> Iterable[Finding]:
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    final = df.final_stage
    sync = None
    for st in stage_chain(df, final):
        for ins in st.instructions:
            if ins.keyword == "RUN" and any(
                c.program == "uv" and c.argv[1:2] == ("sync",) for c in run_commands(ins)
            ):
                sync = ins
    if sync is None:
        return
    commands, start = effective_command(df, final)
    if start is None or _runs_a_script(commands):
        return  # a start script or make target may well run uv run / .venv/bin: we cannot tell
    env = end_state(df, final).env
    project_env = env.get("UV_PROJECT_ENVIRONMENT", "")
    if project_env.rstrip("/") in ("/usr/local", "/usr"):
        return
    path = env.get("PATH", "")
    bins = [".venv/bin"] + ([project_env.rstrip("/") + "/bin"] if project_env else [])
    if any(b in path for b in bins):
        return
    for cmd in commands:
        if (cmd.program == "uv" and cmd.argv[1:2] == ("run",)) or any(
            b in cmd.argv[0] for b in bins
        ):
            return
    yield finding(
        "DOCKER012",
        Severity.ERROR,
        "uv sync installs into .venv, but the start command runs neither uv run nor .venv/bin, "
        'so nothing installed is importable. Add ENV PATH="/app/.venv/bin:$PATH" (your project '
        "dir) or start with uv run.",
        start.line,
    )


def _runs_a_script(commands: list[ShellCommand]) -> bool:
    """Whether the start command hands over to a script or make target we do not follow."""
    for cmd in commands:
        args = [cmd.program, *cmd.argv[1:2]]
        if cmd.program in ("make", "just") or any(a.endswith((".sh", ".bash")) for a in args):
            return True
    return False


def check_pip_cache(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER013: pip runs with --no-cache-dir (or a cache mount); no lone pip self-upgrade step."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    for ins, state in walk_stage(df, df.final_stage):
        if ins.keyword != "RUN":
            continue
        commands = run_commands(ins, state.env)
        pips = [c for c in commands if is_pip_install(c)]
        if not pips:
            continue
        if len(commands) == 1 and _upgrades_only_pip(pips[0]):
            yield finding(
                "DOCKER013",
                Severity.INFO,
                "A RUN that only upgrades pip adds a layer and rarely matters; fold it into the "
                "install step: RUN pip install --no-cache-dir --upgrade pip && pip install "
                "--no-cache-dir -r requirements.txt.",
                ins.line,
            )
            continue
        cached = any("type=cache" in m for m in ins.flag_values("mount"))
        # pip treats any PIP_NO_CACHE_DIR value as "no cache" (even "off"): presence is enough.
        no_cache_env = "PIP_NO_CACHE_DIR" in state.env
        if (
            not cached
            and not no_cache_env
            and not all(p.has_option("--no-cache-dir") for p in pips)
        ):
            yield finding(
                "DOCKER013",
                Severity.INFO,
                "pip install keeps its download cache in the image, making it bigger and the "
                "push slower. Add --no-cache-dir: RUN pip install --no-cache-dir ….",
                ins.line,
            )


def _upgrades_only_pip(cmd: ShellCommand) -> bool:
    index = cmd.argv.index("install")
    names = [a for a in cmd.argv[index + 1 :] if not a.startswith("-")]
    return names == ["pip"] and cmd.has_option("--upgrade", "-U")


PYTHON_CHECKS = [check_home_and_path, check_pip_user_as_root, check_uv_install, check_pip_cache]
