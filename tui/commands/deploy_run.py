"""The body of `spacetui deploy`: arguments to options, prompts, the run, the exit code."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from tui.commands.ci_output import CI_NEEDS_YES, ci_requested, end_of_run
from tui.commands.deploy_output import EXIT_CODES, choose_renderer, is_tty
from tui.domain.auth import resolve_target
from tui.domain.checks.findings import Finding
from tui.domain.config import Config, load_config
from tui.domain.deploy.engine import Confirm, Deployer
from tui.domain.deploy.events import DeployResult
from tui.domain.deploy.options import DeployOptions
from tui.domain.deploy.plan import UploadPlan
from tui.domain.deploy.secrets_file import read_secrets_file
from tui.domain.errors import SpacetuiError, UsageError
from tui.domain.hub import HubClient
from tui.domain.paths import resolve_config_path


def deploy_main(
    args: argparse.Namespace,
    *,
    stdout: TextIO,
    stderr: TextIO,
    stdin: TextIO,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run one deploy from parsed arguments; never raises for user-facing failures."""
    started = clock()
    ci = ci_requested(getattr(args, "ci", False))
    try:
        if ci and not args.yes:
            raise UsageError(CI_NEEDS_YES)
        options = _options(args, stdin=stdin)
        target = resolve_target(args.sub_endpoint or getattr(args, "endpoint", None))
        if not target.token:
            raise UsageError("No Hub token: run `hf auth login` or set HF_TOKEN.")
        if not args.yes and args.json:
            raise UsageError("--json output cannot ask for confirmation: pass --yes as well.")
        if not args.yes and not is_tty(stdin):
            raise UsageError("Not a terminal, so the review cannot be confirmed: pass --yes.")
    except UsageError as exc:
        stderr.write(f"spacetui deploy: {exc.message}\n")
        return 2
    render = choose_renderer(
        ci=ci, json=args.json, stdout=stdout, stderr=stderr, delete=args.delete, clock=clock
    )
    confirm = None if args.yes else _prompt_confirm(stdin, stdout)

    started_deploys: list[Deployer] = []  # kept so a hard stop can say what really happened

    async def deploy() -> DeployResult:
        async with HubClient(target) as hub:  # the command's one connection to the Hub
            # The next `spacetui deploy` of this folder asks the stamp this one leaves.
            deployer = Deployer(hub, options, emit=render, confirm=confirm, stamp=True)
            started_deploys.append(deployer)
            return await deployer.run()

    try:
        result = asyncio.run(deploy())
    except UsageError as exc:
        stderr.write(f"spacetui deploy: {exc.message}\n")
        return 2
    except SpacetuiError as exc:
        stderr.write(f"spacetui deploy: {exc.message}\n")
        return 1
    except KeyboardInterrupt:
        # A second Ctrl+C: past the point of no return the commit may be on the Space anyway.
        said = (
            started_deploys[0].hard_stop_sentence() if started_deploys else "Nothing was committed."
        )
        stderr.write(f"spacetui deploy: cancelled: {said}\n")
        return 130
    end_of_run(
        result,
        command="deploy",
        ci=ci,
        json_summary=args.json,
        stdout=stdout,
        seconds=clock() - started,
    )
    return EXIT_CODES.get(result.outcome, 1)


def _options(args: argparse.Namespace, *, stdin: TextIO) -> DeployOptions:
    folder = Path(args.path)
    if not folder.is_dir():
        raise UsageError(f"{args.path} is not a folder.")
    # Names listed for this Space in spacetui.yaml join the ones given on the command line.
    entry = _config(args).space(args.space)
    secret_names = list(dict.fromkeys([*args.secret, *(entry.secrets if entry else ())]))
    secrets_file = Path(args.secrets_from) if getattr(args, "secrets_from", None) else None
    file_values = read_secrets_file(secrets_file) if secrets_file else {}
    variable_specs = list(dict.fromkeys([*args.variable, *(entry.variables if entry else ())]))
    return DeployOptions(
        folder=folder,
        space_id=args.space,
        create=args.create,
        public=args.public,
        delete=args.delete,
        force=args.force,
        allow_secrets=frozenset(args.allow_secret),
        restart=args.restart,
        follow=not args.no_follow,
        timeout=args.timeout,
        hardware=args.hardware,
        secrets={name: _secret_value(name, stdin, file_values) for name in secret_names},
        variables=dict(_variable(spec) for spec in variable_specs),
        message=args.message,
        probe=not getattr(args, "no_probe", False),
        # --probe-path, else the Space's `probe_path` in spacetui.yaml, else /.
        probe_path=getattr(args, "probe_path", None) or (entry and entry.probe_path) or "/",
        diff=getattr(args, "diff", False),
        secrets_file=secrets_file,
        secrets_file_values=file_values,
    )


def _config(args: argparse.Namespace) -> Config:
    """spacetui.yaml (`--config`, $SPACETUI_CONFIG or the XDG default); a broken one is a usage error."""
    return load_config(resolve_config_path(getattr(args, "config", None)))


def _secret_value(name: str, stdin: TextIO, file_values: dict[str, str]) -> str:
    # Values come from the environment, the --secrets-from file or a hidden prompt, never from
    # files in the upload.
    value = os.environ.get(name) or file_values.get(name)
    if value:
        return value
    if not is_tty(stdin):
        raise UsageError(f"Secret {name} has no value: set ${name} in the environment.")
    return getpass.getpass(f"value for secret {name}: ")


def _variable(spec: str) -> tuple[str, str]:
    name, sep, value = spec.partition("=")
    if sep:
        return name, value
    if name in os.environ:
        return name, os.environ[name]
    raise UsageError(f"Variable {name} has no value: pass {name}=VALUE or set ${name}.")


def _prompt_confirm(stdin: TextIO, stdout: TextIO) -> Confirm:
    async def confirm(plan: UploadPlan, findings: Sequence[Finding]) -> bool:
        stdout.write("Proceed? [y/N] ")
        stdout.flush()
        answer = await asyncio.to_thread(stdin.readline)
        return answer.strip().lower() in ("y", "yes")

    return confirm
