"""The entity chart: 1260H drawn as "listed, no investment ban", the axis reaching today, labels apart."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from redline.server.web.timeline_chart import CHAR_WIDTH, render_timeline_svg
from redline.status.timeline import timeline
from redline.store.reference import bundled_store

TODAY = datetime(2026, 11, 1, tzinfo=UTC)
LABEL = re.compile(r'<text x="([\d.]+)" y="([\d.-]+)" text-anchor="middle">([^<]+)</text></a>')


def _chart(entity_id: str) -> str:
    store = bundled_store()
    regimes = [r.value for r in store.data.regimes]
    no_ban = frozenset(r.id.value for r in store.data.regimes.values() if not r.investment_ban)
    return render_timeline_svg(timeline(store, store.entity(entity_id)), regimes, TODAY, no_ban=no_ban)


def test_1260h_is_listed_without_a_ban_and_shows_the_procurement_bans() -> None:
    svg = _chart("hikvision")
    assert "<title>listed, no investment ban</title>" in svg
    assert 'data-kind="procurement_ban"' in svg
    # The only "not yet effective" bars are the EO lanes before their start dates, never 1260H's.
    assert svg.count("listed, not yet effective") <= 2


def test_the_axis_reaches_today() -> None:
    svg = _chart("luokung")  # every Luokung event is of 2021
    assert ">today</text>" in svg
    assert ">2026-10</text>" in svg


def test_labels_do_not_overlap() -> None:
    for entity_id in ("luokung", "xiaomi", "smic", "hesai"):
        labels = [(float(x), float(y), text) for x, y, text in LABEL.findall(_chart(entity_id))]
        for i, (x1, y1, t1) in enumerate(labels):
            for x2, y2, t2 in labels[i + 1 :]:
                if y1 == y2:
                    gap = abs(x1 - x2) - (len(t1) + len(t2)) * CHAR_WIDTH / 2
                    assert gap >= 0, f"{entity_id}: {t1!r} at {x1} and {t2!r} at {x2} overlap"


def test_the_status_table_says_listed_no_ban_and_the_procurement_ban() -> None:
    from redline.server.web.rendering import TEMPLATES
    from redline.services.status import StatusService

    report = StatusService.bundled().status("Hikvision", TODAY, TODAY).to_json()
    html = TEMPLATES.env.get_template("_report.html").render(report=report)
    assert "listed, no investment ban" in html
    assert "(DoD procurement ban in force)" in html
