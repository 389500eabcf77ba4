"""`redline serve`: the REST API and the analysts' web UI, in one process."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the analysts' pages (/; sign in with an API key)."""
    import uvicorn

    uvicorn.run("redline.api.app:create_app", factory=True, host=host, port=port, workers=workers)
