"""`redline alerts list|decide` and `redline audit verify|log`: the analyst's review and the examiner's trail."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from redline.cli.console import console as make_console
from redline.cli.errors import UserError
from redline.cli.options import INSTANT, VocabularyType
from redline.model import or_now
from redline.model.vocabulary import AlertState
from redline.services.alerts import AlertService
from redline.services.audit_log import AuditLog
from redline.settings import settings

alerts_app = typer.Typer(help="Review the alerts screening raised.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@alerts_app.command("list")
def list_alerts(
    status: Annotated[
        AlertState | None,
        typer.Option(
            "--status", click_type=VocabularyType(AlertState), help="Only alerts in this state. Default: all."
        ),
    ] = None,
    run: Annotated[str | None, typer.Option("--run", help="Only the alerts of this run id.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
) -> None:
    """List alerts, newest first, with their latest decision."""
    alerts = AlertService.default().alerts(status=status, run=run, limit=limit)
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
    decided = AlertService.default().decide(alert_ids, verdict, comment)
    for alert_id in decided:
        print(f"{alert_id[:12]} {verdict}")


@audit_app.command("head")
def head() -> None:
    """Print the chain head as SEQ:HASH. Keep it outside the database (a ticket, a signed e-mail, WORM storage):
    `audit verify --head SEQ:HASH` later proves no entry up to it was deleted or replaced, head rewound or not."""
    seq, digest = AuditLog.default().head()
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
    result = AuditLog.default().verify(head)
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
    entries = AuditLog.default().entries(limit)
    table = Table()
    for column in ("seq", "at (UTC)", "who", "action", "subject"):
        table.add_column(column)
    for entry in entries:
        table.add_row(str(entry.seq), entry.at[:19], entry.actor, entry.action, entry.subject[:40])
    make_console().print(table)


@audit_app.command("export")
def export(
    start: Annotated[
        datetime,
        typer.Option("--from", click_type=INSTANT, help="First instant (ISO 8601; a bare date is noon New York)"),
    ],
    end: Annotated[
        datetime | None, typer.Option("--to", click_type=INSTANT, help="End instant, excluded (default: now)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, csv or html")] = "json",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (atomically) instead of printing", dir_okay=False)
    ] = None,
) -> None:
    """Every question, run, decision, import and key change from --from to --to, with actor, time, data versions
    and certificate ids (no-hit screenings included): for a regulator's request."""
    from redline.cli.options import write_output
    from redline.services.audit_export import FORMATS, AuditExportService

    if fmt not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    first, last = start, or_now(end)
    if last <= first:
        raise UserError(f"--to ({last.isoformat()}) must be after --from ({first.isoformat()})")
    result = AuditExportService.default().export(first, last, settings().actor)
    data = result.render(fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_output(output, data, "audit export")
