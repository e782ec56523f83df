"""The life of one emulated Space: stages over time, and its build and run logs.

INTERFACE CONTRACT (routes call only these members; the body is replaced by the lifecycle work):
    SpaceLife(space_id, sdk, clock, speed, hardware="cpu-basic")
    .on_commit(files: Mapping[str, bytes], sha: str)   a new revision: start a build of it
    .restart(factory: bool)                            restart (factory: rebuild without cache)
    .pause() / .set_sleep_time(seconds) / .request_hardware(flavor, sleep_time)
    .runtime() -> dict                                 the Hub's runtime JSON, stage computed now
    .log(kind: "build" | "run") -> LogFeed             replayable events of the current attempt
LogFeed:
    .events_until(t: float) -> list[LogLine]           every event with time <= t, in order
    .next_time_after(t: float) -> float | None         when the next event comes (None: none known)
    .is_closed(t: float) -> bool                       the stream ends (e.g. the build finished)
Times are epoch seconds from the emulator clock; simulated durations are divided by `speed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.emulator.clock import Clock


@dataclass(frozen=True, slots=True)
class LogLine:
    """One log event: when it happens (epoch seconds) and its text (ending in a newline)."""

    time: float
    text: str


@dataclass
class LogFeed:
    """A replayable log: a fixed list of events (the minimal placeholder implementation)."""

    lines: list[LogLine] = field(default_factory=list)
    closes_at: float | None = None

    def events_until(self, t: float) -> list[LogLine]:
        return [line for line in self.lines if line.time <= t]

    def next_time_after(self, t: float) -> float | None:
        return next((line.time for line in self.lines if line.time > t), None)

    def is_closed(self, t: float) -> bool:
        return self.closes_at is not None and t >= self.closes_at


class SpaceLife:
    """Placeholder: a commit makes the Space RUNNING at once. Replaced by the real stage machine."""

    def __init__(
        self, space_id: str, sdk: str, clock: Clock, speed: float, hardware: str | None = "cpu-basic"
    ) -> None:
        self.space_id = space_id
        self.sdk = sdk
        self.clock = clock
        self.speed = speed
        self.hardware = hardware
        self.stage = "NO_APP_FILE"
        self.sleep_time: int | None = 172800
        self._build = LogFeed()
        self._run = LogFeed()

    def on_commit(self, files: Mapping[str, bytes], sha: str) -> None:
        now = self.clock.now()
        self.stage = "RUNNING"
        self._build = LogFeed([LogLine(now, "Build done\n")], closes_at=now)
        self._run = LogFeed([LogLine(now, "Application started\n")])

    def restart(self, factory: bool) -> None:
        self.stage = "RUNNING"

    def pause(self) -> None:
        self.stage = "PAUSED"

    def set_sleep_time(self, seconds: int) -> None:
        self.sleep_time = seconds

    def request_hardware(self, flavor: str, sleep_time: int | None) -> None:
        self.hardware = flavor
        if sleep_time is not None:
            self.sleep_time = sleep_time

    def runtime(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "hardware": {"current": self.hardware, "requested": self.hardware},
            "storage": None,
            "gcTimeout": self.sleep_time,
            "replicas": {"requested": 1},
            "devMode": False,
            "domains": [],
        }

    def log(self, kind: str) -> LogFeed:
        return self._build if kind == "build" else self._run
