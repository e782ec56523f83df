"""What a deploy says when it is stopped hard (a second Ctrl+C) while its commit may be landing.

Before the commit body's last slice nothing can land: "Nothing was committed." After it the Hub
may apply the commit whatever the client does, so the answer is the truth as far as it can be
known: the commit's own sha if its answer arrives within a bounded wait, else the Space's head
as the Hub reports it, compared with the head the commit was built on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

#: Seconds a hard stop still waits for the commit's answer (the request is already on the wire).
ANSWER_WAIT = 10.0
#: Seconds for the one call that reads the Space's head when the answer did not come.
HEAD_TIMEOUT = 5.0

NOTHING = "Nothing was committed."


class _SpaceInfo(Protocol):
    sha: str | None


class _Api(Protocol):
    def space_info(self, repo_id: str, *, timeout: float | None = None) -> _SpaceInfo: ...


@dataclass
class CommitWatch:
    """Filled by the upload thread: the head the commit builds on, and its sha once it landed."""

    parent: str | None = None
    sha: str | None = None
    landed: threading.Event = field(default_factory=threading.Event)

    def land(self, sha: str) -> None:
        self.sha = sha
        self.landed.set()


def landed_on(sha: str, space_id: str) -> str:
    return f"Too late to cancel: commit {sha[:7]} is on {space_id}; its build goes on."


def after_hard_stop(
    api: _Api,
    space_id: str,
    watch: CommitWatch,
    *,
    committing: bool,
    answer_wait: float = ANSWER_WAIT,
) -> str:
    """The sentence for a deploy stopped at any point; blocks at most `answer_wait` + a head read."""
    if watch.sha:
        return landed_on(watch.sha, space_id)
    if not committing:
        return NOTHING
    try:
        answered = watch.landed.wait(answer_wait)
    except KeyboardInterrupt:  # a third Ctrl+C: stop waiting, still read the head
        answered = False
    if answered and watch.sha:
        return landed_on(watch.sha, space_id)
    try:
        head = api.space_info(space_id, timeout=HEAD_TIMEOUT).sha
    except (Exception, KeyboardInterrupt):  # noqa: BLE001 - any failure leaves it unknown
        return (
            f"The commit may have reached the Hub: check {space_id}'s head "
            f"(`spacetui status {space_id}`)."
        )
    if head and head != watch.parent:
        return f"Too late to cancel: the commit reached the Hub; {space_id} is now at {head[:7]}."
    return (
        f"The commit was sent but {space_id} was still at {(head or '?')[:7]} when checked; "
        f"it may still land (`spacetui status {space_id}`)."
    )
