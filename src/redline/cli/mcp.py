"""`redline mcp`: the MCP server over stdio (default) or streamable HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from redline.cli.errors import UserError
from redline.settings import settings


def mcp(
    http: Annotated[bool, typer.Option("--http", help="Serve streamable HTTP (each request sends X-API-Key)")] = False,
    host: Annotated[str, typer.Option("--host", help="With --http: the address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="With --http: the port", min=1, max=65535)] = 8765,
) -> None:
    """Serve Redline's tools (status, match, timeline, screen_list) to AI agents over the Model Context Protocol.
    Over stdio the key is REDLINE_API_KEY (`redline keys create`); its role applies to every call."""
    from redline.mcp.server import McpServices, build_server

    services = McpServices.default()
    if http:
        server = build_server(services)
        server.run("streamable-http", host=host, port=port)
        return
    key = settings().api_key
    if not key:
        raise UserError("REDLINE_API_KEY is not set: give the server an API key (`redline keys create`)")
    if services.keys.authenticate(key) is None:
        raise UserError("REDLINE_API_KEY is unknown or revoked")
    build_server(services, key_from_environment=key).run("stdio")
