"""`redline serve`'s listening sockets: TCP_NODELAY for every connection, one socket per worker on Linux."""

from __future__ import annotations

import socket
from multiprocessing.reduction import ForkingPickler

import pytest

from redline.server.runner import WorkerListener, listener, parent_listener, reuse_port_supported


def test_listeners_are_tcp_so_asyncio_sets_nodelay_on_their_connections() -> None:
    # asyncio turns TCP_NODELAY on only for accepted sockets whose protocol is IPPROTO_TCP; with 0 (uvicorn's
    # own socket for several workers) every keep-alive response waited for the client's delayed ACK.
    with listener("127.0.0.1", 0, reuse_port=False) as sock:
        assert sock.proto == socket.IPPROTO_TCP and sock.type == socket.SOCK_STREAM


@pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT balancing is Linux-only")
def test_each_worker_unpickles_its_own_socket_on_the_same_port() -> None:
    with parent_listener("127.0.0.1", 0) as parent:
        assert isinstance(parent, WorkerListener)
        workers = [ForkingPickler.loads(ForkingPickler.dumps(parent)) for _ in range(2)]
        try:
            assert {w.getsockname() for w in workers} == {parent.getsockname()}
            assert len({parent.fileno(), *(w.fileno() for w in workers)}) == 3  # three sockets, not one shared
            for worker in workers:
                assert worker.proto == socket.IPPROTO_TCP
                assert worker.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
                worker.listen()
            # Both listen at once; a connection reaches one of them.
            with socket.create_connection(parent.getsockname()[:2], timeout=5):
                pass
        finally:
            for worker in workers:
                worker.close()


def test_a_port_held_by_another_program_fails_at_start() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(OSError):
            parent_listener("127.0.0.1", other.getsockname()[1])
