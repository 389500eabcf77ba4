"""`redline screen FILE`: one screening run over a file on this machine, recorded in the screening store.

The server's uploads and jobs have their own path (`redline.server.shared.screenings`); both end in the same
`Screening` run. Bad input (an unreadable or malformed file, a wrong --map) is InvalidInput with one line naming the
file; a store that cannot be opened is Unavailable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from redline.screen.columns import MappingError, parse_mapping
from redline.screen.interruption import request_stop
from redline.screen.pipeline import Screening, ScreenOptions, ScreenOutcome
from redline.screen.readers import InputError
from redline.services.errors import InvalidInput
from redline.services.stores import opened
from redline.store.errors import StoreError
from redline.store.screening import ScreenStore

# What a run can be asked for (the CLI's choices), the stop a signal asks for, and what a run hands back.
__all__ = ["ScreenOutcome", "ScreeningRun", "request_stop", "screen_options"]


def screen_options(
    kind: str = "holdings",
    on: datetime | None = None,
    known_at: datetime | None = None,
    output: Path | None = None,
    report: Path | None = None,
    mapping: list[str] | None = None,
    constituents: Path | None = None,
    deadline_days: int = 90,
    engine: str = "local",
    spark_master: str | None = None,
) -> ScreenOptions:
    """A run's options; `mapping` as FIELD=COLUMN texts (InvalidInput naming the one that is wrong)."""
    try:
        fields = parse_mapping(mapping or [])
    except MappingError as exc:
        raise InvalidInput(str(exc)) from None
    return ScreenOptions(
        kind=kind,
        on=on,
        known_at=known_at,
        output=output,
        report=report,
        mapping=fields,
        constituents=constituents,
        deadline_days=deadline_days,
        engine=engine,
        spark_master=spark_master,
    )


@dataclass
class ScreeningRun:
    store: ScreenStore

    @classmethod
    def default(cls) -> ScreeningRun:
        """Over the configured database (Unavailable if it cannot be opened)."""
        return cls(opened(ScreenStore))

    def run(self, file: Path, options: ScreenOptions, progress: Callable[[int], None] | None = None) -> ScreenOutcome:
        """Screen `file`: each row resolved, judged and decided; the output (and report) written, the run and its
        alerts recorded. `progress` is told how many rows are done."""
        try:
            return Screening(file, options, self.store, progress=progress).run()
        except (InputError, MappingError, StoreError) as exc:
            raise InvalidInput(str(exc)) from None
        except OSError as exc:  # an unreadable input, an unwritable output folder, a full disk
            raise InvalidInput(f"{exc.filename or file}: {exc.strerror or exc}") from None
