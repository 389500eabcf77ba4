"""Self-check: every name and identifier the data prints finds its own entity.

Bundled data (entities, names, identifiers, the names the lists printed) and imported OFAC files (the committed
fixtures; the real SDN file of ../shared as a `shared` test). Identifiers must be decisive for their entity; a
name must bring its entity first, or tie at the top with another entity that carries the same name.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from redline.resolve import Record, Resolver
from redline.resolve.identifiers import MIN_PRINTED, printed_value
from redline.services.status import StatusService
from redline.sources.formats import load

FIXTURES = Path(__file__).parents[1] / "sources" / "fixtures"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("redline.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _failures(resolver: Resolver, queries: list[tuple[str, str, bool]]) -> list[str]:
    """Queries (text, own entity id, is_identifier) that do not find their own entity, with what they found."""
    failed = []
    for query, own, identifier in queries:
        found = resolver.resolve(query, limit=50)  # a name can be shared by dozens of entries (AL-AQSA FOUNDATION)
        mine = [c for c in found if c.entity_id == own]
        if identifier:
            ok = bool(mine) and mine[0].decisive
        else:
            ok = bool(mine) and mine[0].match and found[0].score - mine[0].score < 1e-9
        if not ok:
            failed.append(f"{query!r} ({own}) -> {[(c.entity_id, round(c.score, 3)) for c in found[:3]]}")
    return failed


def test_every_bundled_name_and_identifier_finds_its_entity() -> None:
    queries = {(row["name"], row["id"], False) for row in _rows("entities.csv")}
    queries |= {(row["name"], row["entity_id"], False) for row in _rows("names.csv")}
    queries |= {(row["listed_name"], row["entity_id"], False) for row in _rows("listings.csv")}
    identifiers = _rows("identifiers.csv")
    queries |= {(row["value"], row["entity_id"], True) for row in identifiers if row["scheme"] != "ticker"}
    # a ticker names a listing on a market: with its exchange it is decisive
    tickers = [row for row in identifiers if row["scheme"] == "ticker"]
    queries |= {(f"{row['value']} {row['exchange']}", row["entity_id"], True) for row in tickers}
    assert len(queries) > 1000
    assert _failures(StatusService.bundled().catalog.resolver, sorted(queries)) == []


def _ofac_queries(records: list[Record]) -> list[tuple[str, str, bool]]:
    """Every name, and every identifier of at least MIN_PRINTED letters and digits: an aircraft's serial number
    "56" or "836" names nothing on its own, so it is no decisive query."""
    queries = [(name, record.entity_id, False) for record in records for name in record.names]
    identifiers = [(i.value, r.entity_id, True) for r in records for i in r.identifiers]
    return queries + [query for query in identifiers if len(printed_value(query[0])) >= MIN_PRINTED]


@pytest.mark.parametrize("main", ["sdn_2021-07-07.csv", "cons_prim_2025-12-19.csv", "consolidated.xml"])
def test_every_name_and_identifier_of_an_ofac_fixture_finds_its_record(main: str) -> None:
    loaded = load([FIXTURES / main])
    records = [Record.from_source_record(r, loaded.source.value, "ofac:") for r in loaded.records]
    queries = _ofac_queries(records)
    assert len(queries) >= 9
    assert _failures(Resolver.from_records(records), queries) == []


@pytest.mark.shared
def test_every_name_and_identifier_of_the_real_sdn_file_finds_its_record(shared_data: Path) -> None:
    loaded = load([shared_data / "ofac" / "sdn_2021-07-07.csv"])
    records = [Record.from_source_record(r, loaded.source.value, "sdn:") for r in loaded.records]
    # every third entry's names and identifiers, against the whole list: ~7,000 queries in well under a minute
    failed = _failures(Resolver.from_records(records), _ofac_queries(records[::3]))
    assert failed == []
