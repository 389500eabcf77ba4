"""Official files made for the catalog tests: a complete OFAC consolidated edition built from the bundled NS-CMIC
entities, with one entry dropped and one added, as a new edition of the real list would be."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from stdnum import isin

from redline.model import IdScheme, ListId, ListingAction
from redline.model.instants import new_york_date
from redline.store.reference import bundled_store

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
DROPPED = "sensetime"
NEW_NAME = "ORIENT QUANTUM RADAR CO., LTD."
NEW_ISIN = "CNE10000QR0" + isin.calc_check_digit("CNE10000QR0")
NEW_LISTED = date(2026, 9, 1)


def _ofac_day(day: date) -> str:
    return day.strftime("%d %b %Y")


def cmic_row(uid: int, name: str, isin_code: str | None, listed: date) -> str:
    remarks = [f"ISIN {isin_code}"] if isin_code else []
    remarks.append(f"Listing Date (CMIC) {_ofac_day(listed)}")
    fields = [str(uid), f'"{name}"', "-0- ", '"CMIC-EO13959"', *["-0- "] * 7, '"' + "; ".join(remarks) + '."']
    return ",".join(fields)


def write_cons_edition(path: Path, drop: set[str], add: list[tuple[int, str, str, date]]) -> None:
    """An OFAC consolidated main file (legacy CSV) carrying every bundled NS-CMIC entity but `drop`, plus `add`."""
    store = bundled_store()
    rows = []
    for n, entity in enumerate(sorted(store.entities(), key=lambda e: e.id)):
        listed = [e for e in store.listings(entity.id) if e.list_id is ListId.NS_CMIC]
        if not listed or listed[-1].action is ListingAction.REMOVED or entity.id in drop:
            continue
        isins = entity.identifiers_of(IdScheme.ISIN)
        code = isins[0].value if isins and isin.is_valid(isins[0].value) else None
        rows.append(cmic_row(80000 + n, listed[-1].listed_name.upper(), code, new_york_date(listed[-1].valid_from)))
    rows += [cmic_row(*entry) for entry in add]
    path.write_bytes(("\r\n".join(rows) + "\r\n\x1a").encode("cp1252", errors="replace"))


@pytest.fixture
def new_edition(tmp_path: Path) -> Path:
    path = tmp_path / "cons_prim_2026-10-01.csv"
    write_cons_edition(path, {DROPPED}, [(99001, NEW_NAME, NEW_ISIN, NEW_LISTED)])
    return path
