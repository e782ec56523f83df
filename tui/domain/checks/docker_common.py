"""What every Docker check shares: when they apply, the parsed Dockerfile, and a walk of a stage.

The walk replays a stage instruction by instruction and tracks what the build would know at
that point (current USER, users created, ENV/ARG values, WORKDIR, active virtual environment),
so each check asks "what was true when this instruction ran" instead of re-deriving it.
A stage built `FROM` an earlier stage starts from that stage's end state, as in Docker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_shell import ShellCommand, argv_commands, split_commands
from tui.domain.checks.docker_uv import copies_uv, installs_uv, is_uv_image
from tui.domain.checks.findings import Finding, Severity
from tui.domain.dockerfile import (
    Dockerfile,
    Instruction,
    Stage,
    arg_pairs,
    env_pairs,
    parse_dockerfile,
    substitute,
)

DOCKERFILE = "Dockerfile"

#: Users every Debian/Ubuntu/Alpine base image has in /etc/passwd.
SYSTEM_USERS = frozenset(
    (
        "root daemon bin sys sync games man lp mail news uucp proxy www-data backup list irc "
        "nobody _apt nogroup"
    ).split()
)

_USER_ADD = frozenset({"useradd", "adduser"})


def applies(ctx: CheckContext) -> bool:
    """Docker checks run for `sdk: docker`, or with no sdk when a Dockerfile is uploaded."""
    return ctx.sdk == "docker" or (ctx.sdk is None and DOCKERFILE in ctx.files)


def load(ctx: CheckContext) -> Dockerfile | None:
    """The parsed Dockerfile of the upload set, or None when the checks do not apply."""
    if not applies(ctx) or DOCKERFILE not in ctx.files:
        return None
    text = ctx.read_text(DOCKERFILE)
    if text is None:
        return None
    return parse_dockerfile(text)


def finding(check_id: str, severity: Severity, message: str, line: int | None) -> Finding:
    """A finding about the Dockerfile."""
    return Finding(check_id, severity, message, DOCKERFILE, line)


def image_name_and_tag(image: str) -> tuple[str, str | None]:
    """`docker.io/library/python:3.12-slim@sha256:…` -> (`python`, `3.12-slim`)."""
    image = image.split("@", 1)[0]
    name, tag = image, None
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = image.rsplit(":", 1)
    for prefix in ("docker.io/library/", "docker.io/", "library/", "index.docker.io/library/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name.lower(), tag


def base_uid1000_user(image: str) -> str | None:
    """The user that already has uid 1000 in a well-known base image, if any."""
    name, tag = image_name_and_tag(image)
    tag = (tag or "latest").lower()
    if name == "node" or name.endswith("/node"):
        return "node"
    if name == "ubuntu":
        if tag in ("latest", "rolling", "devel", "noble", "oracular", "plucky", "questing"):
            return "ubuntu"
        match = re.match(r"(\d+)\.(\d+)", tag)
        if match and (int(match.group(1)), int(match.group(2))) >= (23, 4):
            return "ubuntu"
    if name.endswith("cuda") and "ubuntu24" in tag:
        return "ubuntu"
    return None


@dataclass(frozen=True)
class BuildState:
    """What is true just before an instruction runs."""

    user: str = "root"
    users: frozenset[str] = frozenset()
    uid1000_user: str | None = None
    base_user: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    workdir_line: int | None = None
    workdir_owner: str = "root"
    venv: bool = False
    base_image: str = ""
    copy_dests: tuple[str, ...] = ()
    has_uv: bool = False

    @property
    def is_root(self) -> bool:
        """Whether commands run as root at this point."""
        return is_root_user(self.user)


def is_root_user(user: str) -> bool:
    """`root`, `0` and `root:root`/`0:0` are root; every other name or uid is not."""
    return user.split(":", 1)[0].strip() in ("root", "0", "")


def run_commands(ins: Instruction, env: dict[str, str] | None = None) -> list[ShellCommand]:
    """The simple commands of a RUN/CMD/ENTRYPOINT (heredoc bodies included)."""
    if ins.exec_form is not None:
        commands = argv_commands(ins.exec_form)
    else:
        text = " ".join(ins.words)
        commands = split_commands(text)
        for heredoc in ins.heredocs:
            if ins.keyword == "RUN":
                commands.extend(split_commands(heredoc.content))
    if env:
        commands = [
            ShellCommand(tuple(substitute(a, env) for a in c.argv), c.env) for c in commands
        ]
    return commands


def _created_users(commands: list[ShellCommand]) -> tuple[set[str], bool, str | None]:
    """Users created by useradd/adduser/usermod -l, whether one got uid 1000, and its name."""
    names: set[str] = set()
    uid1000 = False
    uid1000_name = None
    for cmd in commands:
        if cmd.program in _USER_ADD or (
            cmd.program == "usermod" and cmd.has_option("-l", "--login")
        ):
            name = _positional_user(cmd)
            if cmd.program == "usermod":
                name = cmd.option_value("-l", "--login")
            if name:
                names.add(name)
            if cmd.option_value("-u", "--uid") == "1000":
                uid1000, uid1000_name = True, name
    return names, uid1000, uid1000_name


def _positional_user(cmd: ShellCommand) -> str | None:
    """The login name of `useradd [options] NAME` / `adduser [options] NAME [GROUP]`."""
    with_value = set(
        (
            "-u --uid -g --gid -G --groups -d --home --home-dir -s --shell -c --comment "
            "--gecos -K -k --skel -e -f -p --password --ingroup -h --firstuid --lastuid"
        ).split()
    )
    args = cmd.argv[1:]
    positional = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in with_value:
            i += 2
            continue
        if not arg.startswith("-"):
            positional.append(arg)
        i += 1
    return positional[0] if positional else None


def walk_stage(df: Dockerfile, stage: Stage) -> Iterator[tuple[Instruction, BuildState]]:
    """Each instruction of `stage` after its FROM, with the state just before it runs."""
    state = start_state(df, stage)
    for ins in stage.instructions[1:]:
        yield ins, state
        state = advance(state, ins)


def end_state(df: Dockerfile, stage: Stage) -> BuildState:
    """The state after the last instruction of `stage`."""
    ends = _end_states(df)
    known = ends.get(stage.index)
    if known is not None:
        return known
    # A loop over the chain, not recursion through parents: `FROM s1 AS s2`, `FROM s2 AS s3`…
    # thousands deep overflowed the stack and every Docker check crashed on it.
    state: BuildState | None = None
    for link in stage_chain(df, stage):
        known = ends.get(link.index)
        if known is None:
            known = state if state is not None else _fresh_state(df, link)
            for ins in link.instructions[1:]:
                known = advance(known, ins)
            ends[link.index] = known
        state = known
    assert state is not None  # the chain always holds `stage` itself
    return state


#: End states per parsed Dockerfile (parses are cached, so the same object comes back): each
#: check walks every stage, and recomputing each parent chain made many stages quadratic.
_END_STATES: dict[int, tuple[Dockerfile, dict[int, BuildState]]] = {}


def _end_states(df: Dockerfile) -> dict[int, BuildState]:
    entry = _END_STATES.get(id(df))
    if entry is None or entry[0] is not df:
        if len(_END_STATES) >= 8:
            _END_STATES.clear()
        entry = _END_STATES[id(df)] = (df, {})
    return entry[1]


def start_state(df: Dockerfile, stage: Stage) -> BuildState:
    """The state a stage starts from: its parent stage's end, or a fresh base image."""
    parent = df.stage_named(df.resolved_base(stage))
    if parent is not None and parent.index < stage.index:
        return end_state(df, parent)
    return _fresh_state(df, stage)


def _fresh_state(df: Dockerfile, stage: Stage) -> BuildState:
    """A stage built on an image, not on an earlier stage."""
    base = df.resolved_base(stage)
    user = base_uid1000_user(base)
    return BuildState(
        users=frozenset({user}) if user else frozenset(),
        uid1000_user=user,
        base_user=user,
        env={},
        base_image=base,
        has_uv=is_uv_image(base),
    )


def advance(state: BuildState, ins: Instruction) -> BuildState:
    """The state after `ins` ran."""
    kw = ins.keyword
    if kw == "USER" and ins.words:
        return replace(state, user=substitute(ins.words[0], state.env))
    if kw == "ENV":
        env = dict(state.env)
        for key, value in env_pairs(ins).items():
            env[key] = substitute(value, state.env)
        venv = state.venv or "VIRTUAL_ENV" in env
        return replace(state, env=env, venv=venv)
    if kw == "ARG":
        env = dict(state.env)
        for key, value in arg_pairs(ins).items():
            env.setdefault(key, value)
        return replace(state, env=env)
    if kw == "WORKDIR" and ins.words:
        path = join_path(state.workdir, substitute(ins.words[0], state.env))
        # BuildKit creates a missing WORKDIR owned by the current USER.
        owner = state.workdir_owner if path == state.workdir else state.user
        return replace(state, workdir=path, workdir_line=ins.line, workdir_owner=owner)
    if kw in ("COPY", "ADD") and ins.words:
        dest = join_path(state.workdir, substitute(ins.words[-1], state.env))
        return replace(
            state,
            copy_dests=(*state.copy_dests, dest),
            has_uv=state.has_uv or copies_uv(ins),
        )
    if kw == "RUN":
        commands = run_commands(ins, state.env)
        names, uid1000, uid_name = _created_users(commands)
        venv = state.venv or any(
            (c.program == "uv" and c.argv[1:2] == ("venv",))
            or (c.program.startswith("python") and "venv" in c.argv[1:3] and "-m" in c.argv[1:3])
            or c.program in ("virtualenv", "conda")
            for c in commands
        )
        owner = state.workdir_owner
        for c in commands:
            if c.program == "chown" and any(
                join_path(state.workdir, a) == state.workdir
                for a in c.argv[1:]
                if not a.startswith("-")
            ):
                owner = next((a for a in c.argv[1:] if not a.startswith("-")), owner)
        return replace(
            state,
            users=state.users | names,
            uid1000_user=uid_name if uid1000 else state.uid1000_user,
            venv=venv,
            workdir_owner=owner,
            has_uv=state.has_uv or any(installs_uv(c) for c in commands),
        )
    return state


def join_path(base: str, path: str) -> str:
    """Resolve `path` against the directory `base` like WORKDIR/COPY destinations do."""
    if not path.startswith("/"):
        path = base.rstrip("/") + "/" + path
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


def effective_command(
    df: Dockerfile, stage: Stage
) -> tuple[list[ShellCommand], Instruction | None]:
    """The commands the container runs (ENTRYPOINT + CMD of the final stage chain) and the line."""
    chain = stage_chain(df, stage)
    entry: Instruction | None = None
    cmd: Instruction | None = None
    for st in chain:
        for ins in st.instructions[1:]:
            if ins.keyword == "ENTRYPOINT":
                entry, cmd = ins, None  # a new ENTRYPOINT resets an inherited CMD
            elif ins.keyword == "CMD":
                cmd = ins
    env = end_state(df, stage).env
    if entry is not None and entry.exec_form is not None and cmd is not None:
        if cmd.exec_form is not None:
            return argv_commands(entry.exec_form + cmd.exec_form), cmd
        return run_commands(entry, env), entry
    picked = entry or cmd
    if picked is None:
        return [], None
    return run_commands(picked, env), picked


def stage_chain(df: Dockerfile, stage: Stage) -> list[Stage]:
    """The stages `stage` is built on (earliest first), ending with `stage` itself."""
    chain = [stage]
    seen = {stage.index}
    current = stage
    while True:
        parent = df.stage_named(df.resolved_base(current))
        if parent is None or parent.index in seen or parent.index > current.index:
            break
        chain.insert(0, parent)
        seen.add(parent.index)
        current = parent
    return chain


def is_stage_reference(df: Dockerfile, stage: Stage) -> bool:
    """Whether `FROM x` names an earlier stage rather than an image."""
    parent = df.stage_named(df.resolved_base(stage))
    return parent is not None and parent.index < stage.index
