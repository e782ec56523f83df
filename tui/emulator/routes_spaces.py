"""Reading Spaces: the paginated list, Space info (at head or a revision) and the runtime."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import current_user, hub, readable_space
from tui.emulator.errors import bad_request
from tui.emulator.repo_paths import resolve_revision
from tui.emulator.shapes import EXPANDABLE, LIST_DEFAULT, runtime_json, space_json
from tui.emulator.state import Space

#: `sort` values and the Space attribute each orders by (always descending, like the Hub).
SORT_KEYS = {
    "lastModified": lambda space: space.last_modified,
    "createdAt": lambda space: space.created_at,
    "likes": lambda space: space.likes,
    "trendingScore": lambda space: 0,
}


def expand_fields(request: Request) -> list[str] | None:
    """The repeated `expand` params, validated; None when absent."""
    expand = request.query_params.getlist("expand")
    if not expand:
        return None
    unknown = [item for item in expand if item not in EXPANDABLE]
    if unknown:
        raise bad_request(
            f'"expand" must be one of [{", ".join(EXPANDABLE)}] (got {", ".join(unknown)})'
        )
    return expand


def next_page_url(request: Request, offset: int) -> str:
    """The absolute URL of the next page, carrying every param of this one (the client adds none)."""
    params = [(key, value) for key, value in request.query_params.multi_items() if key != "cursor"]
    params.append(("cursor", str(offset)))
    return str(request.url.replace(query=urlencode(params)))


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f'"{name}" must be a number') from None
    if value < 0:
        raise bad_request(f'"{name}" must be greater than or equal to 0')
    return value


async def list_spaces(request: Request) -> Response:
    state = hub(request)
    user = current_user(request)
    params = request.query_params
    expand = expand_fields(request)
    full = params.get("full", "").lower() == "true"
    if expand and full:
        raise bad_request('"expand" cannot be combined with "full"')
    sort = params.get("sort")
    if sort is not None and sort not in SORT_KEYS:
        raise bad_request(f'"sort" must be one of [{", ".join(SORT_KEYS)}]')
    limit = _int_param(request, "limit", 0) or None
    offset = _int_param(request, "cursor", 0)
    author = params.get("author")
    search = (params.get("search") or "").lower()
    with state.lock:
        spaces: list[Space] = [
            space
            for space in state.spaces.values()
            if state.can_read(user, space)
            and (author is None or space.author == author)
            and search in space.id.lower()
        ]
        if sort is not None:
            spaces.sort(key=SORT_KEYS[sort], reverse=True)
        if limit is not None:
            spaces = spaces[:limit]
        page_size = max(1, state.page_size)
        page = spaces[offset : offset + page_size]
        fields = None if full else (expand or list(LIST_DEFAULT))
        body = [space_json(space, fields=fields) for space in page]
    headers = {}
    if offset + page_size < len(spaces):
        headers["Link"] = f'<{next_page_url(request, offset + page_size)}>; rel="next"'
    return JSONResponse(body, headers=headers)


async def space_info(request: Request) -> Response:
    space, _ = readable_space(request)
    revision = request.path_params.get("rev", "main")
    expand = expand_fields(request)
    blobs = request.query_params.get("blobs", "").lower() == "true"
    if expand and blobs:
        raise bad_request('"expand" cannot be combined with "blobs"')
    with hub(request).lock:
        sha = resolve_revision(space, revision)
        body = space_json(space, sha=sha, fields=expand, blobs=blobs)
    return JSONResponse(body)


async def runtime(request: Request) -> Response:
    space, _ = readable_space(request)
    return JSONResponse(runtime_json(space))


ROUTES = [
    Route("/api/spaces", list_spaces, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}", space_info, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/revision/{rev:path}", space_info, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/runtime", runtime, methods=["GET"]),
]
