"""Running the service under uvicorn, with listening sockets that suit several worker processes.

`uvicorn.run(workers=N)` binds one socket in the parent and shares it with the workers. Measured on Linux with
uvicorn 0.54 (bench/service), that costs two things, both fixed here:

- The shared socket is created with protocol 0; asyncio turns on TCP_NODELAY only for accepted sockets whose
  protocol is IPPROTO_TCP, so Nagle's algorithm stays on and every keep-alive response after the first waits for
  the client's delayed ACK: ~45 ms per request (uvicorn issue #3149). Our sockets are created with IPPROTO_TCP.
- The workers race to accept on the one socket, and the winner accepts every connection already queued: a client
  that opens its connection pool in a burst (a load balancer, a screening script with a session) lands on one
  worker while the others idle. On Linux each worker binds its own socket in a SO_REUSEPORT group instead, and
  the kernel spreads connections across them by address hash (the approach of uvicorn PR #2472).
"""

from __future__ import annotations

import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "redline.server.app:create_app"
log = logging.getLogger("uvicorn.error")


def reuse_port_supported() -> bool:
    # BSDs accept SO_REUSEPORT but hand every connection to one socket; only Linux balances across the group.
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listener(host: str, port: int, reuse_port: bool) -> socket.socket:
    """A bound TCP socket (not yet listening: uvicorn's server calls listen with its backlog)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _worker_listener(host: str, port: int) -> socket.socket:
    return listener(host, port, reuse_port=True)


class WorkerListener(socket.socket):
    """The parent's socket, bound into the SO_REUSEPORT group so the port is held (and a busy port fails at
    start, once). It never listens, so it receives no connections. Pickled to a worker process (as uvicorn's
    supervisor does with its sockets), it arrives as a new socket of that worker's own, bound to the same address.
    """

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, tuple[str, int]]:
        host, port = self.getsockname()[:2]
        return (_worker_listener, (host, port))


def parent_listener(host: str, port: int) -> socket.socket:
    if not reuse_port_supported():
        return listener(host, port, reuse_port=False)  # one shared socket, but with TCP_NODELAY on its connections
    bound = listener(host, port, reuse_port=True)
    try:
        return WorkerListener(bound.family, bound.type, bound.proto, fileno=bound.detach())
    except BaseException:
        bound.close()
        raise


def serve(host: str, port: int, workers: int) -> None:
    """Serve `create_app()` on host:port with `workers` processes (one: uvicorn's own single-process server)."""
    if workers <= 1:
        # asyncio creates this listener itself, from getaddrinfo, with IPPROTO_TCP: TCP_NODELAY is already on.
        uvicorn.run(APP, factory=True, host=host, port=port)
        return
    config = uvicorn.Config(APP, factory=True, host=host, port=port, workers=workers)
    try:
        sock = parent_listener(host, port)
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", host, port, exc.strerror or exc)
        sys.exit(1)
    with sock:
        bound_port = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        log.info("Redline serving on http://%s:%d with %d workers (Press CTRL+C to quit)", shown, bound_port, workers)
        Multiprocess(config, sockets=[sock]).run()
