"""`HubClient`: the one connection to one Hub, shared by the CLI, the app, the monitor and deploy.

Reads (whoami, listings, Space info, runtime) and log streams go over our own
`httpx.AsyncClient` (`http`); control actions, settings and deploy commits go through
huggingface_hub's `HfApi` (`hf_api()`), run in a worker thread so the event loop never blocks.
Both are configured in one place each (`tui/domain/http.py`, `tui/domain/hub/hf_session.py`);
a test passes `transport`/`hf_transport` here and every caller of this client, deploys included,
goes through them. Every failure comes out as one of the typed errors of `errors.py`.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import aclosing
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

# isort: off
from tui.domain import httpx_cli_guard  # noqa: F401  (must run before httpx's first import)
import httpx

# isort: on

from tui import __version__
from tui.domain.auth import HubTarget
from tui.domain.errors import AuthError, HubError, UsageError
from tui.domain.http import error_from_exception, make_async_client, raise_for_hub_status
from tui.domain.hub.parse import STATUS_EXPAND, status_from_runtime, status_from_space
from tui.domain.hub.types import Account, SecretInfo, SpaceListing, VariableInfo
from tui.domain.models import SpaceStatus, is_valid_space_id
from tui.domain.ratelimit import Quota, quota_from_headers
from tui.domain.redact import register_secret

if TYPE_CHECKING:
    import httpx2
    from huggingface_hub import HfApi, SpaceHardware

T = TypeVar("T")


class HubClient:
    """One Hub target, one pooled HTTP client, one `HfApi`; close it with `aclose()`."""

    def __init__(
        self,
        target: HubTarget,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        hf_transport: httpx2.BaseTransport | None = None,
        event_hooks: Mapping[str, list[Any]] | None = None,
    ) -> None:
        self.target = target
        register_secret(target.token)  # redacted from every message, whichever client sends it
        #: huggingface_hub's transport (None: the network), applied when `hf_api()` is first used.
        self._hf_transport = hf_transport
        self._transport = transport
        self._event_hooks = event_hooks
        #: Built on first use: a deploy that does not follow its build never reads over it,
        #: and building one costs a TLS context.
        self._http: httpx.AsyncClient | None = None
        self._api: HfApi | None = None
        #: The `api` rate-limit quota as the latest read over httpx reported it (None until then).
        self.quota: Quota | None = None

    async def __aenter__(self) -> HubClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        if self._http is not None:
            await self._http.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        """The shared client: log streams and online checks send their own requests on it."""
        if self._http is None:
            self._http = make_async_client(
                self.target.endpoint,
                self.target.token,
                transport=self._transport,
                event_hooks=self._event_hooks,
            )
        return self._http

    # --- reads over httpx -------------------------------------------------------------------

    async def whoami(self) -> Account:
        """The account of the token.

        Raises:
            AuthError: there is no token, or the Hub rejected it.
        """
        if not self.target.has_token:
            raise AuthError("No Hugging Face token found; run `hf auth login` or set HF_TOKEN.")
        body = await self._get_json("/api/whoami-v2")
        if not isinstance(body, Mapping) or not isinstance(body.get("name"), str):
            raise HubError("The Hub sent an unreadable answer to whoami.")
        orgs = tuple(
            org["name"]
            for org in body.get("orgs") or ()
            if isinstance(org, Mapping) and isinstance(org.get("name"), str)
        )
        fullname = body.get("fullname")
        return Account(body["name"], orgs, fullname if isinstance(fullname, str) else None)

    async def list_spaces(self, author: str, *, limit: int | None = None) -> list[SpaceStatus]:
        """Every Space of `author` (user or org) visible to the token, with runtimes, in ONE listing.

        Follows `Link: rel="next"` pages; `limit` caps the number returned.
        """
        statuses: list[SpaceStatus] = []
        async for page, _ in self._space_pages(author, limit):
            statuses.extend(page)
            if limit is not None and len(statuses) >= limit:
                return statuses[:limit]
        return statuses

    async def list_spaces_paged(self, author: str, *, max_pages: int | None = None) -> SpaceListing:
        """Like `list_spaces`, but stops after `max_pages` requests and says what it cost."""
        statuses: list[SpaceStatus] = []
        pages = 0
        async with aclosing(self._space_pages(author, None)) as listing:
            async for page, more in listing:
                statuses.extend(page)
                pages += 1
                if more and max_pages is not None and pages >= max_pages:
                    return SpaceListing(statuses, pages, complete=False)
        return SpaceListing(statuses, pages, complete=True)

    async def _space_pages(
        self, author: str, limit: int | None
    ) -> AsyncGenerator[tuple[list[SpaceStatus], bool], None]:
        """The listing of `author`, one page (one request) at a time, and whether more follow."""
        if not author or "/" in author:
            raise UsageError(f"Not a user or organisation name: {author!r}.")
        params: list[tuple[str, str | int]] = [("author", author)]
        params += [("expand", field) for field in STATUS_EXPAND]
        if limit is not None:
            params.append(("limit", limit))
        url: str | None = "/api/spaces"
        request_params: list[tuple[str, str | int]] | None = params
        while url is not None:
            response = await self._get(url, params=request_params)
            body = self._json(response)
            if not isinstance(body, list):
                raise HubError(f"The Hub sent an unreadable Space list for {author}.")
            # The next link is absolute and already carries every parameter.
            url, request_params = self._next_page(response), None
            yield [s for s in map(status_from_space, body) if s is not None], url is not None

    def _next_page(self, response: httpx.Response) -> str | None:
        """The `rel="next"` URL, refused when it leaves the Hub: the token travels with it."""
        link = response.links.get("next", {}).get("url")
        if link is None:
            return None
        target = response.url.join(link)
        if (target.scheme, target.host, target.port) != (
            self.http.base_url.scheme,
            self.http.base_url.host,
            self.http.base_url.port,
        ):
            raise HubError(
                "The Hub's next-page link points to another host; listing stopped there."
            )
        return str(target)

    async def space_status(self, space_id: str) -> SpaceStatus:
        """One Space with its runtime, SDK and visibility (Space info with `expand`)."""
        _check_space_id(space_id)
        params = [("expand", field) for field in STATUS_EXPAND]
        body = await self._get_json(f"/api/spaces/{space_id}", params=params, space_id=space_id)
        status = status_from_space(body)
        if status is None:
            raise HubError(f"The Hub sent an unreadable answer for Space {space_id}.")
        return status

    async def runtime(self, space_id: str) -> SpaceStatus:
        """Only the runtime of a Space (the lightest call); `sdk` and `private` stay unknown."""
        _check_space_id(space_id)
        body = await self._get_json(f"/api/spaces/{space_id}/runtime", space_id=space_id)
        if not isinstance(body, Mapping) or "stage" not in body:
            raise HubError(f"The Hub sent an unreadable runtime for Space {space_id}.")
        return status_from_runtime(space_id, body)

    # --- actions through huggingface_hub ----------------------------------------------------

    async def restart(self, space_id: str, *, factory: bool = False) -> SpaceStatus:
        """Restart the Space; `factory` rebuilds the image without cache."""
        runtime = await self._call(
            space_id, lambda api: api.restart_space(space_id, factory_reboot=factory)
        )
        return status_from_runtime(space_id, runtime.raw)

    async def pause(self, space_id: str) -> SpaceStatus:
        """Pause the Space until the next restart (not billed while paused)."""
        runtime = await self._call(space_id, lambda api: api.pause_space(space_id))
        return status_from_runtime(space_id, runtime.raw)

    async def set_sleep_time(self, space_id: str, seconds: int) -> SpaceStatus:
        """Seconds of inactivity before the Space sleeps; -1 means never."""
        runtime = await self._call(
            space_id, lambda api: api.set_space_sleep_time(space_id, seconds)
        )
        return status_from_runtime(space_id, runtime.raw)

    async def request_hardware(self, space_id: str, flavor: str) -> SpaceStatus:
        """Ask for another hardware flavor; `requested_hardware` changes first, `hardware` later."""
        runtime = await self._call(
            space_id,
            lambda api: api.request_space_hardware(space_id, cast("SpaceHardware", flavor)),
        )
        return status_from_runtime(space_id, runtime.raw)

    async def secrets(self, space_id: str) -> dict[str, SecretInfo]:
        """The Space's secrets by key (values are write-only and never returned)."""
        # Over httpx, as huggingface_hub's get_space_secrets reads it: a deploy's review asks
        # for this, and an unchanged re-deploy should not import huggingface_hub for it.
        found = await self._settings(space_id, "secrets")
        return {
            key: SecretInfo(key, _opt_str(entry.get("description")), _iso(entry.get("updatedAt")))
            for key, entry in sorted(found.items())
        }

    async def add_secret(
        self, space_id: str, key: str, value: str, description: str | None = None
    ) -> None:
        """Create or replace a secret."""
        await self._call(
            space_id,
            lambda api: api.add_space_secret(space_id, key, value, description=description),
        )

    async def delete_secret(self, space_id: str, key: str) -> None:
        """Delete a secret (deleting a missing key is not an error)."""
        await self._call(space_id, lambda api: api.delete_space_secret(space_id, key))

    async def variables(self, space_id: str) -> dict[str, VariableInfo]:
        """The Space's variables by key."""
        found = await self._settings(space_id, "variables")
        return {
            key: VariableInfo(
                key,
                str(entry.get("value") or ""),
                _opt_str(entry.get("description")),
                _iso(entry.get("updatedAt")),
            )
            for key, entry in sorted(found.items())
        }

    async def _settings(self, space_id: str, kind: str) -> dict[str, Mapping[str, Any]]:
        """`GET /api/spaces/{id}/{kind}`: {key: {value?, description, updatedAt}}."""
        _check_space_id(space_id)
        body = await self._get_json(f"/api/spaces/{space_id}/{kind}", space_id=space_id)
        if not isinstance(body, Mapping) or not all(
            isinstance(k, str) and isinstance(v, Mapping) for k, v in body.items()
        ):
            raise HubError(f"The Hub sent unreadable {kind} for Space {space_id}.")
        return dict(body)

    async def add_variable(
        self, space_id: str, key: str, value: str, description: str | None = None
    ) -> None:
        """Create or replace a variable (never a token-shaped value: variables are public)."""
        from tui.domain.errors import UsageError
        from tui.domain.secret_shapes import variable_refusal

        refusal = variable_refusal(key, value)
        if refusal:
            raise UsageError(refusal)
        await self._call(
            space_id,
            lambda api: api.add_space_variable(space_id, key, value, description=description),
        )

    async def delete_variable(self, space_id: str, key: str) -> None:
        """Delete a variable (deleting a missing key is not an error)."""
        await self._call(space_id, lambda api: api.delete_space_variable(space_id, key))

    async def create_space(
        self, space_id: str, *, sdk: str, private: bool = True, hardware: str | None = None
    ) -> str:
        """Create an empty Space and return its URL."""
        url = await self._call(
            space_id,
            lambda api: api.create_repo(
                space_id,
                repo_type="space",
                space_sdk=sdk,
                private=private,
                space_hardware=cast("SpaceHardware | None", hardware),
            ),
        )
        return str(url)

    def hf_api(self) -> HfApi:
        """huggingface_hub's client for the same endpoint and token (deploy commits through it)."""
        if self._api is None:
            from huggingface_hub import HfApi

            from tui.domain.hub import hf_session

            hf_session.use(self.target.endpoint, self._hf_transport)

            # huggingface_hub warns on stderr when a sleep time is set on cpu-basic; on a terminal
            # app that text would land in the middle of the screen, and the Hub's answer says it all.
            warnings.filterwarnings(
                "ignore",
                message="If your Space runs on the default 'cpu-basic'",
                category=UserWarning,
            )

            self._api = HfApi(
                endpoint=self.target.endpoint,
                # False, not None: never fall back to a token we did not resolve ourselves.
                token=self.target.token or False,
                library_name="spacetui",
                library_version=__version__,
            )
        return self._api

    # --- plumbing ---------------------------------------------------------------------------

    async def _call(self, space_id: str, action: Callable[[HfApi], T]) -> T:
        """Run a blocking huggingface_hub call off the event loop, mapping its errors."""
        _check_space_id(space_id)
        api = self.hf_api()
        try:
            return await asyncio.to_thread(action, api)
        except Exception as exc:
            raise error_from_exception(exc, space_id=space_id) from exc

    async def get(
        self, url: str, *, params: Any = None, space_id: str | None = None
    ) -> httpx.Response:
        """A GET on the Hub with every read's typed errors and quota; the body left to the caller
        (the deploy decodes a Space's file list with msgspec, `deploy.remote_listing`)."""
        return await self._get(url, params=params, space_id=space_id)

    async def _get(
        self, url: str, *, params: Any = None, space_id: str | None = None
    ) -> httpx.Response:
        try:
            response = await self.http.get(url, params=params)
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, space_id=space_id) from exc
        quota = quota_from_headers(response.headers)
        if quota is not None and quota.bucket == "api":
            self.quota = quota
        raise_for_hub_status(response, space_id=space_id)
        return response

    async def _get_json(self, url: str, *, params: Any = None, space_id: str | None = None) -> Any:
        return self._json(await self._get(url, params=params, space_id=space_id))

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise HubError(f"The Hub sent a non-JSON answer for {response.url.path}.") from exc


def _check_space_id(space_id: str) -> None:
    if not is_valid_space_id(space_id):
        raise UsageError(f"Not a Space id: {space_id!r} (expected namespace/name).")


def _iso(value: Any) -> str | None:
    """`updatedAt` as huggingface_hub shows it (parsed, then ISO text with a Z) for display."""
    if value is None:
        return None
    if isinstance(value, str):
        try:  # the same text huggingface_hub's datetime gave: microseconds spelled out
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return parsed.isoformat().replace("+00:00", "Z")
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).replace("+00:00", "Z")
    return str(value)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
