"""DOCKER004-008 and DOCKER010: the uid 1000 user Spaces run as, and who owns the app's files."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import (
    SYSTEM_USERS,
    end_state,
    finding,
    is_root_user,
    join_path,
    load,
    run_commands,
    stage_chain,
    walk_stage,
)
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import substitute

_USER_FIX = (
    "RUN useradd -m -u 1000 user, then USER user, ENV HOME=/home/user "
    "PATH=/home/user/.local/bin:$PATH and WORKDIR $HOME/app"
)


def _guarded(run_text: str) -> bool:
    """`id -u 1000 || useradd …` or `useradd … || true`: a collision cannot fail the build."""
    return bool(re.search(r"\bid\b[^|;]*\|\|[^;]*\buseradd|\buseradd[^;&|]*\|\|", run_text))


def _user_name(spec: str) -> str:
    return spec.split(":", 1)[0].strip()


def check_uid_1000_user(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER004: a uid 1000 user exists, and useradd does not collide with a base image's one."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    for stage in df.stages:
        removed: set[str] = set()
        for ins, state in walk_stage(df, stage):
            if ins.keyword != "RUN":
                continue
            for cmd in run_commands(ins, state.env):
                if cmd.program in ("userdel", "deluser") or (
                    cmd.program == "usermod" and cmd.has_option("-u", "--uid", "-l", "--login")
                ):
                    removed.update(a for a in cmd.argv[1:] if not a.startswith("-"))
                taken_by = state.uid1000_user
                if (
                    cmd.program in ("useradd", "adduser")
                    and cmd.option_value("-u", "--uid") == "1000"
                    and not _guarded(ins.args)
                    and taken_by
                    and taken_by not in removed
                    and taken_by not in cmd.argv
                ):
                    yield finding(
                        "DOCKER004",
                        Severity.ERROR,
                        f"The base image {state.base_image} already has the user {taken_by} with "
                        f'uid 1000, so this useradd fails with "UID 1000 is not unique". Use '
                        f"USER {taken_by} (and HOME=/home/{taken_by}) instead, or run "
                        f"userdel -r {taken_by} before creating your user.",
                        ins.line,
                    )
    final = df.final_stage
    chain = stage_chain(df, final)
    state = end_state(df, final)
    numeric_1000 = any(
        ins.keyword == "USER" and ins.words and _user_name(ins.words[0]) == "1000"
        for st in chain
        for ins in st.instructions
    )
    if state.uid1000_user is None and not numeric_1000:
        # Info: a read-only app runs fine as uid 1000 from root-owned files. Where the app does
        # write at start, check_app_writes (DOCKER010) reports that as the error, once.
        users = [i for st in chain for i in st.instructions if i.keyword == "USER"]
        line = users[-1].line if users else final.line
        yield finding(
            "DOCKER004",
            Severity.INFO,
            "No user with uid 1000 is created; Spaces run the container as uid 1000 anyway, "
            "with HOME=/ and no write access to root-owned folders. Fine for an app that writes "
            f"nothing; otherwise add {_USER_FIX}.",
            line,
        )


def check_last_user_non_root(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER005: the final stage ends with a non-root USER."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    final = df.final_stage
    users = [i for st in stage_chain(df, final) for i in st.instructions if i.keyword == "USER"]
    if not users:
        yield finding(
            "DOCKER005",
            Severity.INFO,
            "The final stage has no USER, so everything it creates belongs to root and is "
            "read-only for uid 1000 at run time. After installing system packages add "
            "USER user (created with useradd -m -u 1000 user).",
            final.line,
        )
    elif is_root_user(end_state(df, final).user):
        yield finding(
            "DOCKER005",
            Severity.WARNING,
            f"The last USER is {users[-1].words[0] if users[-1].words else 'root'}: files created "
            "after it are root-owned and read-only for uid 1000 at run time. End the Dockerfile "
            "with USER user (uid 1000).",
            users[-1].line,
        )


def check_user_names_exist(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER006: USER and --chown name users that exist (created earlier or in the base)."""
    df = load(ctx)
    if df is None:
        return
    for stage in df.stages:
        for ins, state in walk_stage(df, stage):
            specs: list[str] = []
            if ins.keyword == "USER" and ins.words:
                specs.append(ins.words[0])
            if ins.keyword in ("COPY", "ADD") and "chown" in ins.flags:
                specs.append(ins.flags["chown"])
            for spec in specs:
                name = _user_name(substitute(spec, state.env))
                if not name or name.isdigit() or "$" in name:
                    continue
                if name in state.users or name in SYSTEM_USERS:
                    continue
                what = "USER" if ins.keyword == "USER" else f"{ins.keyword} --chown"
                yield finding(
                    "DOCKER006",
                    Severity.ERROR,
                    f"{what} {name}: no earlier RUN useradd/adduser creates {name}, so the build "
                    f'fails with "unable to find user {name}". Add RUN useradd -m -u 1000 {name} '
                    "before it, or use the numeric uid 1000.",
                    ins.line,
                )


def check_copy_chown(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER007: COPY/ADD into the image once a non-root user exists carry --chown."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    for ins, state in walk_stage(df, df.final_stage):
        if ins.keyword not in ("COPY", "ADD") or "chown" in ins.flags or "from" in ins.flags:
            continue
        created = state.users - {state.base_user}
        if state.is_root and not created:
            continue
        owner = state.user if not state.is_root else sorted(created)[0]
        owner = _user_name(owner)
        yield finding(
            "DOCKER007",
            Severity.INFO,
            f"{ins.keyword} without --chown writes root-owned files, so the app (uid 1000) cannot "
            f"write next to them (SQLite, uploads, caches). Write {ins.keyword} --chown={owner} "
            f"{ins.args}.",
            ins.line,
        )


def check_recursive_chown(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER008: no RUN chown -R / chmod -R over what a COPY just put in the image."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    for ins, state in walk_stage(df, df.final_stage):
        if ins.keyword != "RUN":
            continue
        for cmd in run_commands(ins, state.env):
            if cmd.program not in ("chown", "chmod"):
                continue
            opts = [a for a in cmd.argv[1:] if a.startswith("-")]
            if not any(o == "--recursive" or (not o.startswith("--") and "R" in o) for o in opts):
                continue
            targets = [a for a in cmd.argv[1:] if not a.startswith("-")][1:]
            hit = [
                t
                for t in targets
                if any(_overlaps(join_path(state.workdir, t), dest) for dest in state.copy_dests)
            ]
            if hit:
                fix = (
                    "COPY --chown=user …"
                    if cmd.program == "chown"
                    else "COPY --chmod=… (or chmod only the files that need it)"
                )
                yield finding(
                    "DOCKER008",
                    Severity.INFO,
                    f"{cmd.program} -R {' '.join(hit)} re-writes every copied file into a new "
                    f"layer, doubling its size in the image. Set ownership while copying: {fix}.",
                    ins.line,
                )


def _overlaps(a: str, b: str) -> bool:
    a, b = a.rstrip("/") or "/", b.rstrip("/") or "/"
    return a == b or b.startswith(a.rstrip("/") + "/") or a.startswith(b.rstrip("/") + "/")


def check_workdir_owner(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER010: the app's working directory belongs to the runtime user."""
    df = load(ctx)
    if df is None or df.final_stage is None:
        return
    state = end_state(df, df.final_stage)
    if state.is_root:
        return
    user = _user_name(state.user)
    home = f"/home/{user}"
    if state.workdir == home:
        return  # `useradd -m` made it, owned by the user
    if not is_root_user(state.workdir_owner):
        return
    where = f"WORKDIR {state.workdir}" if state.workdir_line else "The working directory /"
    yield finding(
        "DOCKER010",
        Severity.INFO,
        f"{where} is owned by root, so the app running as {user} cannot create files in it "
        "(databases, uploads, caches), even when the files were copied with --chown. Use "
        f"WORKDIR $HOME/app after USER {user}, or RUN mkdir -p {state.workdir} && chown "
        f"{user} {state.workdir} before switching user.",
        state.workdir_line or df.final_stage.line,
    )


USER_CHECKS = [
    check_uid_1000_user,
    check_last_user_non_root,
    check_user_names_exist,
    check_copy_chown,
    check_recursive_chown,
    check_workdir_owner,
]
