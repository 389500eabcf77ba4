"""The self-contained HTML report: one file, inline CSS and SVG, no scripts or external assets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader

from redline.model.display import DECISION_COLOURS, money
from redline.screen.writers import publish, temporary_beside

if TYPE_CHECKING:
    from redline.screen.pipeline import ScreenOutcome


def bars(values: dict[str, float], colours: dict[str, str] | None = None, width: int = 560) -> dict[str, Any]:
    """Geometry for a horizontal SVG bar chart (computed here so the template stays declarative)."""
    items = [(label, value) for label, value in values.items() if value]
    top = max((value for _, value in items), default=0) or 1
    rows = []
    for index, (label, value) in enumerate(items):
        rows.append(
            {
                "label": label,
                "value": value,
                "y": index * 26,
                "width": max(2, round((width - 200) * value / top)),
                "colour": (colours or {}).get(label, "#1565c0"),
            }
        )
    return {"rows": rows, "height": max(26, 26 * len(rows)), "width": width}


def summary_charts(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's two charts from a run's summary JSON (the web page of a screening draws the same)."""
    # Rows, not money: market values stay per currency and are never added across currencies.
    regime_values = {regime: data["rows"] for regime, data in summary["exposure_by_regime"].items()}
    return {"decision_chart": bars(dict(summary["decisions"]), DECISION_COLOURS), "regime_chart": bars(regime_values)}


class ReportWriter:
    def __init__(self, target: Path) -> None:
        self.target = target
        self.temporary = temporary_beside(target)

    def write(self, outcome: ScreenOutcome, source: Path) -> None:
        # autoescape=True, not select_autoescape(): that one escapes only .html/.htm/.xml names and these are .j2, so
        # a `<script>` in a name cell would have reached the report as live markup.
        environment = Environment(loader=PackageLoader("redline.screen", "templates"), autoescape=True)
        environment.filters["money"] = money
        summary = outcome.summary.to_json()
        html = environment.get_template("report.html.j2").render(
            outcome=outcome.to_json(),
            summary=summary,
            source=source.name,
            colours=DECISION_COLOURS,
            **summary_charts(summary),
        )
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.temporary.write_text(html, encoding="utf-8")

    def publish(self) -> None:
        publish(self.temporary, self.target)

    def abort(self) -> None:
        self.temporary.unlink(missing_ok=True)
