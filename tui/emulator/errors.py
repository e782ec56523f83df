"""Error answers in the Hub's wire form: status, X-Error-Code / X-Error-Message, JSON body."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

#: The exact text that keeps the client from mapping a bad-token 401 to RepositoryNotFoundError.
INVALID_CREDENTIALS = "Invalid credentials in Authorization header"


def header_safe(text: str) -> str:
    """Printable ASCII for a header value: messages can quote paths a client sent (newlines,
    non-Latin-1 text), which would otherwise break the response instead of explaining the error."""
    return "".join(
        ch if 32 <= ord(ch) < 127 else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


class HubError(Exception):
    """Raised by route code; the app turns it into the response the real Hub would send."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        message_header: bool = True,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.body = body
        self.headers = headers or {}
        self.message_header = message_header

    def response(self) -> JSONResponse:
        headers = dict(self.headers)
        if self.code:
            headers["X-Error-Code"] = self.code
        if self.message_header:
            headers["X-Error-Message"] = header_safe(self.message)
        body = {"error": self.message, **(self.body or {})}
        return JSONResponse(body, status_code=self.status, headers=headers)


def repo_not_found() -> HubError:
    """Missing or invisible: the same answer, so a private Space's existence does not leak."""
    return HubError(404, "Repository not found", code="RepoNotFound")


def revision_not_found(revision: str) -> HubError:
    return HubError(404, f"Invalid rev id: {revision}", code="RevisionNotFound")


def entry_not_found(path: str) -> HubError:
    return HubError(404, f"Entry not found: {path}", code="EntryNotFound")


def bad_request(message: str) -> HubError:
    return HubError(400, message)


def forbidden(message: str) -> HubError:
    return HubError(403, message)


def unauthorized(message: str = INVALID_CREDENTIALS) -> HubError:
    return HubError(401, message)
