"""DOCKER010 (error) and DOCKER028: the app writes at start where uid 1000 cannot.

Spaces run the container as uid 1000 whatever the Dockerfile's USER says. A read-only app is
fine from root-owned files; an app that creates a folder, an SQLite file or a model cache at
import dies with PermissionError. So this check replays the final stage's ownership (WORKDIR
made under a USER, `mkdir`, `chown [-R]`, `chmod 777`, `COPY --chown`, `useradd -m` homes) and
asks, for each write the app's source does at start (see app_writes), whether uid 1000 may do
it there. It speaks only when the write and the owner are both certain.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.domain.checks.app_writes import Write, start_writes
from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import (
    effective_command,
    end_state,
    finding,
    is_root_user,
    join_path,
    load,
    run_commands,
    stage_chain,
    walk_stage,
)
from tui.domain.checks.docker_port import local_file, unwrap_runner
from tui.domain.checks.docker_shell import ShellCommand, split_commands
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import Dockerfile, Stage, substitute

_OPEN_MODES = re.compile(r"^(0?777|0?775|0?757|a\+w|o\+w|a\+rwx|ugo\+rwx|\+w)$")
_MODULE_APP = re.compile(r"^([A-Za-z_][\w.]*):[\w.()]+$")


@dataclass(frozen=True)
class _Grant:
    """After this point in the build, `path` (and below it when `tree`) is writable or not."""

    path: str
    writable: bool
    tree: bool
    itself: bool = True  # False: only what is below `path` (COPY into an existing folder)


@dataclass(frozen=True)
class ImageModel:
    """The final stage's filesystem as uid 1000 meets it: who may write where, WORKDIR, HOME,
    ENV, and which upload paths each COPY put where (`replay_image`)."""

    grants: tuple[_Grant, ...]
    existing: frozenset[str]
    workdir: str
    home: str
    env: dict[str, str]
    copies: tuple[tuple[tuple[str, ...], str], ...]  # (sources, container destination)


def _uid1000_names(df: Dockerfile, final: Stage) -> set[str]:
    """Names that are uid 1000 at run time: `useradd -u 1000 x`, a base image's user, or the
    first user `useradd`/`adduser` creates without a uid on a base that has none (Debian's
    UID_MIN is 1000, so that user gets 1000)."""
    state = end_state(df, final)
    if state.uid1000_user:
        return {"1000", state.uid1000_user}
    for stage in stage_chain(df, final):
        for ins, before in walk_stage(df, stage):
            if ins.keyword != "RUN":
                continue
            for cmd in run_commands(ins, before.env):
                if cmd.program not in ("useradd", "adduser"):
                    continue
                if cmd.has_option("-r", "--system", "-u", "--uid"):
                    continue
                names = [a for a in cmd.argv[1:] if not a.startswith("-")]
                if names:
                    return {"1000", names[-1] if cmd.program == "useradd" else names[0]}
    return {"1000"}


def _copied_dirs(sources: Sequence[str], dest: str, folders: set[str]) -> set[str]:
    """The folders a COPY creates under `dest` (from the uploaded folder's own folders)."""
    out: set[str] = set()
    for source in sources:
        src = "" if source in (".", "./") else source.strip("/")
        for folder in folders:
            if not src:
                out.add(join_path(dest, folder))
            elif folder == src or folder.startswith(src + "/"):
                out.add(join_path(dest, folder[len(src) :].lstrip("/")))
    return out


def replay_image(df: Dockerfile, final: Stage, files: Iterable[str] = ()) -> ImageModel:
    """Ownership as the final stage leaves it, seen from uid 1000."""
    folders: set[str] = set()
    for path in files:
        parent = posixpath.dirname(path)
        while parent and parent not in folders:
            folders.add(parent)
            parent = posixpath.dirname(parent)
    ours = _uid1000_names(df, final)
    grants: list[_Grant] = [_Grant("/tmp", True, True), _Grant("/dev/shm", True, True)]
    existing = {"/", "/tmp", "/home", "/root"}
    copies: list[tuple[tuple[str, ...], str]] = []
    state = end_state(df, final)
    for stage in stage_chain(df, final):
        for ins, before in walk_stage(df, stage):
            who = before.user.split(":", 1)[0]
            mine = who in ours
            if ins.keyword == "WORKDIR" and ins.words:
                path = join_path(before.workdir, substitute(ins.words[0], before.env))
                if path not in existing:
                    grants.append(_Grant(path, mine, False))
                    existing.add(path)
            elif ins.keyword in ("COPY", "ADD") and ins.words and "from" not in ins.flags:
                dest = join_path(before.workdir, substitute(ins.words[-1], before.env))
                owner = ins.flags.get("chown", "").split(":", 1)[0] or who
                # COPY --chown owns what it copies; a destination folder that already existed
                # (WORKDIR /app made as root) keeps its owner.
                grants.append(_Grant(dest, owner in ours, True, itself=dest not in existing))
                existing.add(dest)
                existing.update(_copied_dirs(ins.words[:-1], dest, folders))
                copies.append((tuple(ins.words[:-1]), dest))
            elif ins.keyword == "RUN":
                for cmd in run_commands(ins, before.env):
                    _run_grants(cmd, before.workdir, mine, ours, grants, existing)
    home = state.env.get("HOME") or (f"/home/{state.uid1000_user}" if state.uid1000_user else "/")
    return ImageModel(
        tuple(grants), frozenset(existing), state.workdir, home, state.env, tuple(copies)
    )


def _run_grants(
    cmd: ShellCommand,
    workdir: str,
    mine: bool,
    ours: set[str],
    grants: list[_Grant],
    existing: set[str],
) -> None:
    args = [a for a in cmd.argv[1:] if not a.startswith("-")]
    recursive = any(
        a == "--recursive" or (a.startswith("-") and not a.startswith("--") and "R" in a)
        for a in cmd.argv[1:]
    )
    if cmd.program == "mkdir":
        for arg in args:
            path = join_path(workdir, arg)
            grants.append(_Grant(path, mine, False))
            existing.add(path)
    elif cmd.program == "chown" and len(args) >= 2:
        owner = args[0].split(":", 1)[0].split(".", 1)[0]
        for arg in args[1:]:
            grants.append(_Grant(join_path(workdir, arg), owner in ours, recursive))
    elif cmd.program == "chmod" and len(args) >= 2 and _OPEN_MODES.match(args[0]):
        for arg in args[1:]:
            grants.append(_Grant(join_path(workdir, arg), True, recursive))
    elif cmd.program in ("useradd", "adduser") and (
        cmd.has_option("-m", "--create-home") or cmd.program == "adduser"
    ):
        name = next((a for a in reversed(args) if not a.isdigit()), None)
        if name and (cmd.option_value("-u", "--uid") == "1000" or name in ours):
            home = cmd.option_value("-d", "--home-dir", "--home") or f"/home/{name}"
            grants.append(_Grant(home, True, True))
            existing.add(home)


def _writable_dir(image: ImageModel, path: str) -> bool:
    """Whether uid 1000 can create entries in the directory `path`; a folder that does not
    exist in the image is decided by the nearest one that does."""
    if path != "/" and path not in image.existing:
        return _writable_dir(image, posixpath.dirname(path))
    verdict = False
    for grant in image.grants:
        if (grant.path == path and grant.itself) or (
            grant.tree and path.startswith(grant.path.rstrip("/") + "/")
        ):
            verdict = grant.writable
    return verdict


def _can_write(image: ImageModel, write: Write) -> tuple[bool, str]:
    """(allowed, container path) for one start-time write."""
    if write.kind == "hf-cache":
        env = image.env
        cache = (
            env.get("HF_HOME")
            or env.get("TRANSFORMERS_CACHE")
            or env.get("HUGGINGFACE_HUB_CACHE")
            or posixpath.join(
                env.get("XDG_CACHE_HOME") or posixpath.join(image.home, ".cache"), "huggingface"
            )
        )
        cache = join_path(image.workdir, cache)
        parent = cache
        while parent not in ("/",) and not _known(image, parent):
            parent = posixpath.dirname(parent)
        return _writable_dir(image, parent), cache
    path = join_path(image.workdir, write.target)
    directory = path if write.kind == "dir" else posixpath.dirname(path)
    if write.kind == "dir" and _known(image, path):
        return _writable_dir(image, path) or True, path  # already there: makedirs(exist_ok) passes
    return _writable_dir(image, directory), path


def _known(image: ImageModel, path: str) -> bool:
    return path in image.existing or any(g.path == path for g in image.grants)


def entry_files(ctx: CheckContext, df: Dockerfile, final: Stage, image: ImageModel) -> list[str]:
    """Upload-set paths of the Python files the start command runs."""
    commands, _ = effective_command(df, final)
    found: list[str] = []
    queue = list(commands)
    scripts = 0
    while queue:
        cmd = unwrap_runner(queue.pop(0))
        prog, argv = cmd.program, cmd.argv
        target = None
        if prog in ("uvicorn", "gunicorn", "hypercorn", "granian"):
            module = next((m.group(1) for a in argv[1:] if (m := _MODULE_APP.match(a))), None)
            target = module.replace(".", "/") + ".py" if module else None
        elif prog.startswith("python") and len(argv) > 1:
            target = argv[1] if argv[1].endswith(".py") else None
        elif prog in ("streamlit", "chainlit", "fastapi") and len(argv) > 2:
            target = argv[2] if argv[2].endswith(".py") else None
        elif scripts < 3 and (
            (prog in ("bash", "sh") and len(argv) > 1 and argv[1].endswith(".sh"))
            or argv[0].endswith(".sh")
        ):
            script = argv[1] if prog in ("bash", "sh") else argv[0]
            path = uploaded_at(image, script, ctx) or local_file(ctx, script, image.workdir)
            text = ctx.read_text(path) if path else None
            if text:
                scripts += 1
                queue.extend(split_commands(text))
        if target:
            path = uploaded_at(image, target, ctx)
            if path and path not in found:
                found.append(path)
    return found


def uploaded_at(image: ImageModel, target: str, ctx: CheckContext) -> str | None:
    """The uploaded file that lands at `target` (relative to WORKDIR) in the image."""
    container = join_path(image.workdir, target.strip("\"'"))
    for sources, dest in reversed(image.copies):
        for source in sources:
            source = source.strip("/") if source not in (".", "./") else ""
            if container == dest and source in ctx.files:
                return source
            if container.startswith(dest.rstrip("/") + "/"):
                rest = container[len(dest.rstrip("/")) + 1 :]
                if source in ctx.files:  # a single file copied into the folder dest
                    if posixpath.basename(source) == rest:
                        return source
                    continue
                candidate = posixpath.normpath(posixpath.join(source, rest)) if source else rest
                if candidate in ctx.files:
                    return candidate
    return None


def check_app_writes(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER010: the app's start-time writes land where uid 1000 may write."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    final = df.final_stage
    image = replay_image(df, final, ctx.files)
    for entry in entry_files(ctx, df, final, image):
        for write in start_writes(entry, ctx.files, ctx.read_text):
            allowed, where = _can_write(image, write)
            if allowed:
                continue
            what = {
                "dir": f"creates the folder {where}",
                "file": f"writes {where}",
                "sqlite": f"opens the SQLite database {where}",
                "hf-cache": f"downloads a model into {where}",
            }[write.kind]
            users = [
                i for st in stage_chain(df, final) for i in st.instructions if i.keyword == "USER"
            ]
            line = users[-1].line if users else final.line
            yield finding(
                "DOCKER010",
                Severity.ERROR,
                f"The app {what} when it starts ({write.file}:{write.line}), but that folder "
                "belongs to root and Spaces run the container as uid 1000: it stops with "
                "PermissionError. Fix: RUN useradd -m -u 1000 user, USER user, WORKDIR $HOME/app "
                "and COPY --chown=user (or set HF_HOME/paths under $HOME or /tmp).",
                line,
            )
            return  # one root cause, reported once


def check_browsers_as_root(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER028: Playwright browsers installed as root land in /root, unreadable at run time."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    final = df.final_stage
    for stage in stage_chain(df, final):
        for ins, state in walk_stage(df, stage):
            if ins.keyword != "RUN" or not is_root_user(state.user):
                continue
            if "PLAYWRIGHT_BROWSERS_PATH" in state.env or "playwright" in state.base_image:
                continue  # Microsoft's playwright images set PLAYWRIGHT_BROWSERS_PATH themselves
            for cmd in run_commands(ins, state.env):
                argv = unwrap_runner(cmd).argv
                if "PLAYWRIGHT_BROWSERS_PATH" in cmd.env:
                    continue
                if (
                    argv[:2] == ("playwright", "install")
                    or "playwright" in argv[:1]
                    and ("install" in argv[1:3])
                ):
                    yield finding(
                        "DOCKER028",
                        Severity.ERROR,
                        "playwright install runs as root, so the browsers go to "
                        "/root/.cache/ms-playwright, which uid 1000 (the user Spaces run as) "
                        "cannot read: launching a browser fails. Fix: ENV "
                        "PLAYWRIGHT_BROWSERS_PATH=/ms-playwright before it (readable by all), "
                        "or run it after USER user.",
                        ins.line,
                    )
                    return


WRITE_CHECKS = [check_app_writes, check_browsers_as_root]
