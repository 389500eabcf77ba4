"""`redline alerts list|decide` and `redline audit verify|log`: the analyst's review and the examiner's trail."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from redline.cli.console import console as make_console
from redline.cli.errors import UserError
from redline.store import audit
from redline.store.errors import StoreError
from redline.store.screening import VERDICTS, ScreenStore

alerts_app = typer.Typer(help="Review the alerts screening raised.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


def _store() -> ScreenStore:
    try:
        return ScreenStore()
    except StoreError as exc:
        raise UserError(str(exc)) from None


@alerts_app.command("list")
def list_alerts(
    status: Annotated[
        str | None, typer.Option("--status", help="open, true-match or false-positive. Default: all.")
    ] = None,
    run: Annotated[str | None, typer.Option("--run", help="Only the alerts of this run id.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
) -> None:
    """List alerts, newest first, with their latest decision."""
    if status is not None and status not in ("open", *VERDICTS):
        raise UserError(f"--status must be open, true-match or false-positive, not {status!r}")
    alerts = _store().alerts(status=status, run_id=run, limit=limit)
    if as_json:
        rows = [a.to_json() for a in alerts]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    out = make_console()
    if not alerts:
        out.print("no alerts")
        return
    table = Table()
    for column in ("id", "status", "decision", "entity", "row", "regimes", "last seen", "note"):
        table.add_column(column)
    for a in alerts:
        note = a.reopen_reason or (f"{a.verdict.actor}: {a.verdict.comment}" if a.verdict else "")
        table.add_row(
            a.id[:12], a.status, a.decision, a.entity_id, a.label, " ".join(a.regimes), a.last_seen_at[:19], note
        )
    out.print(table)


@alerts_app.command("decide")
def decide(
    alert_ids: Annotated[list[str], typer.Argument(help="Alert ids (a unique prefix of 6+ characters is enough).")],
    verdict: Annotated[str, typer.Option("--verdict", help="true-match or false-positive.")],
    comment: Annotated[str, typer.Option("--comment", help="Why: recorded in the audit log.")],
) -> None:
    """Record an analyst's decision on one or more alerts (audited)."""
    try:
        decided = _store().decide(alert_ids, verdict, comment)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    for alert_id in decided:
        print(f"{alert_id[:12]} {verdict}")


@audit_app.command("head")
def head() -> None:
    """Print the chain head as SEQ:HASH. Keep it outside the database (a ticket, a signed e-mail, WORM storage):
    `audit verify --head SEQ:HASH` later proves no entry up to it was deleted or replaced, head rewound or not."""
    seq, digest = _store().head()
    print(f"{seq}:{digest}")


@audit_app.command("verify")
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
    head: Annotated[
        str | None, typer.Option("--head", help="A head printed earlier by `redline audit head` (SEQ:HASH).")
    ] = None,
) -> None:
    """Check the hash chain, every protected row (runs, alerts, run alerts, decisions, keys, snapshots) and every
    run and decision against it. Exit 1 naming each tampered entry or row."""
    from redline.store.screening import ScreenStore

    try:
        recorded = audit.parse_head(head) if head is not None else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    result = ScreenStore().verify(head=recorded)
    if as_json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        for problem in result.problems:
            print(f"TAMPERED {problem}")
        state = "intact" if result.ok else f"{len(result.problems)} problem(s)"
        print(f"audit log {state}: {result.entries} entries, head {result.head_seq} {result.head_hash}")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("log")
def log(limit: Annotated[int, typer.Option("--limit", help="The newest N entries.")] = 50) -> None:
    """Show the newest audit entries: who did what, when."""
    store = _store()
    with store.engine.connect() as connection:
        entries = audit.entries(connection, limit)
    table = Table()
    for column in ("seq", "at (UTC)", "who", "action", "subject"):
        table.add_column(column)
    for entry in entries:
        table.add_row(str(entry.seq), entry.at[:19], entry.actor, entry.action, entry.subject[:40])
    make_console().print(table)
