"""Inside a Space: serve only when the Space is private, asked of the Hub with the Space's token.

A public Space would hand the dashboard (and the token behind it) to anyone on the internet;
the access secret is a second lock, not a reason to open the first.
"""

from __future__ import annotations

from tui.domain.errors import UsageError


def require_private_space(space_id: str, endpoint: str, token: str | None) -> None:
    """Return when the Hub says `space_id` is private.

    Raises:
        UsageError: the Space is public, or the Hub could not tell (no token, not reachable).
    """
    from huggingface_hub import HfApi

    from tui.domain.http import error_from_exception

    if not token:
        raise UsageError(
            f"spacetui web runs inside the Space {space_id} but has no HF_TOKEN to read it with; "
            "add the token as a secret of the Space"
        )
    try:
        info = HfApi(endpoint=endpoint, token=token).space_info(space_id)
    except Exception as exc:  # noqa: BLE001 - every failure means "not known to be private"
        message = error_from_exception(exc, space_id=space_id).message
        raise UsageError(
            f"could not check that the Space {space_id} is private ({message}); not serving"
        ) from None
    if info.private is not True:
        raise UsageError(
            f"the Space {space_id} is public: anyone could open this dashboard. Make it private "
            "in its settings, then restart it"
        )
