"""Turn the Hub's Space and runtime JSON into `SpaceStatus`, tolerating missing or odd fields."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tui.domain.models import SpaceStatus, Stage, is_valid_space_id

#: The `expand` set of one listing that answers everything the Space list shows.
STATUS_EXPAND = ("runtime", "sdk", "private", "lastModified", "sha")


def status_from_runtime(space_id: str, runtime: Any, **fields: Any) -> SpaceStatus:
    """A `SpaceStatus` from a runtime object (§6); `fields` fill what the runtime does not carry."""
    # JSON decodes to plain dicts; checking for `dict` rather than the Mapping ABC is much faster.
    runtime = runtime if isinstance(runtime, dict) else {}
    raw_stage = _text(runtime.get("stage")) or ""
    hardware = runtime.get("hardware")
    if isinstance(hardware, dict):
        current, requested = _text(hardware.get("current")), _text(hardware.get("requested"))
    else:  # older answers put the flavor string directly in `hardware`
        current, requested = _text(hardware), None
    sleep_time = runtime.get("gcTimeout")
    values: dict[str, Any] = {
        "sdk": _text(runtime.get("sdk")),
        "hardware": current,
        "requested_hardware": requested,
        "sleep_time": sleep_time
        if isinstance(sleep_time, int) and not isinstance(sleep_time, bool)
        else None,
        "error_message": _text(runtime.get("errorMessage")),
        "sha": _text(runtime.get("sha")),
    }
    values.update({key: value for key, value in fields.items() if value is not None})
    return SpaceStatus(
        space_id=space_id, stage=Stage.parse(raw_stage), raw_stage=raw_stage, **values
    )


def status_from_space(data: Any) -> SpaceStatus | None:
    """A `SpaceStatus` from a Space info or list entry; None when the entry has no usable `id`."""
    if not isinstance(data, dict):
        return None
    space_id = _text(data.get("id"))
    if not space_id or not is_valid_space_id(space_id):
        return None
    private = data.get("private")
    return status_from_runtime(
        space_id,
        data.get("runtime"),
        sdk=_text(data.get("sdk")),
        private=private if isinstance(private, bool) else None,
        last_modified=_text(data.get("lastModified") or data.get("last_modified")),
        sha=_text(data.get("sha")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def merge_runtime(previous: SpaceStatus | None, runtime: SpaceStatus) -> SpaceStatus:
    """`runtime` (e.g. what restart or pause returned) over what was known before.

    Action answers carry only the runtime, so their `sdk`, `private`, `last_modified` and `sha` are
    None; this keeps the earlier values of those instead of blanking them.
    """
    if previous is None or previous.space_id != runtime.space_id:
        return runtime
    return replace(
        runtime,
        sdk=runtime.sdk or previous.sdk,
        private=previous.private if runtime.private is None else runtime.private,
        last_modified=runtime.last_modified or previous.last_modified,
        sha=runtime.sha or previous.sha,
    )
