"""Run blocking huggingface_hub work in a daemon thread and await its result."""

from __future__ import annotations

import asyncio
import contextlib
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
            hand_over(None, exc)
        else:
            hand_over(result, None)

    def hand_over(result: object, exc: BaseException | None) -> None:
        # A call the deploy stopped waiting for (a blocked deploy does not need the Space's
        # state) may end after its event loop closed: nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_settle, future, result, exc)

    threading.Thread(target=work, name="spacetui-deploy", daemon=True).start()
    return future


def _settle(future: asyncio.Future[object], result: object, exc: BaseException | None) -> None:
    if future.cancelled():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)
