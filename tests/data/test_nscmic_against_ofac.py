"""Cross-check the bundled NS-CMIC entries against OFAC's consolidated list file of 2025-12-19 (when present).

OFAC's legacy CSV quartet: `cons_prim` (one row per entry; remarks hold tickers, ISINs, LEIs and the CMIC
dates), `cons_alt` (a.k.a. and f.k.a. names) and `cons_comments` (the rest of remarks cut at 1,000 characters).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from redline.model import IdScheme, ListId
from redline.model.instants import NEW_YORK
from redline.sources.bundled import ReferenceData, load_reference

pytestmark = pytest.mark.shared


@dataclass
class OfacEntry:
    name: str
    remarks: str
    aliases: list[str] = field(default_factory=list)

    def field(self, label: str) -> date:
        found = re.search(re.escape(label) + r" (\d{2} \w{3} \d{4})", self.remarks)
        assert found, f"{self.name}: no {label}"
        return datetime.strptime(found.group(1), "%d %b %Y").date()

    def isins(self) -> set[str]:
        return set(re.findall(r"ISIN ([A-Z0-9]+)", self.remarks))

    def tickers(self) -> set[tuple[str, str]]:
        return {
            (m.group(1), m.group(2)) for m in re.finditer(r"Equity Ticker (\S+?)\s*([A-Z]{2})(?:;|\.|$)", self.remarks)
        }

    def linked_to(self) -> str | None:
        found = re.search(r"Linked To: ([^;]+?)\.?$", self.remarks.strip())
        return found.group(1) if found else None


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle) if len(row) > 1]


def _ofac_cmic(folder: Path) -> dict[str, OfacEntry]:
    comments = {row[0]: row[1] for row in _rows(folder / "cons_comments_2025-12-19.csv")}
    entries = {
        row[0]: OfacEntry(row[1].strip(), row[11] + comments.get(row[0], ""))
        for row in _rows(folder / "cons_prim_2025-12-19.csv")
        if len(row) > 11 and "CMIC-EO13959" in row[3]
    }
    for row in _rows(folder / "cons_alt_2025-12-19.csv"):
        if row[0] in entries:
            entries[row[0]].aliases.append(row[3].strip())
    return {entry.name: entry for entry in entries.values()}


@pytest.fixture(scope="module")
def bundled() -> ReferenceData:
    return load_reference()


@pytest.fixture
def ofac(shared_data: Path) -> dict[str, OfacEntry]:
    return _ofac_cmic(shared_data / "ofac")


def _nscmic(data: ReferenceData) -> dict[str, tuple[str, object]]:
    return {e.listed_name: (e.entity_id, e) for e in data.listings if e.list_id is ListId.NS_CMIC}


def test_same_68_names(ofac: dict[str, OfacEntry], bundled: ReferenceData) -> None:
    assert len(ofac) == 68
    assert set(_nscmic(bundled)) == set(ofac)


def test_every_ofac_isin_and_ticker_is_bundled(ofac: dict[str, OfacEntry], bundled: ReferenceData) -> None:
    listed = _nscmic(bundled)
    missing = []
    for name, entry in ofac.items():
        entity = bundled.entities[listed[name][0]]
        isins = {i.value for i in entity.identifiers_of(IdScheme.ISIN)}
        tickers = {(i.value, i.exchange) for i in entity.identifiers_of(IdScheme.TICKER)}
        missing += [f"{name}: ISIN {v}" for v in entry.isins() - isins]
        missing += [f"{name}: ticker {v} {x}" for v, x in entry.tickers() - tickers]
    assert not missing


def test_listing_effective_and_divestment_dates_equal(ofac: dict[str, OfacEntry], bundled: ReferenceData) -> None:
    listed = _nscmic(bundled)
    for name, entry in ofac.items():
        event = listed[name][1]
        assert event.valid_from.astimezone(NEW_YORK).date() == entry.field("Listing Date (CMIC)"), name
        assert event.stated_effective is not None and event.stated_divest_until is not None, name
        # OFAC prints dates; EO 14032 fixes the time at 12:01 a.m. ET.
        assert event.stated_effective.astimezone(NEW_YORK).date() == entry.field("Effective Date (CMIC)"), name
        assert event.stated_effective.astimezone(NEW_YORK).strftime("%H:%M") == "00:01", name
        divest = entry.field("Purchase/Sales For Divestment Date (CMIC)")
        assert event.stated_divest_until.astimezone(NEW_YORK).date() == divest, name


def test_aliases_and_links(ofac: dict[str, OfacEntry], bundled: ReferenceData) -> None:
    listed = _nscmic(bundled)
    parents: dict[str, set[str]] = defaultdict(set)
    for entity in bundled.entities.values():
        for relation in entity.relations:
            parents[entity.id].add(relation.target_id)
            parents[relation.target_id].add(entity.id)  # OFAC's "Linked To" has no direction
    for name, entry in ofac.items():
        entity = bundled.entities[listed[name][0]]
        names = {text.casefold() for text in entity.all_names()}
        # OFAC prints "HUAWEI INVESTMENT & HOLDING CO LTD" as an a.k.a. of Huawei Technologies; it is the separate
        # NS-CMIC entity huawei-holding (fact sheet), so the bundled data keeps it there: an OFAC alias may name
        # another bundled entity, but never none.
        others = {text.casefold() for other in bundled.entities.values() for text in other.all_names()}
        for alias in entry.aliases:
            assert alias.casefold() in names or alias.casefold() in others, f"{name}: {alias}"
        link = entry.linked_to()
        if link is not None:
            # the remarks end with "." which may also close the linked name ("CO., LTD.")
            target = listed.get(link + ".") or listed[link]
            assert target[0] in parents[entity.id], f"{name} -> {link}"
