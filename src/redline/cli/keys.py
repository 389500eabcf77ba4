"""`redline keys create|list|revoke`: API keys for `redline serve` (stored hashed; shown once)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.console import console as make_console
from redline.services.keys import KeyService

keys_app = typer.Typer(help="API keys for the REST service and web UI (viewer, analyst, admin).", no_args_is_help=True)


@keys_app.command("create")
def create(
    role: Annotated[str, typer.Option("--role", help="viewer (reads), analyst (screens, decides) or admin.")],
    owner: Annotated[str, typer.Option("--owner", help="Who holds the key: recorded with every write it makes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the key record and the key as JSON.")] = False,
) -> None:
    """Create a key. The key is printed once, on standard output; only its hash is stored."""
    record, key = KeyService.default().create(owner, role)
    if as_json:
        print(json.dumps({**record.to_json(), "key": key}))
        return
    Console(stderr=True).print(
        f"created {record.role.label} key {record.id} for {record.owner}; store it now, it is not shown again:",
        highlight=False,
    )
    print(key)


@keys_app.command("list")
def list_keys(as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False) -> None:
    """The keys (never the secrets): id, owner, role, when created and by whom, and revocation."""
    keys = KeyService.default().records()
    if as_json:
        print(json.dumps([k.to_json() for k in keys], indent=2))
        return
    table = Table("id", "owner", "role", "created (UTC)", "by", "revoked")
    for k in keys:
        table.add_row(k.id, k.owner, k.role.label, k.created_at[:19], k.created_by, (k.revoked_at or "")[:19])
    make_console().print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (rl_xxxxxxxx), as `keys list` shows.")]) -> None:
    """Revoke a key at once (audited). Requests made with it are refused from now on."""
    record = KeyService.default().revoke(key_id)
    print(f"revoked {record.id} ({record.owner}, {record.role.label})")
