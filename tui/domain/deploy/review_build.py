"""Build a plan's review extras: README call-outs, diffs, the secrets the code reads but lacks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from tui.domain.deploy.needed_env import missing_names, needed_names, secrets_to_set
from tui.domain.deploy.options import DeployOptions
from tui.domain.deploy.plan import UploadPlan
from tui.domain.deploy.plan_review import FileDiff, PlanReview
from tui.domain.deploy.remote import RemoteState
from tui.domain.deploy.review_diff import changed_file_diffs, front_matter_callouts, scratch_cache
from tui.domain.errors import SpacetuiError
from tui.domain.sanitize import for_terminal
from tui.domain.secret_shapes import variable_refusal
from tui.domain.upload_set import UploadSet, shown_name

if TYPE_CHECKING:
    from tui.domain.hub.client import HubClient

#: Runs a blocking huggingface_hub call off the event loop with typed errors (`Deployer._hub`).
HubCall = Callable[..., Awaitable[Any]]


async def build_review(
    hub: HubClient,
    options: DeployOptions,
    plan: UploadPlan,
    state: RemoteState,
    upload_set: UploadSet,
    *,
    call: HubCall,
    secrets_file_excluded: str | None = None,
) -> tuple[PlanReview, dict[str, str]]:
    """The review extras, and the secrets to set from the --secrets-from file (values kept
    out of the review). `secrets_file_excluded` is the file's repo path when it was left out."""
    needed, set_by_folder = await asyncio.to_thread(
        needed_names, ((f.path, f.local) for f in upload_set.files)
    )
    from_file = secrets_to_set(needed, options.secrets_file_values, already=options.secrets)
    notes = _file_notes(options, from_file, secrets_file_excluded)
    warnings: list[str] = []
    provided = {*options.secrets, *options.variables, *from_file}
    if state.exists:
        try:
            secrets = await hub.secrets(options.space_id)
            variables = await hub.variables(options.space_id)
        except SpacetuiError as exc:
            notes.append(f"The Space's secrets could not be read ({exc.message}); not compared.")
            secrets, variables = {}, {}
        provided |= {*secrets, *variables}
        for key, info in variables.items():
            if key not in options.variables and variable_refusal(key, info.value or ""):
                warnings.append(
                    f"the Space's public variable {for_terminal(key, 60, one_line=True)} holds a "
                    "token-shaped value: delete it and set it as a secret."
                )
    callouts: tuple[str, ...] = ()
    diffs: tuple[FileDiff, ...] = ()
    if state.exists and plan.changed:
        api = hub.hf_api()
        with scratch_cache() as cache:  # never the user's Hugging Face cache
            callouts = await call(front_matter_callouts, api, plan, cache=cache)
            if options.diff:
                diffs = await call(changed_file_diffs, api, plan, state.files, cache=cache)
    review = PlanReview(
        callouts=callouts,
        diffs=diffs,
        missing=missing_names(needed, provided=provided, set_by_folder=set_by_folder),
        warnings=tuple(warnings),
        notes=tuple(notes),
        secrets_from_file=tuple(sorted(from_file)),
        required=tuple(
            n.name for n in missing_names(needed, provided=(), set_by_folder=set_by_folder)
        ),
    )
    return review, from_file


def _file_notes(
    options: DeployOptions, from_file: dict[str, str], excluded: str | None
) -> list[str]:
    notes = []
    if excluded is not None:
        notes.append(f"{shown_name(excluded)} is the --secrets-from file: left out of the upload.")
    unread = sorted(set(options.secrets_file_values) - set(from_file) - set(options.secrets))
    if unread:  # names only: the values stay in the file
        notes.append(
            "not set from the --secrets-from file (the code does not read them): "
            f"{', '.join(for_terminal(n, 60, one_line=True) for n in unread)}."
        )
    return notes
