"""The README's regime table, generated from `data/regimes.yaml` so the documentation cannot drift from the rules."""

from __future__ import annotations

from redline.model import Regime, RegimeId

COLUMNS = ("lists", "who", "buying", "selling", "holding")
START = "<!-- regimes:start (generated from src/redline/data/regimes.yaml: redline data regimes) -->"
END = "<!-- regimes:end -->"


def regime_table(regimes: dict[RegimeId, Regime]) -> str:
    """A Markdown table, one row per regime, from each regime's `summary`."""
    lines = [
        "| regime | list(s) | who is covered | buying | selling | holding |",
        "|---|---|---|---|---|---|",
    ]
    for regime in regimes.values():
        summary = regime.summary
        cells = [f"`{regime.id.value}` — {summary.get('name', regime.title)}"]
        cells += [summary.get(column, "") for column in COLUMNS]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def readme_section(regimes: dict[RegimeId, Regime]) -> str:
    return f"{START}\n{regime_table(regimes)}\n{END}"
