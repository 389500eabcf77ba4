"""`redline serve`: the REST API (and, later, the analysts' web UI)."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs)."""
    from redline.api.server import serve as run_server

    run_server(host, port, workers)
