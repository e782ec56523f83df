"""A cancel flag shared by the deploy engine, its upload thread and whoever asks to stop.

The last slice of the commit body is the point of no return: once the Hub has the whole body it
may apply the commit whatever the client does; a body cut short is never applied. `enter_commit` and `cancel` decide under one lock which of the two came first,
so a cancelled deploy can say for certain that nothing was committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class DeployCancelled(Exception):
    """Raised inside the upload when the deploy was cancelled; nothing was committed."""


class CancelToken:
    """Set once from any thread (Ctrl+C, a key in the app); checked between upload slices."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._committing = False
        self._listeners: list[Callable[[], None]] = []

    def cancel(self) -> bool:
        """Ask to stop; True when no commit had started (so none will be made)."""
        with self._lock:
            self._cancelled = True
            listeners, self._listeners = self._listeners, []
            before_commit = not self._committing
        for listener in listeners:  # outside the lock: a listener may read the token
            listener()
        return before_commit

    def when_cancelled(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from the cancelling thread) once cancelled; at once if it already is.

        The upload thread reads the flag between slices, but a thread stuck in a send (a Hub
        that stopped reading) reads nothing: the engine listens, and stops waiting for it.
        """
        with self._lock:
            if not self._cancelled:
                self._listeners.append(listener)
                return
        listener()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def committing(self) -> bool:
        """True once the commit body's last slice may have been sent: a commit may land."""
        return self._committing

    def raise_if_cancelled(self) -> None:
        if self._cancelled:
            raise DeployCancelled("deploy cancelled")

    def enter_commit(self) -> None:
        """Called before the commit body's last slice: raises if cancelled first, else passes."""
        with self._lock:
            if self._cancelled:
                raise DeployCancelled("deploy cancelled")
            self._committing = True
