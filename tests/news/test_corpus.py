"""The issue's bar on the labelled corpus: entity recall >= 0.9 and event precision >= 0.9 (dates included), on the
part used while writing the extractor (dev) and on the part held out (heldout); every false claim is flagged."""

from __future__ import annotations

import pytest

from redline.news import NewsReader
from tests.news.corpus import labels, score


@pytest.fixture(scope="module")
def reader() -> NewsReader:
    return NewsReader()


def test_the_corpus_has_at_least_thirty_articles_a_third_held_out() -> None:
    parts = labels()
    total = len(parts["dev"]) + len(parts["heldout"])
    assert total >= 30
    assert len(parts["heldout"]) >= total // 3


@pytest.mark.parametrize("part", ["dev", "heldout"])
def test_entity_recall_and_event_precision(part: str, reader: NewsReader) -> None:
    result = score(part, reader)
    print(f"{part}: entity recall {result.entity_recall:.3f}, event precision {result.event_precision:.3f} "
          f"({result.events_correct}/{result.events_predicted}), event recall {result.event_recall:.3f}")  # fmt: skip
    assert result.entity_recall >= 0.9, result.misses
    assert result.event_precision >= 0.9, result.misses
    assert result.contradictions_flagged == result.contradictions_expected, result.misses
    assert result.adverse_recall == 1.0  # every labelled allegation, with its topic
