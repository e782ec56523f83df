"""How a followed build reads as a result, for a deploy and a rollback alike (one wording)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Unpack

from tui.domain.deploy.events import DeployResult, Reason
from tui.domain.models import Stage

if TYPE_CHECKING:
    from tui.domain.deploy.follow import FollowOutcome


class ResultFields(TypedDict, total=False):
    """What a result says besides its outcome and message (all optional)."""

    ok: bool
    sha: str | None
    stage: Stage | None
    error_lines: tuple[str, ...]
    check_ids: tuple[str, ...]
    reasons: tuple[Reason, ...]


class MakeResult(Protocol):
    """The caller's result builder (it adds what it knows: forced, the rollback target)."""

    def __call__(
        self, outcome: str, message: str, **fields: Unpack[ResultFields]
    ) -> DeployResult: ...


def make_result(
    space_id: str,
    outcome: str,
    message: str,
    *,
    forced: bool = False,
    extra: Mapping[str, Any] | None = None,
    **fields: Unpack[ResultFields],
) -> DeployResult:
    """A `DeployResult` of `space_id` (the one builder of the deploy's and the rollback's)."""
    stage = fields.get("stage")
    return DeployResult(
        ok=fields.get("ok", False),
        outcome=outcome,
        message=message,
        space_id=space_id,
        stage=stage.value if stage else None,
        sha=fields.get("sha"),
        forced=forced,
        error_lines=fields.get("error_lines", ()),
        check_ids=fields.get("check_ids", ()),
        reasons=fields.get("reasons", ()),
        extra=dict(extra or {}),
    )


def followed_result(
    followed: FollowOutcome,
    sha: str | None,
    *,
    space_id: str,
    timeout: float,
    make: MakeResult,
    app_port: int = 7860,
    fired: frozenset[str] = frozenset(),
    running_note: str = "",
    failed_note: str = "",
) -> DeployResult:
    """RUNNING, a timeout (the Hub unavailable, or a build still going) or a failed build.

    `running_note` and `failed_note` follow the sha and the stage (", rolled back to 1a2b3c4",
    " after the rollback"); `fired` holds the ids the checks reported before the commit: only
    those may explain a failure.
    """
    stage = followed.stage
    if stage == Stage.RUNNING and not followed.timed_out:
        return make(
            "running",
            f"{space_id} is RUNNING at {short(sha)}{running_note}.",
            ok=True,
            sha=sha,
            stage=stage,
        )
    if followed.timed_out and followed.unavailable:
        return make(
            "timeout",
            f"Stopped following after {timeout:.0f} s: {followed.unavailable} "
            f"{on_the_space(sha, space_id)}",
            sha=sha,
            stage=stage,
        )
    if followed.timed_out:
        return make(
            "timeout",
            f"Gave up after {timeout:.0f} s: {space_id} is still "
            f"{stage.value if stage else 'unknown'}.",
            sha=sha,
            stage=stage,
        )
    from tui.domain.failures import explain_failure  # only a failed build needs it

    explanation = explain_failure(
        stage.value if stage else "UNKNOWN",
        followed.build_lines,
        followed.run_lines,
        followed.error_message,
        app_port=app_port,
    )
    return make(
        "build_failed",
        f"{space_id} ended in {stage.value if stage else 'UNKNOWN'}{failed_note}: "
        f"{explanation.summary}",
        sha=sha,
        stage=stage,
        error_lines=explanation.lines,
        # Only the ids the checks reported before this deploy: "likely explained by" a check
        # that did not fire would send the user looking for a finding that is not there.
        check_ids=tuple(i for i in explanation.check_ids if i in fired),
    )


def on_the_space(sha: str | None, space_id: str) -> str:
    """The sentence every failure after a commit ends with: what the Space now holds."""
    return f"Commit {short(sha)} is on {space_id}; its build goes on."


def short(sha: str | None) -> str:
    """A sha as people read it (7 characters), `?` when unknown."""
    return sha[:7] if sha else "?"
