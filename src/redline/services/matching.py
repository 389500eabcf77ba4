"""The resolver as a user asks it: candidates for one name or identifier, for a file of queries, and scores for a
file of name pairs. Bad input (an unknown schema, a query of nothing but symbols, a malformed pairs file) is
InvalidInput naming the file, line and field."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redline.resolve import DEFAULT_THRESHOLD, QueryError, score_pair
from redline.resolve.index import load_vectorised_paths
from redline.resolve.resolver import RESOLVE_BATCH, match_json, schema_kind
from redline.screen.cells import neutralise
from redline.services.errors import InvalidInput
from redline.services.status import StatusService

# The score at or above which a candidate is a match (`--threshold`'s default).
MATCH_THRESHOLD = DEFAULT_THRESHOLD


def schema_problem(schema: str | None) -> str | None:
    """Why `schema` is refused, or None: every FollowTheMoney schema is accepted (Company, LegalEntity, ...)."""
    if schema is None:
        return None
    try:
        schema_kind(schema)
    except ValueError as exc:
        return str(exc)
    return None


def match(
    service: StatusService,
    query: str,
    schema: str | None = None,
    birth_date: str | None = None,
    limit: int = 10,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """Entities for a name or identifier, best first, each with the reasons for its score (the stable JSON)."""
    try:
        result: dict[str, Any] = service.catalog.resolver.match(
            query, schema=schema, birth_date=birth_date, limit=limit, threshold=threshold
        )
    except QueryError as exc:
        raise InvalidInput(str(exc)) from None
    return result


def match_batch(
    service: StatusService,
    queries: list[tuple[int, str]],
    source: Path,
    schema: str | None = None,
    birth_date: str | None = None,
    limit: int = 10,
    threshold: float = DEFAULT_THRESHOLD,
) -> Iterator[dict[str, Any]]:
    """One answer per (line, query) of `source`; a query that cannot be matched is an answer with its error. The
    queries are resolved a batch at a time (`Resolver.resolve_many`: the same answers, about half the time), and
    each batch's answers are written before the next is resolved."""
    resolver = service.catalog.resolver
    load_vectorised_paths()
    for start in range(0, len(queries), RESOLVE_BATCH):
        chunk = queries[start : start + RESOLVE_BATCH]
        answers = resolver.resolve_many(
            [text for _, text in chunk], schema=schema, birth_date=birth_date, limit=limit, threshold=threshold
        )
        for (line, text), answer in zip(chunk, answers, strict=True):
            if isinstance(answer, QueryError):
                yield {"query": text, "candidates": [], "error": f"{source}: line {line}: {answer}"}
            else:
                yield match_json(text, answer)


def score_pairs(source: Path, output: Path, threshold: float = DEFAULT_THRESHOLD) -> int:
    """Score each left,right[,schema] row of a CSV file; write the rows with score,match added to `output`
    (atomically, formulas neutralised). The number of pairs scored."""
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        if not {"left", "right"} <= set(fields):
            raise InvalidInput(f"{source}: line 1: the header needs columns left,right[,schema]; found {fields}")
        rows = []
        for line, row in enumerate(reader, start=2):
            schema = (row.get("schema") or "").strip() or None
            problem = schema_problem(schema)
            if problem:
                raise InvalidInput(f"{source}: line {line}: field schema: {problem}")
            try:
                score = score_pair(row["left"] or "", row["right"] or "", schema).score
            except QueryError as exc:
                raise InvalidInput(f"{source}: line {line}: field left/right: {exc}") from None
            rows.append({**row, "score": f"{score:.4f}", "match": "true" if score >= threshold else "false"})
    _write_atomically(output, [*fields, "score", "match"], rows)
    return len(rows)


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
