"""`redline match QUERY` and `redline match-pairs IN.csv -o OUT.csv`: the resolver from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.certificate import CertificateOption, certified_answer
from redline.cli.errors import UserError
from redline.services.answers import match_question
from redline.services.matching import MATCH_THRESHOLD, match_batch, schema_problem, score_pairs
from redline.services.matching import match as match_query


def _check_schema(schema: str | None) -> None:
    problem = schema_problem(schema)
    if problem:
        raise UserError(f"--schema: {problem}")


def match(
    query: Annotated[
        str | None, typer.Argument(help="A name in any script, or an identifier (ISIN, LEI, ticker...)")
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="A FollowTheMoney schema: Company, Person, LegalEntity, Vessel...")
    ] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY or YYYY-MM-DD, for persons")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 10,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = MATCH_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form")] = False,
    bundled_only: Annotated[
        bool, typer.Option("--bundled-only", help="Only the bundled China lists, not imported list snapshots")
    ] = False,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="Queries from FILE (one a line, or a CSV with a `query` column); one JSON object per line out",
        ),
    ] = None,
    certificate: CertificateOption = None,
) -> None:
    """Find list entities for a name or identifier, best first, each with the reasons for its score.

    Searches the catalog: the bundled China lists plus every imported list snapshot (`redline sources add`).
    """
    _check_schema(schema)
    if (query is None) == (batch is None):
        raise UserError("give a QUERY or --batch FILE (not both)")
    if certificate is not None and batch is not None:
        raise UserError("--certificate certifies one answer: give a QUERY, not --batch")
    queries = _batch_queries(batch) if batch is not None else []
    from redline.services.status import StatusService

    service = StatusService.bundled() if bundled_only else StatusService.current()
    if batch is not None:
        for result in match_batch(service, queries, batch, schema, birth_date, limit, threshold):
            print(json.dumps(result, ensure_ascii=False), flush=False)
        return
    assert query is not None
    if certificate is not None:
        question = match_question(query, schema, birth_date, limit, threshold)
        result = certified_answer(certificate, "match", question, bundled_only)
    else:
        result = match_query(service, query, schema, birth_date, limit, threshold)
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
        features = c["explanation"]["features"]
        identifier = c["explanation"]["identifier"]
        why = "; ".join([identifier, *features[1:]]) if identifier else "; ".join(features)
        flag = "decisive" if c["decisive"] else ("yes" if c["match"] else "review")
        table.add_row(f"{c['score']:.2f}", flag, c["entity_id"], c["name"], " ".join(c["lists"]), why)
    console.print(table)


def _batch_queries(path: Path) -> list[tuple[int, str]]:
    """(line, query) from a file of one query a line, or from the `query` column of a CSV file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    lines = text.splitlines()
    if lines and "query" in next(csv.reader([lines[0]])):
        rows = csv.DictReader(io.StringIO(text, newline=""))
        return [(n, row["query"]) for n, row in enumerate(rows, start=2) if (row.get("query") or "").strip()]
    return [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]


def match_pairs(
    source: Annotated[Path, typer.Argument(help="CSV with columns left,right[,schema]")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the rows with score,match added")],
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = MATCH_THRESHOLD,
) -> None:
    """Score name pairs from a CSV file (for evaluation and your own tests); writes the file atomically."""
    scored = score_pairs(source, output, threshold)
    Console(stderr=True).print(f"{scored} pairs scored -> {output}", highlight=False)
