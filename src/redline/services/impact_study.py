"""Event studies as a user runs them (docs/impact.md): on their own returns or prices, on one entity's timeline, on
one listing tranche, and fetching the prices. The CLI parses and formats; the work and its checks are here.

Each study returns its stable JSON (`Study.to_json()` plus what the use case adds); bad input is InvalidInput
naming the file, line and column (`ImpactInputError`'s one line). The catalog is handed in (`catalog_source`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redline.catalog import Catalog, current_catalog
from redline.impact.align import EventSpec, Window
from redline.impact.errors import ImpactInputError
from redline.impact.panel import Panel, from_prices, from_returns
from redline.impact.tables import read_events, read_table
from redline.model import ListId
from redline.model.studies import DayZeroRule, ModelName, ReturnKind
from redline.services.errors import InvalidInput

if TYPE_CHECKING:
    from redline.impact.study import Study, StudyOptions

DEFAULT_WINDOWS = ("0:0", "-1:1")
TIMELINE_WINDOWS = ("0:0", "-1:1", "0:5")


@contextmanager
def refused() -> Iterator[None]:
    """Bad study input is InvalidInput with its one line (where, then what)."""
    try:
        yield
    except ImpactInputError as exc:
        raise InvalidInput(str(exc)) from None


@dataclass(frozen=True)
class StudySettings:
    """A study's options as given: windows as A:B texts (None: the use case's default windows)."""

    model: ModelName = ModelName.MARKET
    estimation: str = "-250:-11"
    windows: list[str] | None = None
    day0: DayZeroRule = DayZeroRule.NEXT
    forecast_correction: bool = True
    min_estimation: int | None = None
    log_returns: bool = False
    compat: bool = False

    @property
    def return_kind(self) -> ReturnKind:
        return ReturnKind.LOG if self.log_returns else ReturnKind.SIMPLE

    def options(self, default_windows: tuple[str, ...] = DEFAULT_WINDOWS) -> StudyOptions:
        parsed = tuple(Window.parse(text) for text in (self.windows or list(default_windows)))
        est = Window.parse(self.estimation)
        if self.min_estimation is not None and self.min_estimation < 3:
            raise ImpactInputError("--min-estimation must be at least 3")
        from redline.impact.study import StudyOptions

        return StudyOptions(
            self.model, est, parsed, self.day0, self.forecast_correction, self.min_estimation, self.compat
        )


@dataclass(frozen=True)
class EntityStudy:
    """One entity's study: its JSON and the folder its report was written to."""

    result: dict[str, Any]
    folder: Path


def _result(study: Study, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    result = study.to_json()
    if extra:
        result.update(extra)
    return result


def _plot(study: Study, path: Path | None, title: str | None = None) -> None:
    if path is not None:
        from redline.impact.plot import plot_study

        plot_study(study, path, title=title)


def _load_with_market(prices: Path, market: Path, kind: ReturnKind, single_name: str) -> tuple[Panel, str]:
    table = read_table(prices, single_name=single_name)
    market_table = read_table(market)
    return from_prices(table, market_table=market_table, kind=kind), market_table.names[0]


def _timeline_model(settings: StudySettings, command: str) -> None:
    if settings.model is ModelName.FF3:
        raise ImpactInputError(f"the {command} command supports constant-mean, market-adjusted and market models")


@dataclass
class ImpactService:
    catalog_source: Callable[[], Catalog] = current_catalog

    @classmethod
    def current(cls) -> ImpactService:
        """Over the bundled data plus every imported snapshot (the catalog the status questions use)."""
        return cls(current_catalog)

    def study(
        self,
        events: Path,
        settings: StudySettings,
        returns: Path | None = None,
        prices: Path | None = None,
        market: str | None = None,
        factors: Path | None = None,
        plot: Path | None = None,
    ) -> dict[str, Any]:
        """An event study on the user's own returns or prices (exactly one of them) and events file."""
        with refused():
            if (returns is None) == (prices is None):
                raise ImpactInputError("give exactly one of --returns R.csv or --prices P.csv")
            if settings.model in (ModelName.MARKET, ModelName.MARKET_ADJUSTED) and market is None:
                raise ImpactInputError(f"the {settings.model.value} model needs --market COLUMN")
            if settings.model is ModelName.FF3 and factors is None:
                raise ImpactInputError("the ff3 model needs --factors F.csv")
            options = settings.options()
            panel: Panel
            if returns is not None:
                panel = from_returns(read_table(returns), market)
            else:
                assert prices is not None
                panel = from_prices(read_table(prices), market, kind=settings.return_kind)
            if factors is not None:
                panel = panel.with_factors(read_table(factors))
            rows = read_events(events)
            specs = [EventSpec(row.security, row.date, f"{events}, line {row.line}") for row in rows]
            from redline.impact.study import run_study

            study = run_study(panel, specs, options)
            _plot(study, plot)
        return _result(study)

    def entity(
        self,
        query: str,
        prices: Path,
        market: Path,
        settings: StudySettings,
        column: str | None = None,
        exchange: str | None = None,
        out: Path | None = None,
    ) -> EntityStudy:
        """One entity's listing, effective-date and court-order events (from the catalog's timeline), studied on
        the prices given; the report is written to `out` (default ./impact-<entity id>)."""
        from redline.impact.entity_report import write_entity_report
        from redline.impact.event_sessions import (
            entity_events,
            entity_exchange,
            find_entity,
            match_column,
            security_label,
            traded_tickers,
        )

        with refused():
            _timeline_model(settings, "entity")
            catalog = self.catalog_source()
            entity = find_entity(catalog, query)
            place = entity_exchange(entity, exchange)
            panel, market_name = _load_with_market(prices, market, settings.return_kind, security_label(entity, place))
            if column is None:
                column = panel.names[0] if len(panel.names) == 1 else None
                if column is None:
                    column, matched_exchange = match_column(panel.names, entity.id, traded_tickers(catalog, entity))
                    if exchange is None and matched_exchange:
                        # The matched ticker's exchange is where this price series trades.
                        place = entity_exchange(entity, matched_exchange)
                if not column:
                    raise ImpactInputError(
                        f"no column of {prices} matches {entity.id}'s tickers; give --column", file=prices, line=1
                    )
            panel.index(column)
            timeline = list(entity_events(catalog, entity.id))
            if not timeline:
                raise ImpactInputError(f"{entity.id} has no listing or court events in Redline's timeline")
            first, last = str(panel.dates[0]), str(panel.dates[-1])
            inside = [e for e in timeline if first <= e.session(place).isoformat() <= last]
            if not inside:
                raise ImpactInputError(f"none of {entity.id}'s events falls inside {prices} ({first} to {last})")
            specs = [EventSpec(column, e.session(place), f"{e.kind} ({e.source})") for e in inside]
            options = settings.options(TIMELINE_WINDOWS)
            from redline.impact.study import run_study, screen_events

            screened = screen_events(panel, specs, options)
            study = run_study(panel, screened.kept, options)
            folder = out or Path(f"impact-{entity.id}")
            rows: list[dict[str, Any]] = []
            for _kept, indices in sorted(screened.merged.items()):
                row: dict[str, Any] = dict(inside[indices[0]].as_json(place))
                if len(indices) > 1:
                    # One study event stands for every event of the same day 0 (screen_events says why).
                    row["kind"] = "+".join(inside[i].kind for i in indices)
                    row["same_day"] = [inside[i].as_json(place) for i in indices]
                rows.append(row)
            extra = {
                "entity": {"id": entity.id, "name": entity.name, "column": column, "market": market_name},
                "exchange": place.describe(),
                "timeline": rows,
                "outside_data": [e.as_json(place) for e in timeline if e not in inside],
                "skipped_events": screened.skipped,
            }
            write_entity_report(study, folder, extra)
        return EntityStudy(_result(study, extra), folder)

    def tranche(
        self,
        list_id: str,
        on_date: str,
        prices: Path,
        market: Path,
        settings: StudySettings,
        exchange: str | None = None,
        plot: Path | None = None,
    ) -> dict[str, Any]:
        """The cross-section of one listing tranche (the entities added to `list_id` on `on_date`) over the
        members the prices file has a column for."""
        from redline.impact.event_sessions import EXCHANGES, list_members, match_column, traded_tickers

        with refused():
            try:
                wanted = ListId(list_id.upper())
            except ValueError:
                raise ImpactInputError(f"unknown list {list_id!r}; known: {', '.join(ListId)}") from None
            try:
                day = date.fromisoformat(on_date)
            except ValueError:
                raise ImpactInputError(f"--on-date: not a date: {on_date!r} (expected YYYY-MM-DD)") from None
            _timeline_model(settings, "list")
            catalog = self.catalog_source()
            members = list_members(catalog, wanted, day)
            if not members:
                raise ImpactInputError(f"no entity was added to {wanted.value} on {day}")
            panel, market_name = _load_with_market(prices, market, settings.return_kind, "security")
            specs, used, skipped = [], [], []
            for entity, event in members:
                column, code = match_column(panel.names, entity.id, traded_tickers(catalog, entity))
                if not column:
                    skipped.append({"id": entity.id, "name": entity.name, "reason": "no price column"})
                    continue
                code = code or (exchange or "").upper()
                if code not in EXCHANGES:
                    raise ImpactInputError(f"column {column!r}: unknown exchange; give --exchange HK|US|CN")
                session = event.session(EXCHANGES[code])
                specs.append(EventSpec(column, session, f"{entity.id} ({event.source})"))
                used.append({"id": entity.id, "name": entity.name, "column": column, **event.as_json(EXCHANGES[code])})
            if not specs:
                raise ImpactInputError(f"none of the {len(members)} members has a column in {prices}", file=prices)
            options = settings.options(TIMELINE_WINDOWS)
            from redline.impact.study import run_study, screen_events

            screened = screen_events(panel, specs, options)
            study = run_study(panel, screened.kept, options)
            for indices in screened.merged.values():
                for index in indices[1:]:
                    skipped.append({**used[index], "reason": f"same security and day 0 as {used[indices[0]]['id']}"})
            used = [used[indices[0]] for _, indices in sorted(screened.merged.items())]
            skipped.extend(screened.skipped)
            _plot(study, plot, f"{wanted.value} tranche of {day}: {len(screened.kept)} member(s)")
        extra = {"list": wanted.value, "on_date": day.isoformat(), "market": market_name, "members": used}
        return _result(study, {**extra, "skipped": skipped})


def fetch_prices(
    symbols: list[str], start: str, end: str, out: Path, base_url: str = "", timeout: float = 30.0, retries: int = 3
) -> int:
    """Daily adjusted closes of `symbols` from the chart API into one wide CSV at `out`; the number of dates."""
    from redline.impact.fetch import YAHOO, fetch_series, write_wide_csv

    with refused():
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            raise ImpactInputError(f"--start/--end: not a date: {start!r} or {end!r} (expected YYYY-MM-DD)") from None
        if first > last:
            raise ImpactInputError("--start is after --end")
        series = [
            fetch_series(s, first, last, base_url=base_url or YAHOO, timeout=(5.0, timeout), retries=retries)
            for s in symbols
        ]
        return write_wide_csv(out, series)
