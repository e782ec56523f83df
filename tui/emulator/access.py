"""Who is asking, and may they see or change this Space (private means invisible to others)."""

from __future__ import annotations

from starlette.requests import Request

from tui.emulator.errors import HubError, forbidden, repo_not_found, unauthorized
from tui.emulator.state import HubState, Space, User


def hub(request: Request) -> HubState:
    state: HubState = request.app.state.hub  # set by the app factory (server.py)
    return state


def bearer_token(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_user(request: Request) -> User | None:
    """The token's user, None when anonymous; an unknown token is a 401 everywhere."""
    token = bearer_token(request)
    if token is None:
        return None
    user = hub(request).user_for_token(token)
    if user is None:
        raise unauthorized()
    return user


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HubError(401, "You must be authenticated to access this resource")
    return user


def space_id_of(request: Request) -> str:
    """`ns/name` from the path; `x.git` is the repo `x` only on git routes (matched as `{name}.git`)."""
    params = request.path_params
    return f"{params['ns']}/{params['name']}"


def readable_space(request: Request) -> tuple[Space, User | None]:
    """The Space named in the path if the caller may see it; 404 RepoNotFound otherwise."""
    user = current_user(request)
    space = hub(request).get_space(space_id_of(request))
    if space is None or not hub(request).can_read(user, space):
        raise repo_not_found()
    return space, user


def writable_space(request: Request) -> tuple[Space, User]:
    """The Space if the caller may change it: 404 if invisible, 401 anonymous, 403 not a member."""
    space, user = readable_space(request)
    if user is None:
        raise HubError(401, "You must be authenticated to access this resource")
    if not hub(request).can_write_namespace(user, space.author):
        raise forbidden(f"You don't have the rights to write to the space {space.id}")
    return space, user
