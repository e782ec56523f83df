"""DOCKER014-015: apt-get runs non-interactively, on a fresh index, as root."""

from __future__ import annotations

from collections.abc import Iterable

from tui.domain.checks.context import CheckContext
from tui.domain.checks.docker_common import finding, load, run_commands, walk_stage
from tui.domain.checks.docker_shell import ShellCommand
from tui.domain.checks.findings import Finding, Severity

_APT = ("apt-get", "apt", "aptitude")


def _subcommand(cmd: ShellCommand) -> str | None:
    args = cmd.argv[1:]
    i = 0
    while i < len(args):
        if args[i] == "-o":  # `-o Key=Value` takes the next word
            i += 2
            continue
        if not args[i].startswith("-"):
            return args[i]
        i += 1
    return None


def is_apt(cmd: ShellCommand, sub: str) -> bool:
    """`apt-get <sub>` / `apt <sub>`, options allowed before the subcommand."""
    return cmd.program in _APT and _subcommand(cmd) == sub


def assumes_yes(cmd: ShellCommand) -> bool:
    """Whether an apt install answers its own "Do you want to continue? [Y/n]" prompt."""
    for arg in cmd.argv[1:]:
        if arg in ("--yes", "--assume-yes", "--force-yes", "-qq", "--quiet=2"):
            return True
        if (
            arg.startswith("-")
            and not arg.startswith("--")
            and ("y" in arg[1:] or arg.count("q") >= 2)
        ):
            return True
        if arg.lower().replace(" ", "") in ("apt::get::assume-yes=true", "apt::get::assume-yes=1"):
            return True
    return False


def check_apt_yes(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER014: every apt-get/apt install has -y."""
    df = load(ctx)
    if df is None:
        return
    for stage in df.stages:
        for ins, state in walk_stage(df, stage):
            if ins.keyword != "RUN":
                continue
            for cmd in run_commands(ins, state.env):
                if is_apt(cmd, "install") and not assumes_yes(cmd):
                    yield finding(
                        "DOCKER014",
                        Severity.ERROR,
                        f'{cmd.program} install without -y stops at "Do you want to continue? '
                        '[Y/n]" and the build aborts. Write RUN apt-get update && apt-get '
                        "install -y --no-install-recommends <packages> && rm -rf "
                        "/var/lib/apt/lists/*.",
                        ins.line,
                    )
                    break


def check_apt_hygiene(ctx: CheckContext) -> Iterable[Finding]:
    """DOCKER015: apt-get update in the same RUN, apt-get (not apt), as root, lists removed."""
    df = load(ctx)
    if df is None:
        return
    final = df.final_stage
    for stage in df.stages:
        updated = False  # an earlier RUN of this stage ran apt-get update
        for ins, state in walk_stage(df, stage):
            if ins.keyword != "RUN":
                continue
            commands = run_commands(ins, state.env)
            installs = [c for c in commands if is_apt(c, "install")]
            fresh = updated
            updated = updated or any(is_apt(c, "update") for c in commands)
            if not installs:
                continue
            if not state.is_root and not any(c.program in ("sudo", "fakeroot") for c in commands):
                yield finding(
                    "DOCKER015",
                    Severity.ERROR,
                    f"apt-get install runs as {state.user}, who cannot write to the system "
                    "(there is no sudo): permission denied. Install system packages before "
                    "USER, as root.",
                    ins.line,
                )
                continue
            if not any(is_apt(c, "update") for c in commands):
                # After an earlier RUN apt-get update a fresh build still has the index; only a
                # cached layer can make it stale, so that case is hygiene.
                yield finding(
                    "DOCKER015",
                    Severity.INFO if fresh else Severity.WARNING,
                    "apt-get install without apt-get update in the same RUN uses a stale (or "
                    'empty) package index: "Unable to locate package". Write RUN apt-get '
                    "update && apt-get install -y ….",
                    ins.line,
                )
            if any(c.program == "apt" for c in installs):
                yield finding(
                    "DOCKER015",
                    Severity.INFO,
                    "apt has no stable command-line interface for scripts; use apt-get install "
                    "-y in a Dockerfile.",
                    ins.line,
                )
            if stage is not final:
                continue
            if not any(
                c.program == "rm" and any("/var/lib/apt/lists" in a for a in c.argv)
                for c in commands
            ):
                yield finding(
                    "DOCKER015",
                    Severity.INFO,
                    "The apt package lists stay in the image; end the RUN with && rm -rf "
                    "/var/lib/apt/lists/* to keep it small.",
                    ins.line,
                )
            if not all(c.has_option("--no-install-recommends") for c in installs):
                yield finding(
                    "DOCKER015",
                    Severity.INFO,
                    "apt-get install also pulls recommended packages; add "
                    "--no-install-recommends for a smaller, faster build.",
                    ins.line,
                )


APT_CHECKS = [check_apt_yes, check_apt_hygiene]
