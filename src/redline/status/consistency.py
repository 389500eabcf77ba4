"""Compares the dates the rules compute with the dates the listing authority printed."""

from __future__ import annotations

from datetime import datetime

from redline.model import ListingAction
from redline.model.instants import NEW_YORK
from redline.model.regimes import regime_for_list
from redline.sources.bundled import ReferenceData
from redline.sources.errors import RowProblem
from redline.status.clocks import clocks_for


def _same(stated: datetime, computed: datetime | None) -> bool:
    if computed is None:
        return False
    stated_ny, computed_ny = stated.astimezone(NEW_YORK), computed.astimezone(NEW_YORK)
    # A bare stated date (noon by convention) is compared by calendar date; a stated time must match exactly.
    if (stated_ny.hour, stated_ny.minute) == (12, 0):
        return stated_ny.date() == computed_ny.date()
    return stated_ny == computed_ny


def check_stated_dates(data: ReferenceData) -> tuple[list[RowProblem], list[RowProblem]]:
    errors: list[RowProblem] = []
    for event in data.listings:
        if event.action is ListingAction.REMOVED:
            continue
        regime = regime_for_list(data.regimes, event.list_id)
        clocks = clocks_for(regime, event)
        row = data.stated_rows[event.id]
        for column, stated, computed in (
            ("stated_effective", event.stated_effective, clocks.effective_from),
            ("stated_divest_until", event.stated_divest_until, clocks.window_ends),
        ):
            if stated is not None and not _same(stated, computed):
                shown = computed.isoformat() if computed else "nothing"
                errors.append(
                    RowProblem(row.file, row.line, column, f"stated {stated.isoformat()} but the rules give {shown}")
                )
    return errors, []
