"""Run blocking huggingface_hub work in a daemon thread and await its result."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def start_daemon_thread(func: Callable[[], T]) -> asyncio.Future[T]:
    """Start `func` in a new daemon thread; the returned future settles on the running loop.

    A daemon thread, unlike the default executor's, never keeps a process that was told to stop
    (Ctrl+C) waiting for a socket blocked on a slow server.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def work() -> None:
        try:
            result = func()
        except BaseException as exc:  # noqa: BLE001 - handed over to the awaiting task
            hand_over(functools.partial(_fail, future, exc))
        else:
            hand_over(functools.partial(_succeed, future, result))

    def hand_over(settle: Callable[[], None]) -> None:
        # A call the deploy stopped waiting for (a blocked deploy does not need the Space's
        # state) may end after its event loop closed: nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle)

    threading.Thread(target=work, name="spacetui-deploy", daemon=True).start()
    return future


def _succeed(future: asyncio.Future[T], result: T) -> None:
    if not future.cancelled():
        future.set_result(result)


def _fail(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.cancelled():
        future.set_exception(exc)
