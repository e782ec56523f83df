"""The Space's web page (`/spaces/{ns}/{name}`): what `o` opens and `y` copies, as a browser sees it.

The Hub answers this URL with its Space page; a browser sends no bearer token, so a private
Space is a 404 page there (the Hub's "Sorry, we can't find the page you are looking for"), and a
public one shows its card. Every remote string is HTML-escaped: ids, titles and error messages
come from README front matter and logs that anyone can write.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from tui.emulator.access import current_user, hub, space_id_of
from tui.emulator.errors import HubError
from tui.emulator.frontmatter import card_data

NOT_FOUND = "Sorry, we can't find the page you are looking for."


async def space_page(request: Request) -> Response:
    state = hub(request)
    try:
        user = current_user(request)
    except HubError:
        user = None  # a stale cookie or token never turns a page view into a 401
    space = state.get_space(space_id_of(request))
    if space is None or not state.can_read(user, space):
        return HTMLResponse(_page("404", f"<h1>404</h1><p>{escape(NOT_FOUND)}</p>"), 404)
    runtime = space.life.runtime()
    readme = space.revisions[space.head].get("README.md") if space.refs.get("main") else None
    card = (card_data(readme.data) if readme else None) or {}
    title = str(card.get("title") or space.id)
    rows = {
        "SDK": space.sdk,
        "Stage": str(runtime.get("stage", "")),
        "Hardware": str(_current_hardware(runtime) or "-"),
        "Visibility": "private" if space.private else "public",
        "Revision": space.head if space.refs.get("main") else "-",
    }
    error = runtime.get("errorMessage")
    body = [f"<h1>{escape(title)}</h1>", f"<p>{escape(space.id)}</p>", "<table>"]
    body += [f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows.items()]
    body.append("</table>")
    if error:
        body.append(f"<pre>{escape(str(error))}</pre>")
    body.append("<p>Served by the spacetui Hub emulator.</p>")
    return HTMLResponse(_page(title, "\n".join(body)))


def _current_hardware(runtime: dict[str, object]) -> object:
    hardware = runtime.get("hardware")
    return hardware.get("current") if isinstance(hardware, dict) else None


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head><body>{body}</body></html>"
    )


ROUTES = [Route("/spaces/{ns}/{name}", space_page, methods=["GET", "HEAD"])]
