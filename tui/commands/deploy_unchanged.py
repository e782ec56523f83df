"""`spacetui deploy` of a folder its last deploy stamped: confirmed unchanged without the engine.

Like `git status` with its index, the command first asks the folder's deploy stamp
(`tui.domain.deploy.stamp`): when the folder still lists and stats exactly as the stamped deploy
left it, and the Hub says the Space's head is still the stamped sha, RUNNING, with every secret
the code needs and no token-shaped public variable, and (unless `--no-probe`) its app answers
2xx/3xx on the first try, the normal deploy would decide "nothing changed" from the same facts:
this module says so in the normal deploy's own lines, records it as the engine records an
unchanged deploy, and exits 0. It imports neither the engine, the checks, httpx nor asyncio.

It only ever confirms. Anything else (no stamp, a different folder listing, another head, a
stage that is not RUNNING, a missing secret, an app that does not answer at once, an HTTP error,
options that set something on the Space, `--json`, CI mode writing a step summary, a proxy) returns
None before a line is printed, and the normal deploy runs from the start and reports it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from tui.commands.ci_mode import ci_requested
from tui.domain.deploy.app_address import DEFAULT_WAIT, app_address
from tui.domain.deploy.stamp import Stamp, folder_digest, load_stamp, settled_before
from tui.domain.plain_get import PlainGet, plain_http_usable
from tui.domain.units import format_bytes
from tui.domain.wording import counted

#: The normal unchanged deploy's result message (`engine.Deployer._unchanged`; a test pins it).
UNCHANGED = "Nothing changed since the last deploy: no commit made."
#: Options that set something on the Space at every deploy: never confirmed from a stamp.
_SETTING_OPTIONS = ("secret", "variable", "secrets_from", "hardware", "restart")


class Confirmed(NamedTuple):
    """What the Hub said about a stamped Space that the normal deploy would also conclude."""

    stamp: Stamp
    endpoint: str
    probe: dict[str, Any] | None  # url, status, ok (as in `ProbeOutcome.to_json`), when probed


def try_unchanged(
    args: argparse.Namespace, *, stdout: TextIO, stderr: TextIO, stdin: TextIO
) -> int | None:
    """0 once the unchanged deploy is said and recorded; None: deploy the normal way."""
    if not _eligible(args, stdin):
        return None
    try:
        confirmed = _confirm(args)
    except KeyboardInterrupt:
        stderr.write("spacetui deploy: cancelled: Nothing was committed.\n")
        return 130
    except Exception:  # noqa: BLE001 - anything odd: the normal deploy meets it and words it
        return None
    if confirmed is None:
        return None
    _say(confirmed, stdout)
    _record(confirmed)
    return 0


def _eligible(args: argparse.Namespace, stdin: TextIO) -> bool:
    """The options ask for a plain deploy whose output the stamp can vouch for."""
    if getattr(args, "json", False) or any(getattr(args, n, None) for n in _SETTING_OPTIONS):
        return False
    if ci_requested(getattr(args, "ci", False)):
        # CI mode without --yes is a usage error, and a job summary is the normal path's.
        if not args.yes or os.environ.get("GITHUB_STEP_SUMMARY"):
            return False
    elif not args.yes and not _is_tty(stdin):
        return False  # the normal path says --yes is needed
    return plain_http_usable()


def _confirm(args: argparse.Namespace) -> Confirmed | None:
    from tui.domain.auth import resolve_target

    folder = Path(args.path)
    if not folder.is_dir():
        return None
    folder = folder.resolve()
    probe_path = _probe_path(args)
    if probe_path is None:
        return None
    target = resolve_target(args.sub_endpoint or getattr(args, "endpoint", None))
    stamp = load_stamp(folder, target.endpoint, args.space)
    if not target.token or stamp is None:
        return None
    seen = folder_digest(
        folder,
        stamp.walked,
        stamp.marks,
        endpoint=target.endpoint,
        space_id=args.space,
        settled_before_ns=settled_before(),
    )
    if seen is None or seen[0] != stamp.digest:
        return None
    with PlainGet(target.endpoint, target.token) as hub:
        info = _space_info(hub, stamp, full=not args.no_probe)
        if info is None or not _settings_hold(hub, stamp):
            return None
        probe = None
        if not args.no_probe:
            probe = _probe(hub, target.endpoint, target.token, info, probe_path)
            if probe is None:
                return None
    return Confirmed(stamp, target.endpoint, probe)


def _probe_path(args: argparse.Namespace) -> str | None:
    """`--probe-path`, else the Space's `probe_path` in spacetui.yaml, else "/"; None when the
    config gives the Space secrets or variables (set at every deploy: the normal path)."""
    from tui.domain.paths import resolve_config_path

    config_file = resolve_config_path(getattr(args, "config", None))
    entry = None
    if config_file.exists():
        from tui.domain.config import load_config

        entry = load_config(config_file).space(args.space)
        if entry is not None and (entry.secrets or entry.variables):
            return None
    return getattr(args, "probe_path", None) or (entry and entry.probe_path) or "/"


def _space_info(hub: PlainGet, stamp: Stamp, *, full: bool) -> dict[str, Any] | None:
    """The Space's info when its head is the stamped sha and its stage RUNNING."""
    # The probe needs `host`, which only the full info carries; otherwise two fields suffice.
    params = None if full else [("expand", "sha"), ("expand", "runtime")]
    info = hub.get_json(f"/api/spaces/{stamp.space_id}", params)
    if not isinstance(info, dict) or info.get("sha") != stamp.head_sha:
        return None
    runtime = info.get("runtime")
    if not isinstance(runtime, dict) or runtime.get("stage") != "RUNNING":
        return None
    return info


def _settings_hold(hub: PlainGet, stamp: Stamp) -> bool:
    """Every name the code needs is a secret or variable, and no variable holds a token."""
    variables = hub.get_json(f"/api/spaces/{stamp.space_id}/variables")
    if not isinstance(variables, dict):
        return False
    provided = set(variables)
    if stamp.needed:
        secrets = hub.get_json(f"/api/spaces/{stamp.space_id}/secrets")
        if not isinstance(secrets, dict):
            return False
        provided |= set(secrets)
    if not provided.issuperset(stamp.needed):
        return False  # the review would warn: the normal path says which and where
    valued = {k: v.get("value") for k, v in variables.items() if isinstance(v, dict)}
    if any(not isinstance(v, str) for v in valued.values()) or len(valued) != len(variables):
        return False
    if any(valued.values()):
        from tui.domain.secret_shapes import variable_refusal

        if any(variable_refusal(key, value) for key, value in valued.items() if value):
            return False
    return True


def _probe(
    hub: PlainGet, endpoint: str, token: str | None, info: dict[str, Any], path: str
) -> dict[str, Any] | None:
    """The probe's verdict when the app answered 2xx/3xx at once; None otherwise."""
    host, subdomain = info.get("host"), info.get("subdomain")
    address = app_address(
        endpoint,
        host if isinstance(host, str) else None,
        subdomain if isinstance(subdomain, str) else None,
        path,
    )
    if address.host_header is not None:  # the emulator: the app on the endpoint, by Host
        status = hub.status(_path_of(address.url, endpoint), host=address.host_header)
    elif address.url.startswith("https://"):
        origin, _, rest = address.url[len("https://") :].partition("/")
        with PlainGet(f"https://{origin}", token if address.send_token else None) as app:
            status = app.status("/" + rest)
    else:
        return None
    if status is None or not 200 <= status < 400:
        return None  # a failure, or an app still waking: the normal probe waits and says
    return {"url": address.shown, "status": status, "ok": True}


def _path_of(url: str, endpoint: str) -> str:
    """`url` less the `endpoint` it starts with (the emulator maps apps onto the endpoint)."""
    return url[len(endpoint.rstrip("/")) :] or "/"


def _say(confirmed: Confirmed, stdout: TextIO) -> None:
    """The lines the normal unchanged deploy prints (`deploy_render.HumanRenderer`)."""
    from tui.domain.sanitize import for_terminal

    stamp, probe = confirmed.stamp, confirmed.probe
    lines = [
        f"checks: {counted(0, 'error')}, {counted(0, 'warning')}",
        f"Deploy to {stamp.space_id}",
        f"  unchanged: {counted(stamp.files, 'file')}, not sent. "
        f"To send: {counted(0, 'file')}, {format_bytes(0)}.",
    ]
    message = UNCHANGED
    if probe is not None:
        lines.append(f"probing {for_terminal(probe['url'])} (up to {DEFAULT_WAIT:g} s)")
        message += f" Its app answered HTTP {probe['status']} at {probe['url']}."
    lines.append(f"ok: {for_terminal(message)}")
    stdout.write("".join(line + "\n" for line in lines))
    stdout.flush()


def _record(confirmed: Confirmed) -> None:
    """As `deploy_records.record_result` records an unchanged deploy that found it RUNNING."""
    from tui.domain.deploy_records import record_deploy

    stamp = confirmed.stamp
    record_deploy(
        stamp.space_id,
        endpoint=confirmed.endpoint,
        sha=stamp.head_sha,
        outcome="unchanged",
        ok=True,
        stage="RUNNING",
        extra={} if confirmed.probe is None else {"probe": confirmed.probe},
        kind="deploy",
    )


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
