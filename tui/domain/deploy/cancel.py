"""A cancel flag shared by the deploy engine, its upload threads and whoever asks to stop."""

from __future__ import annotations

import threading


class DeployCancelled(Exception):
    """Raised inside the upload when the deploy was cancelled; nothing was committed."""


class CancelToken:
    """Set once from any thread (Ctrl+C, a key in the app); checked between upload chunks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise DeployCancelled("deploy cancelled")
