"""Account routes: whoami-v2, and the side requests the client makes on its own."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import current_user, hub
from tui.emulator.errors import unauthorized
from tui.emulator.state import User, mongo_id

#: When every emulated token was "created" (fixed, so whoami answers are stable).
TOKEN_CREATED_AT = "2026-01-01T00:00:00.000Z"


def whoami_json(request: Request, user: User) -> dict[str, object]:
    """The whoami-v2 shape of the recorded fixture."""
    state = hub(request)
    orgs = [
        {
            "type": "org",
            "id": mongo_id("org", org),
            "name": org,
            "fullname": org.replace("-", " ").title(),
            "email": None,
            "canPay": state.org_plan(org).payment_method,
            "avatarUrl": f"/avatars/{mongo_id('avatar', org)}.svg",
            "periodEnd": None,
            "roleInOrg": "write",
            # huggingface.js types an org's `plan` (deprecated, shape unknown): the plan name here.
            "plan": state.org_plan(org).plan,
        }
        for org in user.orgs
        if org in state.orgs
    ]
    return {
        "type": "user",
        "id": mongo_id("user", user.name),
        "name": user.name,
        "fullname": user.fullname,
        "email": f"{user.name}@example.com",
        "emailVerified": True,
        "canPay": user.payment_method,
        "isPro": user.plan == "pro",
        "periodEnd": None,
        "avatarUrl": f"/avatars/{mongo_id('avatar', user.name)}.svg",
        "billingMode": "postpaid",
        "orgs": orgs,
        "auth": {
            "type": "access_token",
            "accessToken": {
                "displayName": f"{user.name}-spacetui",
                "role": "write",
                "createdAt": TOKEN_CREATED_AT,
            },
        },
    }


async def whoami(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        raise unauthorized()
    return JSONResponse(whoami_json(request, user))


async def agent_harnesses(request: Request) -> Response:
    """The client's once-a-day agent registry fetch: nothing registered."""
    return JSONResponse({"standardEnvVars": [], "harnesses": {}})


async def telemetry(request: Request) -> Response:
    """hf_xet's upload summary: accepted and dropped."""
    return JSONResponse({})


ROUTES = [
    Route("/api/whoami-v2", whoami, methods=["GET"]),
    Route("/api/agent-harnesses", agent_harnesses, methods=["GET"]),
    Route("/v1/telemetry", telemetry, methods=["POST"]),
    Route("/api/telemetry/{rest:path}", telemetry, methods=["GET", "POST", "HEAD"]),
]
