"""`SpaceMonitor`: watches Spaces by id and by author and reports ordered stage changes.

One round costs one paginated listing per watched author (with `expand=runtime`), plus one request
per explicit id that no listing covers; ids that crowd one namespace are answered by a listing of
that namespace instead. Rounds repeat fast while a Space is transitional and slowly when all are
stable. A failed request never loses what was known: the last good status stays, marked stale with
the reason; 429 waits what the Hub says, 5xx and network errors back off. When the Hub reports
under 10% of its rate-limit quota left, rounds are spaced so the rest lasts until the window resets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tui.domain.backoff import Backoff
from tui.domain.errors import (
    AuthError,
    HubError,
    HubRequestError,
    PermissionDenied,
    RateLimited,
    SpaceNotFound,
    SpacetuiError,
)
from tui.domain.hub import HubClient
from tui.domain.models import SpaceStatus

# Errors that retrying sooner cannot fix: they mark Spaces stale but do not slow the rounds down.
_PERMANENT = SpaceNotFound | PermissionDenied | AuthError | HubRequestError


@dataclass(frozen=True)
class StageChanged:
    """A Space was seen in a new stage (`old` is None the first time it is seen at all)."""

    space_id: str
    old: SpaceStatus | None
    new: SpaceStatus
    at: float


@dataclass(frozen=True)
class MonitorUpdate:
    """The result of one round.

    Attributes:
        statuses: last known status of every watched Space, fresh or stale, by id (sorted).
        stale: ids that could not be refreshed this round -> the reason (one sentence); an id
            may be stale before any status of it was ever known.
        changes: stage changes seen this round, ordered by space id.
        next_refresh_in: seconds until the next round (adaptive, or what a 429 / backoff asks).
        author_errors: watched authors whose listing failed -> the reason.
        since: when (monitor clock) each Space entered its current stage, as far as seen.
    """

    statuses: Mapping[str, SpaceStatus]
    stale: Mapping[str, str]
    changes: tuple[StageChanged, ...]
    next_refresh_in: float
    author_errors: Mapping[str, str] = field(default_factory=dict)
    since: Mapping[str, float] = field(default_factory=dict)


@dataclass
class _Round:
    """What one round gathered before it is folded into the monitor's state."""

    fresh: dict[str, SpaceStatus] = field(default_factory=dict)
    failed_ids: dict[str, str] = field(default_factory=dict)
    failed_authors: dict[str, str] = field(default_factory=dict)
    listed_authors: set[str] = field(default_factory=set)
    errors: list[HubError] = field(default_factory=list)
    requests: int = 0


class SpaceMonitor:
    """Polls the Hub for a changing set of Spaces; inject `clock` and `sleep` to test it in ms."""

    def __init__(
        self,
        hub: HubClient,
        *,
        space_ids: Sequence[str] = (),
        authors: Sequence[str] = (),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        fast_interval: float = 2.0,
        slow_interval: float = 30.0,
        backoff: Backoff | None = None,
        batch_threshold: int = 3,
        batch_max_listing: int = 500,
        concurrency: int = 8,
    ) -> None:
        self._hub = hub
        self._clock = clock
        self._sleep = sleep
        self.fast_interval = fast_interval
        self.slow_interval = slow_interval
        self._backoff = backoff or Backoff(first=1.0, factor=2.0, cap=max(slow_interval, 1.0))
        self._batch_threshold = batch_threshold
        self._batch_max_listing = batch_max_listing
        self._limit = asyncio.Semaphore(concurrency)
        self._ids: dict[str, None] = {}
        self._authors: dict[str, None] = {}
        self._statuses: dict[str, SpaceStatus] = {}
        self._since: dict[str, float] = {}
        self._from_author: dict[str, str] = {}  # id -> the author listing that reported it
        self._too_big: set[str] = set()  # namespaces whose listing costs more than it saves
        self._failures = 0
        self._wake = asyncio.Event()
        self.watch(space_ids, authors)

    # --- the watched set --------------------------------------------------------------------

    def watch(self, space_ids: Iterable[str] = (), authors: Iterable[str] = ()) -> None:
        """Add Spaces and authors; the next round (started at once by `updates`) includes them."""
        self._ids.update(dict.fromkeys(space_ids))
        self._authors.update(dict.fromkeys(authors))
        self._wake.set()

    def unwatch(self, space_ids: Iterable[str] = (), authors: Iterable[str] = ()) -> None:
        """Stop watching Spaces and authors and forget what was known about them."""
        for space_id in space_ids:
            self._ids.pop(space_id, None)
        for author in authors:
            self._authors.pop(author, None)
        for space_id in list(self._statuses):
            if not self._is_watched(space_id):
                self._forget(space_id)

    def wake(self) -> None:
        """End the current wait of `updates` early (e.g. right after a restart was requested)."""
        self._wake.set()

    @property
    def watched_ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    @property
    def watched_authors(self) -> tuple[str, ...]:
        return tuple(self._authors)

    # --- rounds -----------------------------------------------------------------------------

    async def updates(self) -> AsyncIterator[MonitorUpdate]:
        """Rounds forever: refresh, yield, wait the adaptive interval (or until woken)."""
        while True:
            update = await self.refresh()
            yield update
            await self._wait(update.next_refresh_in)

    async def refresh(self) -> MonitorUpdate:
        """One round: ask the Hub, fold the answers in, report changes and the next interval."""
        self._wake.clear()
        gathered = _Round()
        batched = self._batched_namespaces()
        listings = [*self._authors, *(ns for ns in batched if ns not in self._authors)]
        await asyncio.gather(*(self._list(author, gathered) for author in listings))
        singles = [sid for sid in self._ids if self._needs_single_fetch(sid, gathered)]
        await asyncio.gather(*(self._fetch(space_id, gathered) for space_id in singles))
        return self._fold(gathered)

    async def _list(self, author: str, gathered: _Round) -> None:
        gathered.requests += 1
        try:
            async with self._limit:
                statuses = await self._hub.list_spaces(author)
        except HubError as error:
            gathered.errors.append(error)
            gathered.failed_authors[author] = error.message
            return
        except SpacetuiError as error:
            gathered.failed_authors[author] = error.message
            return
        gathered.listed_authors.add(author)
        if author not in self._authors and len(statuses) > self._batch_max_listing:
            self._too_big.add(author)
        for status in statuses:
            if author in self._authors or status.space_id in self._ids:
                gathered.fresh[status.space_id] = status
                self._from_author[status.space_id] = author

    async def _fetch(self, space_id: str, gathered: _Round) -> None:
        gathered.requests += 1
        try:
            async with self._limit:
                gathered.fresh[space_id] = await self._hub.space_status(space_id)
        except HubError as error:
            gathered.errors.append(error)
            gathered.failed_ids[space_id] = error.message
        except SpacetuiError as error:
            gathered.failed_ids[space_id] = error.message

    def _batched_namespaces(self) -> list[str]:
        """Namespaces with enough explicit ids that one listing is cheaper than one call each."""
        counts: dict[str, int] = {}
        for space_id in self._ids:
            namespace = space_id.split("/", 1)[0]
            if namespace not in self._authors and namespace not in self._too_big:
                counts[namespace] = counts.get(namespace, 0) + 1
        return [ns for ns, count in counts.items() if count >= self._batch_threshold]

    def _needs_single_fetch(self, space_id: str, gathered: _Round) -> bool:
        """True unless a listing answered for it (or failed for it, which marks it stale)."""
        if space_id in gathered.fresh:
            return False
        namespace = space_id.split("/", 1)[0]
        if namespace in gathered.failed_authors:
            return False
        # A listing that succeeded without it: fetch it alone for a precise error (not found...).
        return True

    def _fold(self, gathered: _Round) -> MonitorUpdate:
        now = self._clock()
        changes: list[StageChanged] = []
        for space_id in sorted(gathered.fresh):
            new = gathered.fresh[space_id]
            old = self._statuses.get(space_id)
            if old is None or old.raw_stage != new.raw_stage or old.stage != new.stage:
                changes.append(StageChanged(space_id, old, new, now))
                self._since[space_id] = now
            self._statuses[space_id] = new
        for space_id in list(self._statuses):
            author = self._from_author.get(space_id)
            vanished = author in gathered.listed_authors and space_id not in gathered.fresh
            if (vanished and space_id not in self._ids) or not self._is_watched(space_id):
                self._forget(space_id)  # deleted, or no longer visible to the token
        stale = self._stale_reasons(gathered)
        return MonitorUpdate(
            statuses={sid: self._statuses[sid] for sid in sorted(self._statuses)},
            stale=stale,
            changes=tuple(changes),
            next_refresh_in=self._next_interval(gathered),
            author_errors=dict(gathered.failed_authors),
            since={sid: self._since[sid] for sid in sorted(self._since)},
        )

    def _stale_reasons(self, gathered: _Round) -> dict[str, str]:
        stale = dict(gathered.failed_ids)
        for space_id in {*self._statuses, *self._ids}:
            author = self._from_author.get(space_id) or space_id.split("/", 1)[0]
            if space_id not in gathered.fresh and author in gathered.failed_authors:
                stale[space_id] = gathered.failed_authors[author]
        return {sid: stale[sid] for sid in sorted(stale)}

    def _next_interval(self, gathered: _Round) -> float:
        # A round that leaves the quota low is spaced out whatever else decides the wait: the same
        # token also serves log streams and actions, which must not find the window spent.
        quota = self._hub.quota
        spacing = quota.spacing(gathered.requests) if quota is not None else 0.0
        transitional = any(status.stage.is_transitional for status in self._statuses.values())
        interval = self.fast_interval if transitional else self.slow_interval
        waits = [e.retry_after for e in gathered.errors if isinstance(e, RateLimited)]
        transient = [e for e in gathered.errors if not isinstance(e, RateLimited | _PERMANENT)]
        if not waits and not transient:
            self._failures = 0
            return max(interval, spacing)
        delays: list[float] = [max(waits)] if waits else []
        if transient:
            delays.append(self._backoff.delay(self._failures))
            self._failures += 1
        return max(*delays, spacing)

    async def _wait(self, seconds: float) -> None:
        """Sleep through the injected `sleep`, cut short by `wake()`/`watch()`."""
        if self._wake.is_set():
            self._wake.clear()
            return
        sleeper = asyncio.ensure_future(self._sleep(seconds))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            await asyncio.gather(sleeper, waker, return_exceptions=True)

    def _is_watched(self, space_id: str) -> bool:
        return space_id in self._ids or self._from_author.get(space_id) in self._authors

    def _forget(self, space_id: str) -> None:
        self._statuses.pop(space_id, None)
        self._since.pop(space_id, None)
        self._from_author.pop(space_id, None)
