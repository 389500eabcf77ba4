"""`redline impact ...`: event studies of market impact (docs/impact.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from redline.cli.errors import UserError
from redline.impact.align import DayZeroRule, EventSpec, Window
from redline.impact.errors import ImpactInputError
from redline.impact.models import ModelName
from redline.impact.panel import Panel, ReturnKind, from_prices, from_returns
from redline.impact.tables import read_events, read_table

if TYPE_CHECKING:
    from redline.impact.study import Study, StudyOptions

impact_app = typer.Typer(help="Event studies: abnormal returns around listings and court orders.", no_args_is_help=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Bad input becomes one line with exit code 2 (redline.cli.app.main)."""
    try:
        yield
    except ImpactInputError as exc:
        raise UserError(str(exc)) from None


EstimationOpt = Annotated[
    str, typer.Option("--estimation", help="Estimation window A:B in trading days relative to day 0.")
]
WindowOpt = Annotated[
    list[str] | None, typer.Option("--window", help="Event window A:B (repeatable). Default 0:0 and -1:1.")
]
Day0Opt = Annotated[
    DayZeroRule, typer.Option("--day0", help="Day 0 when the security did not trade on the event date.")
]
CorrectionOpt = Annotated[
    bool,
    typer.Option(
        "--forecast-correction/--no-forecast-correction",
        help="Var(AR) = sigma^2 (1 + x'(X'X)^-1 x) (on) or sigma^2 (off).",
    ),
]
MinEstOpt = Annotated[
    int | None, typer.Option("--min-estimation", help="Fewest estimation observations accepted (default: all).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Write a chart of mean AR/CAR (.png or .svg).")]
LogOpt = Annotated[bool, typer.Option("--log-returns", help="From prices, use log returns instead of simple.")]


def study_options(
    model: ModelName,
    estimation: str,
    windows: list[str] | None,
    day0: DayZeroRule,
    correction: bool,
    min_estimation: int | None,
    compat: bool = False,
) -> StudyOptions:
    parsed = tuple(Window.parse(text) for text in (windows or ["0:0", "-1:1"]))
    est = Window.parse(estimation)
    if min_estimation is not None and min_estimation < 3:
        raise ImpactInputError("--min-estimation must be at least 3")
    from redline.impact.study import StudyOptions

    return StudyOptions(model, est, parsed, day0, correction, min_estimation, compat)


@impact_app.command("study")
def study_command(
    events: Annotated[Path, typer.Option("--events", help="CSV with columns security,date.")],
    estimation: EstimationOpt,
    model: Annotated[ModelName, typer.Option("--model", help="Normal-return model.")] = ModelName.MARKET,
    returns: Annotated[
        Path | None, typer.Option("--returns", help="Wide CSV of returns: date + one column each.")
    ] = None,
    prices: Annotated[Path | None, typer.Option("--prices", help="Wide CSV of prices: date + one column each.")] = None,
    market: Annotated[str | None, typer.Option("--market", help="The market's column in the same file.")] = None,
    factors: Annotated[Path | None, typer.Option("--factors", help="Fama-French factors CSV (ff3).")] = None,
    window: WindowOpt = None,
    day0: Day0Opt = DayZeroRule.NEXT,
    forecast_correction: CorrectionOpt = True,
    min_estimation: MinEstOpt = None,
    estudy2_compat: Annotated[
        bool, typer.Option("--estudy2-compat", help="Reproduce estudy2's conventions and quirks.")
    ] = False,
    log_returns: LogOpt = False,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Run an event study on your own returns or prices."""
    with user_errors():
        if (returns is None) == (prices is None):
            raise ImpactInputError("give exactly one of --returns R.csv or --prices P.csv")
        if model in (ModelName.MARKET, ModelName.MARKET_ADJUSTED) and market is None:
            raise ImpactInputError(f"the {model.value} model needs --market COLUMN")
        if model is ModelName.FF3 and factors is None:
            raise ImpactInputError("the ff3 model needs --factors F.csv")
        options = study_options(model, estimation, window, day0, forecast_correction, min_estimation, estudy2_compat)
        panel: Panel
        if returns is not None:
            panel = from_returns(read_table(returns), market)
        else:
            assert prices is not None
            kind = ReturnKind.LOG if log_returns else ReturnKind.SIMPLE
            panel = from_prices(read_table(prices), market, kind=kind)
        if factors is not None:
            panel = panel.with_factors(read_table(factors))
        rows = read_events(events)
        specs = [EventSpec(row.security, row.date, f"{events}, line {row.line}") for row in rows]
        from redline.impact.study import run_study

        study = run_study(panel, specs, options)
        if plot is not None:
            from redline.impact.plot import plot_study

            plot_study(study, plot)
    emit(study, as_json)


def emit(study: Study, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    result = study.to_json()
    if extra:
        result.update(extra)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    console = Console(soft_wrap=True)
    for member in result.get("members", []):
        console.print(
            f"{member['id']} ({member['column']}): {member['kind']} known {member['instant']}, "
            f"first session {member['session_from']}",
            highlight=False,
        )
    for member in result.get("skipped", []):
        console.print(f"{member['id']}: skipped, {member['reason']}", highlight=False)
    for event in result.get("timeline", []):
        console.print(
            f"{event['kind']} ({event['list']}) known {event['instant']} = {event['local']}: "
            f"first session {event['session_from']}",
            highlight=False,
        )
    print_summary(result)


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:+.2f}%" if pct else f"{value:+.3f}"


def print_summary(result: dict[str, Any]) -> None:
    """Three compact tables: events, tests per day, tests per window (the JSON has everything)."""
    console = Console()
    events = RichTable(title=f"Events ({result['model']} model)")
    for column in ("security", "event", "day 0", "n", "AR day 0 (t)"):
        events.add_column(column)
    windows = result["options"]["windows"]
    for w in windows:
        events.add_column(f"CAR {w[0]}:{w[1]} (t)")
    for event in result["events"]:
        ar0 = next((a for a in event["abnormal_returns"] if a["day"] == 0), None)
        cells = [
            event["security"],
            event["event_date"],
            event["day0"],
            str(event["estimation"]["n"]),
            f"{_fmt(ar0['ar'], pct=True)} ({_fmt(ar0['t'])})" if ar0 else "-",
        ]
        cells += [f"{_fmt(c['car'], pct=True)} ({_fmt(c['t'])})" for c in event["cars"]]
        events.add_row(*cells)
    console.print(events)
    aggregate = result["aggregate"]
    days = RichTable(title=f"Per day: AAR and test statistics (p), N = {len(result['events'])}")
    days.add_column("")
    for day in aggregate["days"]:
        days.add_column(f"day {day['day']:+d}", justify="right")
    days.add_row("AAR", *[_fmt(day["aar"], pct=True) for day in aggregate["days"]])
    days.add_row("CAAR", *[_fmt(day["caar"], pct=True) for day in aggregate["days"]])
    for name in aggregate["tests"]:
        days.add_row(name, *[_cell(day["tests"].get(name)) for day in aggregate["days"]])
    console.print(days)
    table = RichTable(title="Per window: CAAR and test statistics (p)")
    table.add_column("")
    for w in aggregate["windows"]:
        table.add_column(f"{w['window'][0]}:{w['window'][1]}", justify="right")
    table.add_row("CAAR", *[_fmt(w["caar"], pct=True) for w in aggregate["windows"]])
    for name in aggregate["tests"]:
        table.add_row(name, *[_cell(w["tests"].get(name)) for w in aggregate["windows"]])
    console.print(table)


def _cell(test: dict[str, float | None] | None) -> str:
    if not test:
        return "-"
    p = "-" if test["p"] is None else f"{test['p']:.3f}"
    return f"{_fmt(test['stat'])} ({p})"


def _load_with_market(prices: Path, market: Path, kind: ReturnKind, single_name: str) -> tuple[Panel, str]:
    table = read_table(prices, single_name=single_name)
    market_table = read_table(market)
    return from_prices(table, market_table=market_table, kind=kind), market_table.names[0]


@impact_app.command("entity")
def entity_command(
    query: Annotated[str, typer.Argument(help="Entity id, exact name or alias, or ticker.")],
    prices: Annotated[Path, typer.Option("--prices", help="The security's prices: wide CSV or a Yahoo download.")],
    market: Annotated[Path, typer.Option("--market", help="The market index's prices (one series).")],
    column: Annotated[str | None, typer.Option("--column", help="The security's column in a wide file.")] = None,
    exchange: Annotated[
        str | None, typer.Option("--exchange", help="HK, US or CN: whose close decides day 0 (default: ticker).")
    ] = None,
    model: Annotated[ModelName, typer.Option("--model", help="Normal-return model.")] = ModelName.MARKET,
    estimation: EstimationOpt = "-250:-11",
    window: WindowOpt = None,
    day0: Day0Opt = DayZeroRule.NEXT,
    forecast_correction: CorrectionOpt = True,
    min_estimation: MinEstOpt = None,
    log_returns: LogOpt = False,
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default ./impact-<entity id>).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Study one entity's listing, effective-date and court-order events (from Redline's timeline)."""
    from redline.catalog import current_catalog
    from redline.impact.report import write_entity_report
    from redline.impact.timeline import (
        entity_events,
        entity_exchange,
        find_entity,
        match_column,
        security_label,
        traded_tickers,
    )

    with user_errors():
        if model is ModelName.FF3:
            raise ImpactInputError("the entity command supports constant-mean, market-adjusted and market models")
        store = current_catalog()
        entity = find_entity(store, query)
        place = entity_exchange(entity, exchange)
        kind = ReturnKind.LOG if log_returns else ReturnKind.SIMPLE
        panel, market_name = _load_with_market(prices, market, kind, security_label(entity, place))
        if column is None:
            column = panel.names[0] if len(panel.names) == 1 else None
            if column is None:
                column, matched_exchange = match_column(panel.names, entity.id, traded_tickers(store, entity))
                if exchange is None and matched_exchange:
                    # The matched ticker's exchange is where this price series trades.
                    place = entity_exchange(entity, matched_exchange)
            if not column:
                raise ImpactInputError(
                    f"no column of {prices} matches {entity.id}'s tickers; give --column", file=prices, line=1
                )
        panel.index(column)
        timeline = [e for e in entity_events(store, entity.id)]
        if not timeline:
            raise ImpactInputError(f"{entity.id} has no listing or court events in Redline's timeline")
        first, last = str(panel.dates[0]), str(panel.dates[-1])
        inside = [e for e in timeline if first <= e.session(place).isoformat() <= last]
        if not inside:
            raise ImpactInputError(f"none of {entity.id}'s events falls inside {prices} ({first} to {last})")
        specs = [EventSpec(column, e.session(place), f"{e.kind} ({e.source})") for e in inside]
        options = study_options(model, estimation, window or ["0:0", "-1:1", "0:5"], day0, forecast_correction,
                                min_estimation)  # fmt: skip
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
    emit(study, as_json, extra)
    if not as_json:
        Console(stderr=True).print(f"report written to {folder}/report.md", highlight=False)


@impact_app.command("list")
def list_command(
    list_id: Annotated[str, typer.Argument(metavar="LIST", help="CCMC_1237, NSCCMC_OFAC, NS_CMIC or DOD_1260H.")],
    on_date: Annotated[str, typer.Option("--on-date", help="The tranche: the date the entities were added.")],
    prices: Annotated[Path, typer.Option("--prices", help="Wide CSV of prices, one column per ticker (0981.HK).")],
    market: Annotated[Path, typer.Option("--market", help="The market index's prices (one series).")],
    exchange: Annotated[
        str | None, typer.Option("--exchange", help="Whose close decides day 0 when a column has no suffix.")
    ] = None,
    model: Annotated[ModelName, typer.Option("--model", help="Normal-return model.")] = ModelName.MARKET,
    estimation: EstimationOpt = "-250:-11",
    window: WindowOpt = None,
    day0: Day0Opt = DayZeroRule.NEXT,
    forecast_correction: CorrectionOpt = True,
    min_estimation: MinEstOpt = None,
    log_returns: LogOpt = False,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Cross-section of one listing tranche over the members you supply prices for."""
    from datetime import date

    from redline.catalog import current_catalog
    from redline.impact.timeline import EXCHANGES, list_members, match_column, traded_tickers
    from redline.model import ListId

    with user_errors():
        try:
            wanted = ListId(list_id.upper())
        except ValueError:
            raise ImpactInputError(f"unknown list {list_id!r}; known: {', '.join(ListId)}") from None
        try:
            day = date.fromisoformat(on_date)
        except ValueError:
            raise ImpactInputError(f"--on-date: not a date: {on_date!r} (expected YYYY-MM-DD)") from None
        if model is ModelName.FF3:
            raise ImpactInputError("the list command supports constant-mean, market-adjusted and market models")
        store = current_catalog()
        members = list_members(store, wanted, day)
        if not members:
            raise ImpactInputError(f"no entity was added to {wanted.value} on {day}")
        kind = ReturnKind.LOG if log_returns else ReturnKind.SIMPLE
        panel, market_name = _load_with_market(prices, market, kind, "security")
        specs, used, skipped = [], [], []
        for entity, event in members:
            column, code = match_column(panel.names, entity.id, traded_tickers(store, entity))
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
        options = study_options(model, estimation, window or ["0:0", "-1:1", "0:5"], day0, forecast_correction,
                                min_estimation)  # fmt: skip
        from redline.impact.study import run_study, screen_events

        screened = screen_events(panel, specs, options)
        study = run_study(panel, screened.kept, options)
        for indices in screened.merged.values():
            for index in indices[1:]:
                skipped.append({**used[index], "reason": f"same security and day 0 as {used[indices[0]]['id']}"})
        used = [used[indices[0]] for _, indices in sorted(screened.merged.items())]
        skipped.extend(screened.skipped)
        if plot is not None:
            from redline.impact.plot import plot_study

            plot_study(study, plot, title=f"{wanted.value} tranche of {day}: {len(screened.kept)} member(s)")
    extra = {"list": wanted.value, "on_date": day.isoformat(), "market": market_name, "members": used}
    emit(study, as_json, {**extra, "skipped": skipped})


@impact_app.command("fetch")
def fetch_command(
    symbols: Annotated[list[str], typer.Argument(help="Yahoo symbols, e.g. 1810.HK ^HSI.")],
    start: Annotated[str, typer.Option("--start", help="First date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--end", help="Last date, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="The wide CSV to write.")],
    base_url: Annotated[str, typer.Option("--base-url", help="The chart API's address.")] = "",
    timeout: Annotated[float, typer.Option("--timeout", help="Read timeout in seconds.")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries on errors, 429 and 5xx.")] = 3,
) -> None:
    """Download daily adjusted closes into a wide CSV (needs network access)."""
    from datetime import date

    from redline.impact.fetch import YAHOO, fetch_series, write_wide_csv

    with user_errors():
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
        rows = write_wide_csv(out, series)
    Console(stderr=True).print(f"{rows} dates x {len(series)} symbol(s) written to {out}", highlight=False)
