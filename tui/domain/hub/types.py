"""Value types the Hub facade returns besides `SpaceStatus`: account, secrets, variables, listings."""

from __future__ import annotations

from dataclasses import dataclass

from tui.domain.models import SpaceStatus


@dataclass(frozen=True, slots=True)
class Account:
    """Who the token belongs to (never the token itself)."""

    name: str
    orgs: tuple[str, ...] = ()
    fullname: str | None = None

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Every namespace whose Spaces this account may list: itself, then its orgs."""
        return (self.name, *self.orgs)


@dataclass(frozen=True, slots=True)
class SecretInfo:
    """A Space secret as the Hub shows it: the value is write-only and never comes back."""

    key: str
    description: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True, slots=True)
class VariableInfo:
    """A Space variable: public configuration, so the value is readable."""

    key: str
    value: str
    description: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True, slots=True)
class SpaceListing:
    """Part or all of one author's Space listing, and how many requests (pages) it cost."""

    statuses: list[SpaceStatus]
    pages: int
    complete: bool
