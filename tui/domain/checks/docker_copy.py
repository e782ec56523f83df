"""DOCKER021 and DOCKER025: COPY/ADD sources exist in the upload; scripts run directly are executable."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import (
    effective_command,
    end_state,
    finding,
    load,
    run_commands,
    walk_stage,
)
from tui.domain.checks.docker_port import local_file, unwrap_runner
from tui.domain.checks.docker_shell import ShellCommand
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import Instruction, substitute

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")
_SYSTEM_DIRS = ("/usr/", "/bin/", "/sbin/", "/opt/conda/", "/opt/venv/", "/root/.local/")
_EXEC_MODE = re.compile(
    r"^(?:[ugoa]*\+[rwX]*x[rwxX]*|[0-7]?[1357][0-7]{2}|[0-7]?[0-7][1357][0-7]|[0-7]?[0-7]{2}[1357])$"
)


def copy_sources(ins: Instruction, env: Mapping[str, str]) -> list[str]:
    """Local sources of a COPY/ADD from the build context (no URLs, no --from, no heredocs)."""
    if ins.keyword not in ("COPY", "ADD") or "from" in ins.flags:
        return []
    words = list(ins.exec_form) if ins.exec_form is not None else list(ins.words)
    out = []
    for word in words[:-1]:
        if word.startswith("<<") or _REMOTE.match(word):
            continue
        value = substitute(word, env)
        if "$" not in value:
            out.append(value)
    return out


def _normal(source: str) -> str:
    cleaned = posixpath.normpath(source.replace("\\", "/"))
    return "" if cleaned in (".", "/") else cleaned.lstrip("/")


def matches_source(source: str, path: str) -> bool:
    """Whether the uploaded file `path` is (under) the COPY source `source`, globs included."""
    src = _normal(source)
    if src == "":
        return True
    if not _GLOB.search(src):
        return path == src or path.startswith(src + "/")
    pattern = src.split("/")
    parts = path.split("/")
    if len(parts) < len(pattern):
        return False
    return all(fnmatchcase(p, q) for p, q in zip(parts, pattern, strict=False))


def check_copy_sources(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER021: every COPY/ADD source is in the final upload set."""
    df = load(ctx)
    if df is None:
        return
    for stage in df.stages:
        for ins, state in walk_stage(df, stage):
            sources = copy_sources(ins, state.env)
            # BuildKit accepts a wildcard that matches nothing when another source of the same
            # COPY matches (`COPY package.json yarn.lock* ./`): only a COPY with nothing at all
            # to copy fails on a wildcard.
            some_glob_matches = any(any(matches_source(s, p) for p in ctx.files) for s in sources)
            for source in sources:
                src = _normal(source)
                if _GLOB.search(src) and some_glob_matches:
                    continue
                if src.startswith(".."):
                    yield finding(
                        "DOCKER021",
                        Severity.ERROR,
                        f"{ins.keyword} {source} points outside the Space folder, which is not "
                        "part of the build context. Move the file into the Space and copy it "
                        "from there.",
                        ins.line,
                    )
                    continue
                if any(matches_source(source, p) for p in ctx.files):
                    continue
                excluded = sorted(p for p in ctx.excluded if matches_source(source, p))
                if excluded:
                    why = f"{excluded[0]} is left out of the upload ({ctx.excluded[excluded[0]]})"
                    fix = "Stop excluding it, or remove this line."
                else:
                    why = f"there is no {src or source} in the Space folder"
                    fix = "Add the file, or fix the path (sources are relative to the Space root)."
                yield finding(
                    "DOCKER021",
                    Severity.ERROR,
                    f'{ins.keyword} {source}: {why}, so the build fails with "failed to compute '
                    f'cache key: … not found". {fix}',
                    ins.line,
                )


def app_files(ctx: CheckContext) -> list[tuple[str, int]]:
    """Uploaded files the start command runs (`python app.py`, `uvicorn main:app`, `./start.sh`)."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return []
    commands, ins = effective_command(df, df.final_stage)
    if ins is None:
        return []
    workdir = end_state(df, df.final_stage).workdir
    found: list[tuple[str, int]] = []
    for cmd in commands:
        for name in _run_targets(unwrap_runner(cmd)):
            path = local_file(ctx, name, workdir)
            if path and (path, ins.line) not in found:
                found.append((path, ins.line))
    return found


def _run_targets(cmd: ShellCommand) -> list[str]:
    argv = cmd.argv
    if not argv:
        return []
    prog = cmd.program
    if prog.startswith("python") and len(argv) > 1 and argv[1].endswith(".py"):
        return [argv[1]]
    if prog == "streamlit" and argv[1:2] == ("run",) and len(argv) > 2:
        return [argv[2]]
    if prog in ("uvicorn", "gunicorn"):
        modules = [a for a in argv[1:] if ":" in a and not a.startswith("-") and not a[0].isdigit()]
        return [m.split(":", 1)[0].replace(".", "/") + ".py" for m in modules[:1]]
    if prog in ("bash", "sh") and len(argv) > 1 and not argv[1].startswith("-"):
        return [argv[1]]
    if argv[0].startswith(("./", "/")) or argv[0].endswith(".sh"):
        return [argv[0]]
    return []


def _made_executable(ctx: CheckContext, script: str) -> bool:
    """Whether some RUN chmod or COPY --chmod gives `script` an executable bit."""
    df = load(ctx)
    assert df is not None
    base = script.rsplit("/", 1)[-1]
    for stage in df.stages:
        for ins, state in walk_stage(df, stage):
            if ins.keyword in ("COPY", "ADD") and _EXEC_MODE.match(ins.flags.get("chmod", "")):
                if any(
                    s.rsplit("/", 1)[-1] in (base, ".", "")
                    or _GLOB.search(s)
                    or matches_source(s, script)
                    for s in copy_sources(ins, state.env)
                ):
                    return True
            if ins.keyword != "RUN":
                continue
            for cmd in run_commands(ins, state.env):
                if cmd.program != "chmod":
                    continue
                args = [a for a in cmd.argv[1:] if not a.startswith("-")]
                if not args or not _EXEC_MODE.match(args[0]):
                    continue
                recursive = any(
                    a.startswith("-") and ("R" in a or a == "--recursive") for a in cmd.argv[1:]
                )
                for target in args[1:]:
                    name = target.rsplit("/", 1)[-1]
                    if (
                        name == base
                        or (_GLOB.search(name) and fnmatchcase(base, name))
                        or recursive
                    ):
                        return True
    return False


def check_script_exec_bit(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER025: scripts run directly (`./start.sh`) are chmod +x'd or run through `bash`."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    direct: list[tuple[str, str, int]] = []
    commands, ins = effective_command(df, df.final_stage)
    workdir = end_state(df, df.final_stage).workdir
    if ins is not None:
        direct.extend((c.argv[0], workdir, ins.line) for c in commands if c.argv)
    for stage in df.stages:
        for run, state in walk_stage(df, stage):
            if run.keyword == "RUN":
                direct.extend(
                    (c.argv[0], state.workdir, run.line)
                    for c in run_commands(run, state.env)
                    if c.argv
                )
    seen: set[str] = set()
    for program, wd, line in direct:
        if not (program.startswith(("./", "/")) or ("/" in program and program.endswith(".sh"))):
            continue
        if (
            program.startswith(_SYSTEM_DIRS)
            or "/.venv/bin/" in program
            or "/.local/bin/" in program
        ):
            continue
        path = local_file(ctx, program, wd)
        if path is None or path.rsplit("/", 1)[-1] != program.rsplit("/", 1)[-1] or path in seen:
            continue
        seen.add(path)
        if _made_executable(ctx, path):
            continue
        yield finding(
            "DOCKER025",
            Severity.WARNING,
            f"{program} is run directly, but uploads through the Hub API do not keep the "
            'executable bit, so it fails with "permission denied". Add RUN chmod +x '
            f"{program} (or COPY --chmod=755), or run it as bash {program}.",
            line,
        )


COPY_CHECKS = [check_copy_sources, check_script_exec_bit]
