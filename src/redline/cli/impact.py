"""`redline impact ...`: event studies of market impact (docs/impact.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from redline.model.studies import DayZeroRule, ModelName
from redline.services.impact_study import ImpactService, StudySettings, fetch_prices

impact_app = typer.Typer(help="Event studies: abnormal returns around listings and court orders.", no_args_is_help=True)


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
    settings = StudySettings(
        model, estimation, window, day0, forecast_correction, min_estimation, log_returns, estudy2_compat
    )
    result = ImpactService.current().study(events, settings, returns, prices, market, factors, plot)
    emit(result, as_json)


def emit(result: dict[str, Any], as_json: bool) -> None:
    """A study's JSON, printed as it is (--json) or as lines and three tables."""
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
    settings = StudySettings(model, estimation, window, day0, forecast_correction, min_estimation, log_returns)
    found = ImpactService.current().entity(query, prices, market, settings, column, exchange, out)
    emit(found.result, as_json)
    if not as_json:
        Console(stderr=True).print(f"report written to {found.folder}/report.md", highlight=False)


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
    settings = StudySettings(model, estimation, window, day0, forecast_correction, min_estimation, log_returns)
    emit(ImpactService.current().tranche(list_id, on_date, prices, market, settings, exchange, plot), as_json)


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
    rows = fetch_prices(symbols, start, end, out, base_url, timeout, retries)
    Console(stderr=True).print(f"{rows} dates x {len(symbols)} symbol(s) written to {out}", highlight=False)
