"""Run blocking huggingface_hub work in a daemon thread and await its result."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable


def start_daemon_thread(func: Callable[[], object]) -> asyncio.Future[object]:
    """Start `func` in a new daemon thread; the returned future settles on the running loop.

    A daemon thread, unlike the default executor's, never keeps a process that was told to stop
    (Ctrl+C) waiting for a socket blocked on a slow server.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[object] = loop.create_future()

    def work() -> None:
        try:
            result: object = func()
        except BaseException as exc:  # noqa: BLE001 - handed over to the awaiting task
            loop.call_soon_threadsafe(_settle, future, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, future, result, None)

    threading.Thread(target=work, name="spacetui-deploy", daemon=True).start()
    return future


def _settle(future: asyncio.Future[object], result: object, exc: BaseException | None) -> None:
    if future.cancelled():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)
