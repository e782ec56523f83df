"""`SpaceMonitor`: watches Spaces by id and by author and reports ordered stage changes.

One round costs one paginated listing per watched author (with `expand=runtime`), plus one request
per explicit id that no listing covers. Explicit ids that crowd one namespace are answered by a
listing of that namespace when its pages cost fewer requests than the ids would: the listing is cut
off once it has cost as many pages as the ids would cost requests, and its page count is kept to
decide the next rounds. Rounds repeat fast while a Space is transitional (slowing down while
nothing moves) and slowly when all are stable. A failed request never loses what was known: the
last good status stays, marked stale with the reason; 429 waits what the Hub says, 5xx and network
errors back off. Rounds never use more than half of the Hub's rate-limit quota over its window,
and when the Hub reports under 10% of it left they are spaced so the rest lasts until the reset.
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
        concurrency: int = 8,
        quiet_cap: float = 10.0,
        quota_share: float = 0.5,
    ) -> None:
        """`quiet_cap`: the longest wait while a Space is transitional but nothing moves (the fast
        interval doubles each such round); `quota_share`: the most of the Hub's rate-limit quota
        the rounds may use over a window (the same token also serves logs and actions)."""
        self._hub = hub
        self._clock = clock
        self._sleep = sleep
        self.fast_interval = fast_interval
        self.slow_interval = slow_interval
        self._backoff = backoff or Backoff(first=1.0, factor=2.0, cap=max(slow_interval, 1.0))
        self._batch_threshold = batch_threshold
        self.quiet_cap = quiet_cap
        self.quota_share = quota_share
        self._limit = asyncio.Semaphore(concurrency)
        self._ids: dict[str, None] = {}
        self._authors: dict[str, None] = {}
        self._statuses: dict[str, SpaceStatus] = {}
        self._since: dict[str, float] = {}
        self._from_author: dict[str, str] = {}  # id -> the author listing that reported it
        # Namespace -> pages its listing took last time (at least that many when it was cut off).
        self._pages: dict[str, int] = {}
        self._failures = 0
        self._quiet_rounds = 0  # rounds in a row without a stage change
        self._hurry = False  # woken on purpose: the next wait is the fast one again
        self._wake = asyncio.Event()
        self.watch(space_ids, authors)

    # --- the watched set --------------------------------------------------------------------

    def watch(self, space_ids: Iterable[str] = (), authors: Iterable[str] = ()) -> None:
        """Add Spaces and authors; the next round (started at once by `updates`) includes them."""
        self._ids.update(dict.fromkeys(space_ids))
        self._authors.update(dict.fromkeys(authors))
        self._hurry = True
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
        self._hurry = True  # something is about to move: follow it at the fast pace again
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
        listings: dict[str, int | None] = dict.fromkeys(self._authors)
        listings |= self._batched_namespaces()
        await asyncio.gather(
            *(self._list(author, pages, gathered) for author, pages in listings.items())
        )
        singles = [sid for sid in self._ids if self._needs_single_fetch(sid, gathered)]
        await asyncio.gather(*(self._fetch(space_id, gathered) for space_id in singles))
        return self._fold(gathered)

    async def _list(self, author: str, max_pages: int | None, gathered: _Round) -> None:
        """List `author` (at most `max_pages` pages for a namespace listed instead of its ids)."""
        try:
            async with self._limit:
                listing = await self._hub.list_spaces_paged(author, max_pages=max_pages)
        except HubError as error:
            gathered.requests += 1
            gathered.errors.append(error)
            gathered.failed_authors[author] = error.message
            return
        except SpacetuiError as error:
            gathered.requests += 1
            gathered.failed_authors[author] = error.message
            return
        gathered.requests += listing.pages
        self._pages[author] = listing.pages + (0 if listing.complete else 1)
        if listing.complete:
            gathered.listed_authors.add(author)
        # A cut-off listing still answers the ids on its pages; the rest are fetched one by one.
        for status in listing.statuses:
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

    def _batched_namespaces(self) -> dict[str, int]:
        """Namespaces whose listing costs fewer requests than their explicit ids -> page budget.

        A listing never seen is assumed to take one page; it is cut off after `count - 1` pages
        (one fewer than the ids would cost), so a huge namespace costs at most that much once,
        and is then left to single requests until more of its ids are watched.
        """
        counts: dict[str, int] = {}
        for space_id in self._ids:
            namespace = space_id.split("/", 1)[0]
            if namespace not in self._authors:
                counts[namespace] = counts.get(namespace, 0) + 1
        return {
            namespace: count - 1
            for namespace, count in counts.items()
            if count >= self._batch_threshold and self._pages.get(namespace, 1) < count
        }

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
            next_refresh_in=self._next_interval(gathered, moved=bool(changes)),
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

    def _next_interval(self, gathered: _Round, *, moved: bool) -> float:
        # A round that leaves the quota low, or that would spend more than its share of a window,
        # is spaced out whatever else decides the wait: the same token also serves log streams
        # and actions, which must not find the window spent.
        quota = self._hub.quota
        spacing = 0.0
        if quota is not None:
            cost = gathered.requests
            spacing = max(quota.spacing(cost), quota.steady_spacing(cost, self.quota_share))
        self._quiet_rounds = 0 if moved or self._hurry else self._quiet_rounds + 1
        self._hurry = False
        transitional = any(status.stage.is_transitional for status in self._statuses.values())
        interval = self.slow_interval
        if transitional:
            # A build that shows nothing new for a while is polled less and less often.
            quiet = self.fast_interval * 2 ** min(self._quiet_rounds, 16)
            interval = min(quiet, max(self.fast_interval, self.quiet_cap))
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
