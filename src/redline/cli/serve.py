"""`redline serve`: the REST API and the analysts' web UI, in one app (uvicorn; several worker processes)."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console


def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs) and the analysts' pages (/; sign in with an API key).

    The database is REDLINE_DATABASE_URL (PostgreSQL) or the SQLite file under $REDLINE_HOME; uploads are limited
    to REDLINE_MAX_UPLOAD_MB (default 50).
    """
    from redline.server.runner import serve as run_server
    from redline.services.keys import KeyService
    from redline.services.status import StatusService
    from redline.services.warmup import WARM_ENV, warm

    live = KeyService.default().count_live()  # also opens and migrates the database before the workers start
    if live == 0:
        Console(stderr=True).print(
            "no API keys yet: every request will be refused. Create one with\n"
            '  redline keys create --role admin --owner "Your Name"',
            highlight=False,
        )
    # Build (or load) the name index once here and save it beside the catalog; every worker then loads it while
    # starting, before it accepts a connection, instead of building its own on the first name query.
    warm(StatusService.current())
    os.environ[WARM_ENV] = "1"
    run_server(host, port, workers)
