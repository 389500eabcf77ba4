"""`redline match QUERY` and `redline match-pairs IN.csv -o OUT.csv`: the resolver from the command line."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.errors import UserError
from redline.resolve import DEFAULT_THRESHOLD, QueryError, score_pair
from redline.screen.cells import neutralise

SCHEMAS = ("Company", "Person", "Organization", "Vessel")


def _check_schema(schema: str | None) -> None:
    if schema is not None and schema not in SCHEMAS:
        raise UserError(f"--schema must be one of {', '.join(SCHEMAS)}, not {schema!r}")


def match(
    query: Annotated[str, typer.Argument(help="A name in any script, or an identifier (ISIN, LEI, ticker...)")],
    schema: Annotated[str | None, typer.Option("--schema", help="Company, Person, Organization or Vessel")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY or YYYY-MM-DD, for persons")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form")] = False,
    bundled_only: Annotated[
        bool, typer.Option("--bundled-only", help="Only the bundled China lists, not imported list snapshots")
    ] = False,
) -> None:
    """Find list entities for a name or identifier, best first, each with the reasons for its score.

    Searches the catalog: the bundled China lists plus every imported list snapshot (`redline sources add`).
    """
    _check_schema(schema)
    from redline.status.service import StatusService

    service = StatusService.bundled() if bundled_only else StatusService.current()
    try:
        result = service.catalog.resolver.match(
            query, schema=schema, birth_date=birth_date, limit=limit, threshold=threshold
        )
    except QueryError as exc:
        raise UserError(str(exc)) from None
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not result["candidates"]:
        shown = query if len(query) <= 80 else query[:77] + "..."
        console.print(f"no candidates for {shown!r}", highlight=False)
        return
    table = Table("score", "match", "entity", "name", "lists", "why")
    for c in result["candidates"]:
        why = c["explanation"]["identifier"] or "; ".join(c["explanation"]["features"])
        flag = "decisive" if c["decisive"] else ("yes" if c["match"] else "review")
        table.add_row(f"{c['score']:.2f}", flag, c["entity_id"], c["name"], " ".join(c["lists"]), why)
    console.print(table)


def match_pairs(
    source: Annotated[Path, typer.Argument(help="CSV with columns left,right[,schema]")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the rows with score,match added")],
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = DEFAULT_THRESHOLD,
) -> None:
    """Score name pairs from a CSV file (for evaluation and your own tests); writes the file atomically."""
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UserError(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        if not {"left", "right"} <= set(fields):
            raise UserError(f"{source}: line 1: the header needs columns left,right[,schema]; found {fields}")
        rows = []
        for line, row in enumerate(reader, start=2):
            schema = (row.get("schema") or "").strip() or None
            if schema is not None and schema not in SCHEMAS:
                raise UserError(f"{source}: line {line}: field schema: {schema!r} is not one of {', '.join(SCHEMAS)}")
            try:
                score = score_pair(row["left"] or "", row["right"] or "", schema).score
            except QueryError as exc:
                raise UserError(f"{source}: line {line}: field left/right: {exc}") from None
            rows.append({**row, "score": f"{score:.4f}", "match": "true" if score >= threshold else "false"})
    _write_atomically(output, [*fields, "score", "match"], rows)
    Console(stderr=True).print(f"{len(rows)} pairs scored -> {output}", highlight=False)


def _write_atomically(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
            writer.writerow({field: neutralise(field) for field in fields})
            writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
