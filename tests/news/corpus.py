"""The labelled corpus (tests/news/fixtures) read and scored: entity recall and event precision, dates included."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from redline.model import parse_instant
from redline.news import NewsReader, read_source

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Score:
    entities_expected: int = 0
    entities_found: int = 0
    events_predicted: int = 0
    events_correct: int = 0
    events_expected: int = 0
    events_recalled: int = 0
    contradictions_expected: int = 0
    contradictions_flagged: int = 0
    adverse_expected: int = 0
    adverse_found: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def entity_recall(self) -> float:
        return self.entities_found / self.entities_expected

    @property
    def event_precision(self) -> float:
        return self.events_correct / self.events_predicted if self.events_predicted else 1.0

    @property
    def adverse_recall(self) -> float:
        return self.adverse_found / self.adverse_expected if self.adverse_expected else 1.0

    @property
    def event_recall(self) -> float:
        return self.events_recalled / self.events_expected if self.events_expected else 1.0


def labels() -> dict[str, list[dict[str, Any]]]:
    loaded: dict[str, list[dict[str, Any]]] = yaml.safe_load((FIXTURES / "labels.yaml").read_text(encoding="utf-8"))
    return loaded


def score(part: str, reader: NewsReader) -> Score:
    result = Score()
    for item in labels()[part]:
        path = FIXTURES / "corpus" / item["file"]
        published = parse_instant(item["published"])
        article = read_source(str(path), None if path.suffix == ".html" else published)
        report = reader.read(article)
        found = {m.entity_id for m in report.entities}
        expected = set(item["entities"])
        result.entities_expected += len(expected)
        result.entities_found += len(expected & found)
        result.misses += [f"{item['file']}: entity {x} missed" for x in expected - found]
        truth = {(e["kind"], e["entity"], e["date"]) for e in item.get("events") or []}
        contradicted = {(e["kind"], e["entity"], e["date"]) for e in item.get("events") or [] if e.get("contradicted")}
        predicted = {e.key() for e in report.events}
        result.events_predicted += len(predicted)
        result.events_correct += len(predicted & truth)
        result.events_expected += len(truth)
        result.events_recalled += len(predicted & truth)
        result.misses += [f"{item['file']}: wrong event {x}" for x in predicted - truth]
        result.misses += [f"{item['file']}: missed event {x}" for x in truth - predicted]
        alleged = {(a["entity"], a["topic"]) for a in item.get("adverse") or []}
        result.adverse_expected += len(alleged)
        result.adverse_found += len(alleged & {(a.entity_id, a.topic) for a in report.adverse})
        flagged = {e.key() for e in report.events if e.contradicts}
        result.contradictions_expected += len(contradicted)
        result.contradictions_flagged += len(contradicted & flagged)
        result.misses += [f"{item['file']}: contradiction not flagged {x}" for x in contradicted - flagged]
        result.misses += [f"{item['file']}: wrongly flagged {x}" for x in flagged - contradicted]
    return result
