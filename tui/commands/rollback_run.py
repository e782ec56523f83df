"""The body of `spacetui rollback`: plan, show what changes, confirm, commit, follow, record."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import TextIO

from tui.commands.ci_output import CI_NEEDS_YES, ci_requested, end_of_run
from tui.commands.deploy_output import EXIT_CODES, choose_renderer, is_tty
from tui.commands.history_render import safe_text
from tui.domain.deploy.events import DeployResult
from tui.domain.errors import SpacetuiError, UsageError
from tui.domain.rollback import Rollback, RollbackPlan


def rollback_main(
    args: argparse.Namespace,
    *,
    stdout: TextIO,
    stderr: TextIO,
    stdin: TextIO,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run one rollback from parsed arguments; never raises for user-facing failures."""
    from tui.domain.auth import resolve_target
    from tui.domain.http import error_from_exception
    from tui.domain.hub.client import HubClient
    from tui.domain.rollback import plan_rollback

    started = clock()
    ci = ci_requested(args.ci)
    try:
        if ci and not args.yes:
            raise UsageError(CI_NEEDS_YES)
        if args.json and not args.yes:
            raise UsageError("--json output cannot ask for confirmation: pass --yes as well.")
        if not args.yes and not is_tty(stdin):
            raise UsageError("Not a terminal, so the rollback cannot be confirmed: pass --yes.")
        target = resolve_target(args.sub_endpoint or getattr(args, "endpoint", None))
        if not target.token:
            raise UsageError("No Hub token: run `hf auth login` or set HF_TOKEN.")
        # --probe-path, else the Space's `probe_path` in spacetui.yaml (as deploy reads it), else /.
        path = args.probe_path or _configured_probe_path(args) or "/"
        hub = HubClient(target)  # the command's one connection to the Hub
        plan = plan_rollback(hub.hf_api(), args.space, args.to)
    except UsageError as exc:
        stderr.write(f"spacetui rollback: {exc.message}\n")
        return 2
    except SpacetuiError as exc:
        stderr.write(f"spacetui rollback: {exc.message}\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - a Hub failure is one sentence, never a traceback
        stderr.write(
            f"spacetui rollback: {error_from_exception(exc, space_id=args.space).message}\n"
        )
        return 1

    progress = stderr if (ci and args.json) else stdout
    if not (args.json and not ci):
        for line in plan_lines(plan):
            progress.write(line + "\n")
    if not args.yes:
        progress.write("Proceed? [y/N] ")
        progress.flush()
        if stdin.readline().strip().lower() not in ("y", "yes"):
            stderr.write("spacetui rollback: not confirmed: nothing was changed.\n")
            return 130
    # A rollback deletes what the target did not have: its review lists deletions as done.
    emit = choose_renderer(
        ci=ci, json=args.json, stdout=stdout, stderr=stderr, delete=True, clock=clock
    )
    runner = Rollback(
        hub,
        plan,
        emit=emit,
        follow=not args.no_follow,
        probe=not args.no_probe,
        probe_path=path,
        timeout=args.timeout,
        clock=clock,
    )

    async def roll_back() -> DeployResult:
        try:
            return await runner.run()
        finally:
            await hub.aclose()

    try:
        result: DeployResult = asyncio.run(roll_back())
    except KeyboardInterrupt:
        if runner.committed_sha:
            stderr.write(
                f"spacetui rollback: stopped following: rollback commit "
                f"{runner.committed_sha[:7]} is on the Space and its build goes on.\n"
            )
        else:
            # The commit is one request: stopped before its answer, it may or may not have landed.
            stderr.write(
                "spacetui rollback: cancelled; if the commit request had already left, "
                "`spacetui history` shows it.\n"
            )
        return 130
    end_of_run(
        result,
        command="rollback",
        ci=ci,
        json_summary=args.json,
        stdout=stdout,
        seconds=clock() - started,
    )
    return EXIT_CODES.get(result.outcome, 1)


def plan_lines(plan: RollbackPlan) -> list[str]:
    """What the rollback commit will change, named before anything is sent."""
    changes = plan.changes
    lines = [
        f"Roll back {plan.space_id} from {plan.head_sha[:7]} to {plan.target_sha[:7]} "
        f"({safe_text(plan.target_title)})"
        + (" — the newest earlier revision recorded as RUNNING" if plan.chosen_by_record else "")
    ]
    if not changes.count:
        lines.append("  the head already has that tree: nothing to change")
        return lines
    lines.extend(f"  + {safe_text(p)}" for p in changes.added)
    lines.extend(f"  ~ {safe_text(p)}" for p in changes.modified)
    lines.extend(f"  - {safe_text(p)}" for p in changes.deleted)
    lines.append(
        f"  {len(changes.added)} restored, {len(changes.modified)} changed back, "
        f"{len(changes.deleted)} deleted, in one commit: {plan.message!r}"
    )
    return lines


def _configured_probe_path(args: argparse.Namespace) -> str | None:
    """The Space's `probe_path` in spacetui.yaml; a broken file is a usage error, as for deploy."""
    from tui.domain.config import load_config
    from tui.domain.paths import resolve_config_path

    entry = load_config(resolve_config_path(getattr(args, "config", None))).space(args.space)
    return entry.probe_path if entry else None
