"""False REVIEWs of look-through on a held-out fund file (`heldout/HELD.csv`, written for this count and not used
to tune anything): 63 lines of large emerging-market constituents in an issuer's layout (a preamble, tickers without
exchange, a location and a currency column, A and H lines), market values and weights made up.

    .venv/bin/python bench/screen/lookthrough.py [2021-03-16 2021-09-01 ...]

Each line is screened as a holding on each date. The truth is the bundled data: `LISTED` lines are issuers with a
listing in force on both default dates; `NEAR` lines are unlisted companies whose names are close to a listed group
(its listed subsidiaries or the group's A-share company: China Railway Group vs China Railway Construction, CGN Power
vs China General Nuclear, China State Construction Engineering, listed only from 2024); the others are plainly
unlisted. A REVIEW of a plainly unlisted line is a false REVIEW; a REVIEW of a near line is a lead a person
dismisses, counted apart.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from redline.model import parse_instant
from redline.screen.evaluate import RowScreener
from redline.screen.funds import load_constituents
from redline.screen.resolution import RowResolver
from redline.store.reference import bundled_store

HELD_OUT = Path(__file__).resolve().parent / "heldout"
LISTED = {
    "981": "smic", "762": "china-unicom-hk", "728": "china-telecom-corp-ltd", "941": "china-mobile-ltd",
    "883": "cnooc-ltd", "1800": "cccc", "1186": "crcc", "1766": "crrc", "002415": "hikvision",
}  # fmt: skip
NEAR = {"390", "601390", "3311", "552", "1816", "600050", "601985", "600900", "601668"}


def main() -> None:
    book = load_constituents(HELD_OUT)
    if book.problems:
        raise SystemExit(f"held-out file not read: {book.problems}")
    store = bundled_store()
    for on in sys.argv[1:] or ["2021-03-16", "2021-09-01"]:
        instant = parse_instant(on)
        screener = RowScreener(store, "holdings", instant, RowResolver())
        counts: Counter[tuple[str, str]] = Counter()
        notes = []
        for fund in book.funds.values():
            for row in fund.constituents:
                ticker = row.identifiers.get("ticker", "")
                result = screener.screen(row, instant)
                found = [hit.entity.id for hit in result.hits] + [note.split(":", 1)[0] for note in result.notes]
                kind = "listed" if ticker in LISTED else "near" if ticker in NEAR else "unlisted"
                counts[(kind, result.decision.value)] += 1
                if kind == "listed" and LISTED[ticker] not in found:
                    notes.append(f"  missed {ticker} {row.name}: {result.decision.value} {found}")
                elif kind != "listed" and result.decision.value != "OK":
                    notes.append(f"  {kind} {ticker} {row.name}: {result.decision.value} {found}")
        lines = {kind: sum(n for (k, _), n in counts.items() if k == kind) for kind in ("listed", "near", "unlisted")}
        print(
            f"{on}: false REVIEWs {counts[('unlisted', 'REVIEW')]} of {lines['unlisted']} unlisted lines; "
            f"near-name leads {counts[('near', 'REVIEW')]} of {lines['near']}; listed lines "
            + ", ".join(f"{decision} {n}" for (kind, decision), n in sorted(counts.items()) if kind == "listed")
            + f" of {lines['listed']}"
        )
        print("\n".join(notes))


if __name__ == "__main__":
    main()
