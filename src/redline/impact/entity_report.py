"""The entity report: a Markdown summary, one chart per event and the full JSON, written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from redline.impact.errors import ImpactInputError
from redline.impact.files import write_text_atomically
from redline.impact.plot import plot_study
from redline.impact.study import Study


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.2f}%"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def write_entity_report(study: Study, folder: Path, extra: dict[str, Any]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImpactInputError(f"cannot create the report folder {folder}: {exc.strerror}") from None
    result = {**study.to_json(), **extra}
    entity = extra["entity"]
    windows = result["options"]["windows"]
    lines = [
        f"# Market impact: {entity['name']} ({entity['column']}) against {entity['market']}",
        "",
        f"Model: {result['model']}; estimation window {result['options']['estimation']} trading days; "
        f"exchange {extra['exchange']}. Each event is dated by when it became public and mapped to the first "
        "session that could react (docs/impact.md).",
        "",
        "| event | known (New York) | first session | day 0 | n | AR day 0 | t | "
        + " | ".join(f"CAR {a}:{b} (t)" for a, b in windows)
        + " | chart |",
        "|---" * (8 + len(windows)) + "|",
    ]
    for i, (event, timeline) in enumerate(zip(result["events"], extra["timeline"], strict=True)):
        chart = f"event-{i + 1}-{timeline['kind']}.png"
        plot_study(
            study,
            folder / chart,
            rows=np.array([i]),
            title=f"{entity['column']}: {timeline['kind']} ({timeline['list']}), day 0 = {event['day0']}",
        )
        ar0 = next(a for a in event["abnormal_returns"] if a["day"] == 0)
        cars = " | ".join(f"{_pct(c['car'])} ({_num(c['t'])})" for c in event["cars"])
        lines.append(
            f"| {timeline['kind']} {timeline['list']} | {timeline['instant']} | {timeline['session_from']} | "
            f"{event['day0']} | {event['estimation']['n']} | {_pct(ar0['ar'])} | {_num(ar0['t'])} | {cars} | "
            f"![{chart}]({chart}) |"
        )
    if extra["outside_data"]:
        lines += ["", "Events outside the price data: " + ", ".join(e["kind"] for e in extra["outside_data"])]
    lines += [
        "",
        "Estimation windows may contain earlier events of the same entity; read overlapping results with care.",
    ]
    write_text_atomically(folder / "report.md", "\n".join(lines) + "\n")
    write_text_atomically(folder / "result.json", json.dumps(result, indent=2, ensure_ascii=False) + "\n")
