"""Discussions, as far as uploads need them: opening a pull request and reading it back.

The client's pipelined `upload_folder(create_pr=True)` opens the PR here first, then commits to
its `refs/pr/N` branch.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, readable_space
from tui.emulator.bodies import json_object, string_field
from tui.emulator.errors import HubError, unauthorized
from tui.emulator.routes_repos import repo_url
from tui.emulator.state import Discussion, Space, mongo_id
from tui.emulator.timefmt import iso_z


def discussion_json(space: Space, discussion: Discussion) -> dict[str, object]:
    body: dict[str, object] = {
        "num": discussion.num,
        "title": discussion.title,
        "author": {"name": discussion.author, "type": "user"},
        "createdAt": iso_z(discussion.created_at),
        "status": "draft" if discussion.is_pull_request else "open",
        "repo": {"name": space.id, "type": "space"},
        "isPullRequest": discussion.is_pull_request,
        "events": [
            {
                "id": mongo_id(space.id, "discussion", str(discussion.num)),
                "type": "comment",
                "createdAt": iso_z(discussion.created_at),
                "author": {"name": discussion.author},
                "data": {
                    "edited": False,
                    "hidden": False,
                    "latest": {"raw": discussion.description},
                },
            }
        ],
    }
    if discussion.is_pull_request:
        body["changes"] = {"base": "refs/heads/main"}
        body["filesWithConflicts"] = []
    return body


async def create_discussion(request: Request) -> Response:
    space, user = readable_space(request)
    if user is None:
        raise unauthorized("You must be authenticated to open a discussion")
    data = await json_object(request)
    title = string_field(data, "title")
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise HubError(400, '"description" must be a string')
    discussion = hub(request).open_discussion(
        space,
        title=title or "",
        author=user.name,
        pull_request=bool(data.get("pullRequest")),
        description=description,
    )
    url = f"{repo_url(request, space.id)}/discussions/{discussion.num}"
    return JSONResponse({"num": discussion.num, "url": url, **discussion_json(space, discussion)})


async def get_discussion(request: Request) -> Response:
    space, _ = readable_space(request)
    discussion = space.discussions.get(request.path_params["num"])
    if discussion is None:
        raise HubError(404, "Discussion not found")
    return JSONResponse(discussion_json(space, discussion))


ROUTES = [
    Route("/api/spaces/{ns}/{name}/discussions", create_discussion, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/discussions/{num:int}", get_discussion, methods=["GET"]),
]
