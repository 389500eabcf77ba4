"""The MCP server through the SDK's own client: tools listed, status as an analyst with the same JSON and a valid
certificate as the CLI, a screening refused to a viewer and done for an analyst, every call audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client import Client

from redline.certificates import parse_public_key, verify_document
from redline.certificates.document import file_bytes
from redline.mcp.server import McpServices, build_server
from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.keys import KeyStore, Role
from tests.certificates.test_certificate_cli import XIAOMI, Run

ON, KNOWN = "2021-03-16", "2021-03-11"


def _call(key: str | None, tool: str, arguments: dict[str, Any]) -> Any:
    async def talk() -> Any:
        async with Client(build_server(McpServices.default(), key_from_environment=key)) as client:
            return await client.call_tool(tool, arguments)

    return anyio.run(talk)


def _tools(key: str) -> dict[str, Any]:
    async def talk() -> Any:
        async with Client(build_server(McpServices.default(), key_from_environment=key)) as client:
            return await client.list_tools()

    return {tool.name: tool for tool in anyio.run(talk).tools}


@pytest.fixture
def keys(home: Path) -> dict[str, str]:
    store = KeyStore()
    return {role.label: store.create(f"Agent {role.label}", role)[1] for role in (Role.VIEWER, Role.ANALYST)}


def test_tools_are_listed_with_typed_inputs(keys: dict[str, str]) -> None:
    tools = _tools(keys["viewer"])
    assert set(tools) == {"status", "match", "timeline", "screen_list"}
    status = tools["status"].input_schema
    assert status["required"] == ["query"] and set(status["properties"]) == {"query", "on", "known_at"}
    instant = status["properties"]["on"]["anyOf"][0]  # the model's Instant: a date or a date-time
    assert [form.get("format") for form in instant["anyOf"]][:2] == ["date", "date-time"]
    rows = tools["screen_list"].input_schema["properties"]["rows"]
    assert rows["maxItems"] == 1000


def test_status_as_an_analyst_matches_the_cli_and_its_certificate_verifies(
    keys: dict[str, str], redline: Run, tmp_path: Path
) -> None:
    result = _call(keys["analyst"], "status", {"query": "1810.HK", "on": ON, "known_at": KNOWN})
    assert not result.is_error, result.content
    payload = result.structured_content
    cli = json.loads(redline("status", *XIAOMI, "--json", "--certificate", str(tmp_path / "cli.json")).out)
    assert payload["answer"] == cli
    cli_body = json.loads((tmp_path / "cli.json").read_text(encoding="utf-8"))["certificate"]
    assert payload["certificate"]["certificate"]["question"] == cli_body["question"]
    assert payload["certificate"]["certificate"]["answer"] == cli_body["answer"]
    assert payload["certificate"]["certificate"]["door"] == "mcp"
    assert payload["certificate"]["certificate"]["actor"].startswith("Agent analyst")
    public = parse_public_key(redline("certificate", "public-key").out)
    assert verify_document(file_bytes(payload["certificate"]), public).ok
    with reading(engine_for()) as connection:
        issued = [e for e in audit.entries(connection) if e.action == "certificate.issue"]
    assert {e.details["door"] for e in issued} == {"mcp", "cli"}


def test_a_viewer_is_refused_a_screening_and_an_analyst_screens(keys: dict[str, str]) -> None:
    rows = [{"isin": "KYG9830T1067"}, {"name": "Acme Widgets Incorporated"}]
    refused = _call(keys["viewer"], "screen_list", {"rows": rows, "on": "2021-03-16"})
    assert refused.is_error and "needs the analyst role" in refused.content[0].text
    done = _call(keys["analyst"], "screen_list", {"rows": rows, "on": "2021-03-16", "known_at": KNOWN})
    assert not done.is_error, done.content
    payload = done.structured_content
    decisions = [row["redline_decision"] for row in payload["rows"]]
    assert len(decisions) == 2 and decisions[1] == "OK"
    assert payload["certificate"]["certificate"]["kind"] == "screening"
    assert verify_document(file_bytes(payload["certificate"])).ok


def test_keys_and_inputs_are_checked(keys: dict[str, str]) -> None:
    assert _call(None, "status", {"query": "1810.HK"}).is_error
    unknown = _call("rl_nothing_like_a_key", "status", {"query": "1810.HK"})
    assert unknown.is_error and "unknown or revoked" in unknown.content[0].text
    bad = _call(keys["viewer"], "status", {"query": "1810.HK", "on": "yesterday"})
    # refused by the model's Instant type, in the SDK's words for any argument off the schema: the field, then why
    assert bad.is_error and "\non\n" in bad.content[0].text and "not an ISO 8601 date" in bad.content[0].text
    timeline = _call(keys["viewer"], "timeline", {"query": "1810.HK", "known_at": "2021-12-31"})
    assert not timeline.is_error and timeline.structured_content["answer"]["entity"]["id"] == "xiaomi"
    nothing = _call(keys["viewer"], "timeline", {"query": "Acme Widgets Incorporated"})
    assert nothing.is_error and "no listed entity" in nothing.content[0].text


def test_redline_mcp_over_stdio(keys: dict[str, str], home: Path) -> None:
    """The real command, started by the SDK's stdio client, with the key in REDLINE_API_KEY."""
    import os
    import sys

    from mcp.client.stdio import StdioServerParameters

    environment = {**os.environ, "REDLINE_HOME": str(home), "REDLINE_API_KEY": keys["viewer"]}
    server = StdioServerParameters(
        command=sys.executable, args=["-c", "from redline.cli.app import main; main()", "mcp"], env=environment
    )

    async def talk() -> Any:
        async with Client(server) as client:
            listed = await client.list_tools()
            answered = await client.call_tool("status", {"query": "1810.HK", "on": ON, "known_at": KNOWN})
            refused = await client.call_tool("screen_list", {"rows": [{"name": "Xiaomi"}]})
            return listed, answered, refused

    listed, answered, refused = anyio.run(talk)
    assert {tool.name for tool in listed.tools} == {"status", "match", "timeline", "screen_list"}
    assert answered.structured_content["answer"]["entity"]["id"] == "xiaomi"
    assert verify_document(file_bytes(answered.structured_content["certificate"])).ok
    assert refused.is_error and "needs the analyst role" in refused.content[0].text
