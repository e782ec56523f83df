"""The emulator's listening socket: accepted connections must get TCP_NODELAY from asyncio."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tui.emulator.server import _listening_socket


async def test_accepted_connections_have_nagle_disabled() -> None:
    # Without TCP_NODELAY a response written as headers then body waits for the client's delayed
    # ACK (40 ms per keep-alive request); asyncio sets it only when the socket says IPPROTO_TCP.
    listener = _listening_socket("127.0.0.1", 0)
    assert listener.proto == socket.IPPROTO_TCP
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
    try:
        port = listener.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await asyncio.wait_for(seen, 5) != 0
        writer.close()
    finally:
        server.close()
        await server.wait_closed()


def test_a_busy_port_is_a_plain_os_error() -> None:
    first = _listening_socket("127.0.0.1", 0)
    try:
        with pytest.raises(OSError):
            _listening_socket("127.0.0.1", first.getsockname()[1])
    finally:
        first.close()
