"""Reading request bodies defensively: malformed input is a 400 with a clear message, never a 500."""

from __future__ import annotations

import json
from typing import Any, Literal, overload

from starlette.requests import Request

from tui.emulator.errors import HubError, bad_request

#: JSON API bodies (settings, batch, preupload of 256 files) are far smaller than this.
MAX_JSON_BYTES = 10_000_000


async def json_object(request: Request, *, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object; `{}` for an empty body when not `required`."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise bad_request("Request body must be a JSON object")
        return {}
    if len(raw) > MAX_JSON_BYTES:
        raise HubError(413, f"Request body is larger than {MAX_JSON_BYTES // 1_000_000} MB")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Request body is not valid JSON") from None
    except RecursionError:
        raise bad_request("Request body is nested too deeply") from None
    if not isinstance(data, dict):
        raise bad_request("Request body must be a JSON object")
    return data


@overload
def string_field(data: dict[str, Any], key: str, *, required: Literal[True] = True) -> str: ...


@overload
def string_field(data: dict[str, Any], key: str, *, required: bool) -> str | None: ...


def string_field(data: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    """`data[key]` as a string; a missing or empty one is a 400 unless not `required` (None)."""
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise bad_request(f'"{key}" must be a non-empty string')
    return value
