"""A batch of rows resolves its names together (`RowResolver.prefetch`, `Resolver.resolve_many`) before its rows are
screened one by one: every row resolves as it does alone, and only the rows that take the name route are looked up
by name."""

from __future__ import annotations

import pytest

from redline.catalog import current_catalog
from redline.screen import resolution
from redline.screen.resolution import RowResolver
from redline.screen.rows import ScreenRow

NAMES = [
    "Xiaomi Corporation",
    "Hikvision Logistics Services",  # a lead: review
    "CRRC CORP LTD A",  # a share class
    "小米集团",
    "Semiconductor Manufacturing International Corporation (SMIC)",
    "Acme Garden Supplies",
    "!!!",  # nothing to match
    "China Mobile Global 717",
    "Dawning Information Industry Co. (Sugon)",
]


def _rows() -> list[ScreenRow]:
    rows = [ScreenRow(number + 2, name=name) for number, name in enumerate(NAMES)]
    rows.append(ScreenRow(50, {"isin": "KYG9830T1067"}, name="Whatever Name The Book Gives"))  # an identifier names it
    rows.append(ScreenRow(51, name="Xiaomi Corporation", problems=["bad amount"]))  # an error row: not resolved
    rows.append(ScreenRow(52, name=NAMES[0]))  # a repeat
    return rows


def _answers(resolver: RowResolver, rows: list[ScreenRow]) -> list[list[tuple[str, bool, str, bool]]]:
    return [[(m.entity.id, m.decisive, m.explanation, m.lead) for m in resolver.resolve(row)] for row in rows]


def test_prefetched_rows_resolve_as_rows_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = current_catalog()
    alone = _answers(RowResolver(catalog), _rows())
    asked: list[list[str]] = []
    real = resolution.candidates_many

    def recording(catalog_: object, names: list[str], limit: int = 10) -> object:
        asked.append(list(names))
        return real(catalog_, names, limit)  # type: ignore[arg-type]

    monkeypatch.setattr(resolution, "candidates_many", recording)
    batched = RowResolver(catalog)
    batched.prefetch(_rows())
    assert asked == [[*NAMES[:2], "CRRC CORP LTD", *NAMES[3:]]]  # once each, in one call; not the ISIN row's name
    assert _answers(batched, _rows()) == alone
    assert len(asked) == 1  # every name was answered from the prefetch
    assert any(alone) and any(m[3] for answer in alone for m in answer)  # matches and a lead among them
