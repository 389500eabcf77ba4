"""Running a screening in-process on a given store, for tests."""

from __future__ import annotations

import csv
from pathlib import Path

from redline.model import parse_instant
from redline.screen.pipeline import Screening, ScreenOptions, ScreenOutcome
from redline.store.reference import ReferenceStore
from redline.store.screening import ScreenStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(
    path: Path,
    store: ScreenStore,
    output: Path,
    kind: str = "holdings",
    on: str | None = None,
    known_at: str | None = None,
    reference: ReferenceStore | None = None,
    **extra: object,
) -> ScreenOutcome:
    options = ScreenOptions(
        kind=kind,
        on=parse_instant(on) if on else None,
        known_at=parse_instant(known_at) if known_at else None,
        output=output,
        **extra,  # type: ignore[arg-type]
    )
    return Screening(path, options, store, reference=reference).run()


def decisions_by_line(output: Path) -> dict[int, dict[str, str]]:
    with output.open(encoding="utf-8", newline="") as handle:
        return {number: row for number, row in enumerate(csv.DictReader(handle), start=2)}
