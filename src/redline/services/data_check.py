"""`redline data check` and the tables generated from the bundled data: the checks run here, the CLI prints.

Each check returns row-level problems (file, line, field, message); the service gathers them into errors and
warnings, so any door can show the same verdict on the bundled data (or on a copy of its files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from redline.screen.decisions import unknown_decisions
from redline.sources.bundled import load_reference
from redline.sources.check import (
    check_duplicate_entities,
    check_event_times,
    check_fund_rule,
    check_identifiers,
    check_list_feeds,
    check_listed_entities,
    check_listed_names,
    check_note_dates,
    check_relations,
)
from redline.sources.errors import RowProblem, SourceError
from redline.status.answer import missing_states
from redline.status.consistency import check_stated_dates
from redline.status.regime_table import readme_section


@dataclass
class DataCheck:
    """The verdict on the bundled data: each problem as one line (file:line [field]: message)."""

    loaded: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.loaded and not self.errors


def check_data(directory: Path | None = None) -> DataCheck:
    """Schema, dates, check digits, duplicates and sourcing of the bundled data (or of a copy in `directory`).
    Data that does not load is a verdict too (`loaded` False, the load's problems as errors)."""
    try:
        data = load_reference(directory)
    except SourceError as exc:
        return DataCheck(False, [str(problem) for problem in exc.problems])
    errors, warnings = check_identifiers(data)
    errors += check_duplicate_entities(data) + check_listed_entities(data) + check_listed_names(data)
    errors += check_relations(data) + check_event_times(data) + check_note_dates(data)
    errors += check_list_feeds(data, directory) + check_fund_rule(data)
    errors += [RowProblem("states.yaml", None, None, message) for message in missing_states(data.states)]
    errors += [RowProblem("decisions.yaml", None, None, message) for message in unknown_decisions(data.decisions)]
    stated_errors, stated_warnings = check_stated_dates(data)
    errors += stated_errors
    warnings += stated_warnings
    summary = (
        f"{len(data.entities)} entities, {len(data.listings)} listing events, {len(data.court_orders)} court "
        f"orders, {len(data.citations)} sources: {len(errors)} error(s), {len(warnings)} warning(s)"
    )
    return DataCheck(True, [str(p) for p in errors], [str(p) for p in warnings], summary)


def regime_table() -> str:
    """The README's regime table, generated from regimes.yaml."""
    return readme_section(load_reference().regimes)
