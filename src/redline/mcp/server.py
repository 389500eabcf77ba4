"""The MCP server: status, match, timeline and screen_list as typed tools, each returning the stable JSON with its
signed certificate.

An interface like the API: it authenticates the caller's API key with the same roles (a viewer asks questions, an
analyst also screens), calls the services and formats; every answer is certified, so every call is recorded in the
audit log under the key's owner (door `mcp`). The key comes from the `X-API-Key` (or `Authorization: Bearer`)
header over streamable HTTP, and from REDLINE_API_KEY for a stdio server, which one client starts for itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

from redline import __version__
from redline.model import Instant, or_now
from redline.model.keys import ApiKey, Role
from redline.model.queries import QueryError
from redline.services.answers import NotIdentified, match_question, status_question, timeline_question
from redline.services.certificates import CertificateService, Certified
from redline.services.keys import KeyService
from redline.services.screen_list import MAX_ROWS, ScreenListService

KEY_HEADER = "x-api-key"
DOOR = "mcp"
INSTRUCTIONS = (
    "Redline answers whether a US person may buy, sell or hold a security under US restrictions (EO 13959/14032, "
    "DoD 1260H, OFAC SDN, CSL, UN), at an instant and as known at another. Each tool returns {answer, certificate}: "
    "the answer is Redline's stable JSON, the certificate an Ed25519-signed record of question, answer and data "
    "(verify with `redline certificate verify`). Instants are ISO 8601; a bare date is noon New York."
)


@dataclass
class McpServices:
    """What the tools call (handed in by the composition root: `McpServices.default()`)."""

    keys: KeyService
    certificates: CertificateService
    screening: ScreenListService

    @classmethod
    def default(cls) -> McpServices:
        certificates = CertificateService.default()
        return cls(KeyService.default(), certificates, ScreenListService(certificates.runs, certificates))


class ListRow(BaseModel):
    """One row of a list to screen: an identifier, a name, or both."""

    name: str | None = Field(default=None, max_length=1000)
    isin: str | None = Field(default=None, max_length=64)
    lei: str | None = Field(default=None, max_length=64)
    ticker: str | None = Field(default=None, max_length=64)
    cusip: str | None = Field(default=None, max_length=64)
    sedol: str | None = Field(default=None, max_length=64)
    figi: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, max_length=64)
    quantity: str | None = Field(default=None, max_length=64)

    model_config = {"extra": "forbid"}


Query = Annotated[str, Field(min_length=1, max_length=1000, description="ISIN, LEI, ticker or a name in any script")]
# The model's one instant type: read by `parse_instant` (a refusal names the argument), listed in the tool's schema.
When = Annotated[
    Instant | None, Field(default=None, description="ISO 8601; a bare date is noon New York. Default: now")
]


def _query(text: str) -> str:
    if not text.strip():
        raise ToolError("query is empty: give an ISIN, LEI, ticker or name")
    return text.strip()


def build_server(services: McpServices, key_from_environment: str | None = None) -> MCPServer:
    """The server; `key_from_environment` is the stdio server's key (None over HTTP: each request sends its own)."""
    server = MCPServer("redline", instructions=INSTRUCTIONS, version=__version__)

    def caller(ctx: Context, role: Role) -> ApiKey:
        headers = ctx.headers or {}
        bearer = headers.get("authorization", "")
        presented = headers.get(KEY_HEADER) or (bearer[7:] if bearer.lower().startswith("bearer ") else None)
        presented = presented or key_from_environment
        if not presented:
            raise ToolError("an API key is required: send it in the X-API-Key header (stdio: REDLINE_API_KEY)")
        key = services.keys.authenticate(presented)
        if key is None:
            raise ToolError("the API key is unknown or revoked")
        if key.role < role:
            raise ToolError(f"this needs the {role.label} role; key {key.id} ({key.owner}) is a {key.role.label}")
        return key

    def certified(ask: Callable[[], Certified]) -> dict[str, Any]:
        try:
            return ask().to_json()
        except QueryError as exc:
            raise ToolError(f"query: {exc}") from None
        except NotIdentified as exc:
            raise ToolError(str(exc)) from None

    @server.tool(title="Status")
    def status(ctx: Context, query: Query, on: When = None, known_at: When = None) -> dict[str, Any]:
        """May a US person buy, sell or hold this security or company at `on`, judged on what was known at
        `known_at`? Returns {answer: the status JSON (us_person, regimes with state, reasons, sources...),
        certificate}."""
        key = caller(ctx, Role.VIEWER)
        question = status_question(_query(query), or_now(on), or_now(known_at))
        return certified(lambda: services.certificates.ask("status", question, key.actor, DOOR))

    @server.tool(title="Match")
    def match(
        ctx: Context,
        query: Query,
        schema: Literal["Company", "Person", "Organization", "Vessel"] | None = None,
        limit: Annotated[int, Field(ge=1, le=100)] = 10,
    ) -> dict[str, Any]:
        """Listed entities matching a name in any script or an identifier, best first, each with its score and
        the reasons for it. Returns {answer, certificate}."""
        key = caller(ctx, Role.VIEWER)
        question = match_question(_query(query), schema, None, limit, None)
        return certified(lambda: services.certificates.ask("match", question, key.actor, DOOR))

    @server.tool(title="Timeline")
    def timeline(ctx: Context, query: Query, known_at: When = None) -> dict[str, Any]:
        """The entity's dated, sourced history (listings, effective dates, windows, court orders, removals) as
        known at `known_at`. Returns {answer, certificate}."""
        key = caller(ctx, Role.VIEWER)
        question = timeline_question(_query(query), or_now(known_at))
        return certified(lambda: services.certificates.ask("timeline", question, key.actor, DOOR))

    @server.tool(title="Screen a list")
    def screen_list(
        ctx: Context,
        rows: Annotated[list[ListRow], Field(min_length=1, max_length=MAX_ROWS)],
        kind: Literal["holdings", "counterparties"] = "holdings",
        on: When = None,
        known_at: When = None,
    ) -> dict[str, Any]:
        """Screen up to 1000 holdings or counterparties (analyst role): each row resolved, judged and decided,
        recorded as a screening run with its alerts. Returns {answer: the run summary, rows: each row with its
        redline_decision and reasons, certificate}."""
        key = caller(ctx, Role.ANALYST)
        given = [row.model_dump() for row in rows]
        moment, known = or_now(on), or_now(known_at)
        try:
            result = services.screening.screen(given, kind, moment, known, key.actor, DOOR)
        except ValueError as exc:
            raise ToolError(str(exc)) from None
        return result.to_json()

    return server
