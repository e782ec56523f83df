"""The life of one emulated Space: stages over time, and its build and run logs.

INTERFACE CONTRACT (routes call only these members):
    SpaceLife(space_id, sdk, clock, speed, hardware="cpu-basic")
    .on_commit(files: Mapping[str, bytes], sha: str)   a new revision: start a build of it
    .restart(factory: bool)                            restart (factory: rebuild without cache)
    .pause() / .set_sleep_time(seconds) / .request_hardware(flavor, sleep_time)
    .runtime() -> dict                                 the Hub's runtime JSON, stage computed now
    .log(kind: "build" | "run") -> LogFeed             replayable events of the current attempt
    optional extras: .stage (property), `with .backdated(seconds):` for seeds
LogFeed:
    .events_until(t: float) -> list[LogLine]           every event with time <= t, in order
    .next_time_after(t: float) -> float | None         when the next event comes (None: none known)
    .is_closed(t: float) -> bool                       the stream ends (e.g. the build finished)
Times are epoch seconds from the emulator clock; simulated durations are divided by `speed`.

Design: nothing runs in the background. Every action (commit, restart, pause …) plans a timeline
of stage segments and log feeds from the clock's `now`; reading the stage or a log just looks at
that plan at the current time. Actions cancel whatever part of the old plan is still in the future.
"""

from __future__ import annotations

import bisect
import random
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from tui.emulator.buildlogs import plan_build
from tui.emulator.clock import Clock
from tui.emulator.life_config import SpaceConfig, read_config
from tui.emulator.life_steps import ImageFacts
from tui.emulator.runlogs import TICK_MAX, TICK_MIN, detect_app, plan_run

DEFAULT_SLEEP_TIME = 172800
# Simulated seconds: a static Space is served almost at once; a hardware swap starts soon after.
STATIC_PUBLISH = 2.0
HARDWARE_SWAP_DELAY = 5.0
INTERMEDIATE = ("BUILDING", "APP_STARTING", "RUNNING_BUILDING", "RUNNING_APP_STARTING")
SERVING = ("RUNNING", "RUNNING_BUILDING", "RUNNING_APP_STARTING")


@dataclass(frozen=True, slots=True)
class LogLine:
    """One log event: when it happens (epoch seconds) and its text (ending in a newline)."""

    time: float
    text: str


class Ticker:
    """An endless series of periodic lines (a serving app's requests), generated on demand.

    Line k's time and text depend only on (seed, k), so every replay is identical; generated
    lines are kept, so a long replay is built once.
    """

    def __init__(
        self, start: float, speed: float, seed: str, make: Callable[[int, float], str]
    ) -> None:
        self.start = start
        self.speed = speed
        self.seed = seed
        self.make = make
        self._lines: list[LogLine] = []
        self._times: list[float] = []
        self._lock = threading.Lock()

    def _extend_past(self, t: float) -> None:
        """Generate lines until one lies after `t`."""
        with self._lock:
            while not self._times or self._times[-1] <= t:
                k = len(self._times)
                previous = self._times[-1] if self._times else self.start
                gap = random.Random(f"{self.seed}:{k}").uniform(TICK_MIN, TICK_MAX) / self.speed
                at = previous + gap
                self._lines.append(LogLine(at, self.make(k, at) + "\n"))
                self._times.append(at)

    def lines_until(self, t: float) -> list[LogLine]:
        self._extend_past(t)
        return self._lines[: bisect.bisect_right(self._times, t)]

    def next_after(self, t: float) -> float:
        self._extend_past(t)
        return self._times[bisect.bisect_right(self._times, t)]


class LogFeed:
    """A replayable log: fixed lines, an optional endless ticker, and when the stream ends."""

    def __init__(
        self,
        start: float,
        lines: list[LogLine] | None = None,
        closes_at: float | None = None,
        ticker: Ticker | None = None,
    ) -> None:
        self.start = start
        self.lines = sorted(lines or [], key=lambda line: line.time)
        self._times = [line.time for line in self.lines]
        self.closes_at = closes_at
        self.ticker = ticker

    def _limit(self, t: float) -> float:
        return t if self.closes_at is None else min(t, self.closes_at)

    def events_until(self, t: float) -> list[LogLine]:
        limit = self._limit(t)
        fixed = self.lines[: bisect.bisect_right(self._times, limit)]
        if self.ticker is None:
            return fixed
        ticks = self.ticker.lines_until(limit)
        # Stable merge: on equal times the fixed (start-up) lines come first.
        return sorted(fixed + ticks, key=lambda line: line.time)

    def next_time_after(self, t: float) -> float | None:
        if self.is_closed(t):
            return None
        candidates = []
        index = bisect.bisect_right(self._times, t)
        if index < len(self._times):
            candidates.append(self._times[index])
        if self.ticker is not None:
            candidates.append(self.ticker.next_after(max(t, self.ticker.start)))
        if self.closes_at is not None:
            # Wake the stream when it is due to close, even with no event before.
            candidates.append(self.closes_at)
        return min(candidates) if candidates else None

    def is_closed(self, t: float) -> bool:
        return self.closes_at is not None and t >= self.closes_at

    def close(self, at: float) -> None:
        """End the stream at `at` unless it already ends earlier."""
        if self.closes_at is None or at < self.closes_at:
            self.closes_at = at


@dataclass
class _Segment:
    """From `start` on, the Space is in `stage` on hardware `current` (until the next segment)."""

    start: float
    stage: str
    current: str | None
    error: str | None = None


class SpaceLife:
    """The stage machine of one Space and its build and run logs (see the module docstring)."""

    def __init__(
        self,
        space_id: str,
        sdk: str,
        clock: Clock,
        speed: float,
        hardware: str | None = "cpu-basic",
    ) -> None:
        self.space_id = space_id
        self.sdk = sdk
        self.clock = clock
        self.speed = speed
        self.requested: str | None = hardware
        self.sleep_time: int | None = DEFAULT_SLEEP_TIME
        self._lock = threading.RLock()
        self._segments = [_Segment(clock.now(), "NO_APP_FILE", None)]
        self._builds: list[LogFeed] = []
        self._runs: list[LogFeed] = []
        self._files: Mapping[str, bytes] = {}
        self._sha = ""
        self._config: SpaceConfig | None = None
        self._image: ImageFacts | None = None
        self._cache: frozenset[str] = frozenset()
        self._attempts = 0
        self._rewind = 0.0

    # -- reading -----------------------------------------------------------------------------

    def _segment_at(self, t: float) -> _Segment:
        current = self._segments[0]
        for segment in self._segments:
            if segment.start <= t:
                current = segment
        return current

    @property
    def stage(self) -> str:
        with self._lock:
            return self._segment_at(self.clock.now()).stage

    @property
    def _static(self) -> bool:
        return (self._config.sdk if self._config else self.sdk) == "static"

    def runtime(self) -> dict[str, object]:
        """The Hub's runtime object (hub-wire §6) at the clock's current time."""
        with self._lock:
            segment = self._segment_at(self.clock.now())
            serving = segment.stage in SERVING
            if self._static:
                body: dict[str, object] = {
                    "stage": segment.stage,
                    "hardware": {"current": None, "requested": None},
                    "storage": None,
                    "replicas": {"requested": 1, "current": 1} if serving else {"requested": 1},
                }
            else:
                body = {
                    "stage": segment.stage,
                    "hardware": {"current": segment.current, "requested": self.requested},
                    "storage": None,
                    "gcTimeout": self.sleep_time,
                    "replicas": {"requested": 1, "current": 1} if serving else {"requested": 1},
                    "devMode": False,
                    "domains": [{"domain": f"{self._subdomain}.hf.space", "stage": "READY"}],
                }
            if segment.error:
                body["errorMessage"] = segment.error
            return body

    @property
    def _subdomain(self) -> str:
        return self.space_id.replace("/", "-").replace("_", "-").replace(".", "-").lower()

    def log(self, kind: str) -> LogFeed:
        """The feed a log connection made now follows: the latest started, else the next to start."""
        with self._lock:
            feeds = self._builds if kind == "build" else self._runs
            now = self.clock.now()
            started = [feed for feed in feeds if feed.start <= now]
            if started:
                return started[-1]
            if feeds:
                return feeds[0]
            return LogFeed(now, closes_at=now)

    # -- actions -----------------------------------------------------------------------------

    def _now(self) -> float:
        """When an action happens: now, or earlier inside `backdated`."""
        return self.clock.now() - self._rewind

    def on_commit(self, files: Mapping[str, bytes], sha: str) -> None:
        """A new revision on main: build it (the old app keeps serving while a new build runs)."""
        with self._lock:
            self._files, self._sha = dict(files), sha
            now = self._now()
            serving = self._segment_at(now).stage in SERVING
            self._cut(now, keep_app=serving)
            self._build(now, factory=False, serving=serving)

    def restart(self, factory: bool) -> None:
        """Restart the container; rebuild when there is no image yet, when paused, or `factory`."""
        with self._lock:
            now = self._now()
            stage = self._segment_at(now).stage
            self._cut(now, keep_app=False)
            needs_build = (
                factory
                or self._image is None
                or stage
                in (
                    "PAUSED",
                    "BUILD_ERROR",
                    "CONFIG_ERROR",
                    "NO_APP_FILE",
                    "BUILDING",
                    "RUNNING_BUILDING",
                )
            )
            if needs_build or self._static:
                self._build(now, factory=factory, serving=False)
            else:
                self._start(now, serving=False, hardware=self.requested)

    def pause(self) -> None:
        """Stop the Space until a restart: no hardware, the run log ends."""
        with self._lock:
            now = self._now()
            self._cut(now, keep_app=False)
            self._segments.append(_Segment(now, "PAUSED", None))

    def set_sleep_time(self, seconds: int) -> None:
        """The idle time before a RUNNING Space sleeps (-1 or 0: never)."""
        with self._lock:
            self.sleep_time = seconds
            self._replan_sleep(self._now())

    def request_hardware(self, flavor: str, sleep_time: int | None) -> None:
        """`requested` changes at once; a serving Space restarts onto it after a short delay."""
        with self._lock:
            now = self._now()
            self.requested = flavor
            if sleep_time is not None:
                self.sleep_time = sleep_time
            segment = self._segment_at(now)
            if segment.stage == "RUNNING":
                self._cut(now, keep_app=True)
                swap = now + HARDWARE_SWAP_DELAY / self.speed
                for feed in self._runs:
                    feed.close(swap)
                self._start(swap, serving=False, hardware=flavor)
            else:
                for future in self._segments:
                    if future.start > now and future.current is not None:
                        future.current = flavor
                self._replan_sleep(now)

    @contextmanager
    def backdated(self, seconds: float) -> Iterator[None]:
        """Actions inside happen `seconds` (simulated) ago: seeds open a Space mid-life.

        The plan is made at that past time, so every text that names a time (build banner,
        start-up banner, gunicorn's stamps) agrees with the event timestamps.
        """
        with self._lock:
            self._rewind = seconds / self.speed
            try:
                yield
            finally:
                self._rewind = 0.0

    # -- planning ----------------------------------------------------------------------------

    def _cut(self, now: float, *, keep_app: bool) -> None:
        """Cancel the future of the old plan; open logs end now (the serving app's, if kept, later)."""
        kept = [segment for segment in self._segments if segment.start <= now]
        self._segments = kept or [_Segment(now, "NO_APP_FILE", None)]
        # Only the latest started feed is ever served again; open streams keep their own reference.
        self._builds = [feed for feed in self._builds if feed.start <= now][-2:]
        self._runs = [feed for feed in self._runs if feed.start <= now][-2:]
        for feed in self._builds:
            feed.close(now)
        for feed in self._runs:
            if keep_app and feed is self._runs[-1] and not feed.is_closed(now):
                feed.closes_at = None
            else:
                feed.close(now)

    def _seed(self, what: str) -> str:
        self._attempts += 1
        return f"{self.space_id}:{self._sha}:{what}:{self._attempts}"

    def _build(self, now: float, *, factory: bool, serving: bool) -> None:
        config = read_config(self._files)
        if isinstance(config, str) and "README.md" not in self._files:
            # No README and no app either (a fresh repo): nothing to configure yet.
            if not self._has_app_file(self.sdk, None):
                config = SpaceConfig(sdk=self.sdk)
        if isinstance(config, str) or not self._has_app_file(config.sdk, config.app_file):
            # Nothing can be built: whatever served before stops now.
            for feed in self._runs:
                feed.close(now)
            if isinstance(config, str):
                self._config = None
                self._segments.append(_Segment(now, "CONFIG_ERROR", None, config))
            else:
                self._config = config
                self._segments.append(_Segment(now, "NO_APP_FILE", None))
            return
        self._config = config
        prefix = "RUNNING_" if serving else ""
        current = self._segment_at(now).current if serving else None
        if config.sdk == "static":
            self._segments.append(_Segment(now, "BUILDING", None))
            self._segments.append(_Segment(now + STATIC_PUBLISH / self.speed, "RUNNING", None))
            return
        plan = plan_build(
            self._files,
            config=config,
            sha=self._sha,
            started_at=now,
            cache=frozenset() if factory else self._cache,
            seed=self._seed("build"),
        )
        end = now + plan.duration / self.speed
        lines = [LogLine(now + offset / self.speed, text + "\n") for offset, text in plan.lines]
        self._builds.append(LogFeed(now, lines, closes_at=end))
        self._segments.append(_Segment(now, prefix + "BUILDING", current))
        self._cache = self._cache | plan.layer_keys if not factory else plan.layer_keys
        if not plan.ok:
            self._segments.append(_Segment(end, "BUILD_ERROR", None, plan.error_message))
            for feed in self._runs:
                feed.close(end)
            return
        self._image = plan.image
        self._start(end, serving=serving, hardware=self.requested)

    def _has_app_file(self, sdk: str, app_file: str | None) -> bool:
        if sdk == "docker":
            return "Dockerfile" in self._files
        default = "index.html" if sdk == "static" else "app.py"
        return (app_file or default) in self._files

    def _start(self, at: float, *, serving: bool, hardware: str | None) -> None:
        """A container starts at `at`: start-up, then RUNNING, a crash, or a start-up timeout."""
        assert self._config is not None
        config = self._config
        app = detect_app(self._image, config, self._files)
        run = plan_run(app, config=config, image=self._image, started_at=at, seed=self._seed("run"))
        speed = self.speed
        lines = [LogLine(at + offset / speed, text + "\n") for offset, text in run.lines]
        feed = LogFeed(at, lines)
        old_feeds = list(self._runs)
        self._runs.append(feed)
        current = self._segment_at(at).current if serving else None
        self._segments.append(
            _Segment(at, "RUNNING_APP_STARTING" if serving else "APP_STARTING", current)
        )
        if run.healthy_at is not None:
            healthy = at + run.healthy_at / speed
            if run.tick is not None:
                feed.ticker = Ticker(healthy, speed, run.tick_seed, run.tick)
            for old in old_feeds:
                old.close(healthy)
            self._segments.append(_Segment(healthy, "RUNNING", hardware))
            self._replan_sleep(at)
            return
        if run.exit_at is not None:
            end, message = at + run.exit_at / speed, run.error_message
        else:
            end = at + config.startup_timeout / speed
            message = f"launch timed out, space was not healthy after {config.startup_timeout_text}"
        feed.close(end)
        for old in old_feeds:
            old.close(end)
        self._segments.append(_Segment(end, "RUNTIME_ERROR", None, message))

    def _replan_sleep(self, now: float) -> None:
        """Put the planned SLEEPING segment where the sleep time says (from when RUNNING began)."""
        if self._segments[-1].stage == "SLEEPING" and self._segments[-1].start > now:
            self._segments.pop()
        last = self._segments[-1]
        if last.stage != "RUNNING" or not self._runs:
            return
        feed = self._runs[-1]
        if self.sleep_time is None or self.sleep_time <= 0:
            if feed.closes_at is not None and feed.closes_at > now:
                feed.closes_at = None
            return
        at = max(now, last.start + self.sleep_time / self.speed)
        self._segments.append(_Segment(at, "SLEEPING", None))
        if feed.closes_at is None or feed.closes_at > now:
            feed.closes_at = at
