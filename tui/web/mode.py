"""What the app needs to know when it runs behind `spacetui web`: no aiohttp, no textual-serve.

The web server starts each app with `SPACETUI_WEB=1`; inside a Space, the Hub sets `SPACE_ID`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: Set to "1" by the web server in the environment of every app it starts.
WEB_ENV = "SPACETUI_WEB"

#: Actions that read or write the server's filesystem: in a browser that is someone else's disk
#: (or a Space's container), so they are hidden there.
SERVER_FILE_ACTIONS = frozenset({"link_folder", "checks", "deploy"})

#: Actions that take a Space's server down for a while: on the dashboard's own Space they also
#: end the session that asked for them, so they are confirmed twice.
SELF_STOPPING_ACTIONS = frozenset({"restart", "factory_rebuild", "pause_resume", "hardware"})


def web_mode(environ: Mapping[str, str] | None = None) -> bool:
    """True when this process is an app started by `spacetui web`."""
    return (environ if environ is not None else os.environ).get(WEB_ENV) == "1"


def own_space_id(environ: Mapping[str, str] | None = None) -> str | None:
    """The Space this process runs in (the Hub sets SPACE_ID in every Space), else None."""
    value = (environ if environ is not None else os.environ).get("SPACE_ID", "").strip()
    return value or None


def hidden_in_browser(action: str, parameters: tuple[object, ...] = ()) -> bool:
    """Whether a key binding's action touches the server's files (`space('deploy')` and kin)."""
    if action in SERVER_FILE_ACTIONS:
        return True
    return action in ("space", "pane") and bool(parameters) and parameters[0] in SERVER_FILE_ACTIONS


def server_files_sentence(action: str) -> str:
    """Why a server-file action is not offered in the browser."""
    what = {"link_folder": "Linking a folder", "checks": "Config checks", "deploy": "Deploying"}
    return (
        f"{what.get(action, action)} works on the files of the machine that serves this page, "
        "not yours, so it is off in the browser. Run `spacetui` in a terminal for it."
    )


def own_token_problem(
    value: str, token: str | None, environ: Mapping[str, str] | None = None
) -> str | None:
    """A refusal when a Space-hosted dashboard would hand its own Hub token to another Space."""
    if own_space_id(environ) is None or not token or value.strip() != token.strip():
        return None
    return (
        "That value is this dashboard's own HF_TOKEN; it is never stored as a secret of another "
        "Space. Create a separate fine-grained token for that Space."
    )
