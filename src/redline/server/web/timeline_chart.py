"""An SVG timeline of an entity's status under each regime: one lane per regime, bars for the periods between
listing, effective date, end of the divestment window and removal, and a mark per court order. Every mark
links to its source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import escape

from redline.model import NEW_YORK
from redline.services.status import TimelineEntry

WIDTH, LANE, LEFT, TOP = 980, 86, 110, 42
LABEL_STEP = 11  # a label that would overlap its neighbour moves one line further from the lane
CHAR_WIDTH = 6.0  # approximate width of a character at font-size 11, to tell when two labels collide
COLOURS = {
    "listed": "#f4c542",  # listed, not yet effective
    "listed_no_ban": "#9aa5b1",  # on a list that carries no investment ban (1260H)
    "procurement_ban": "#5c6b7a",  # a DoD procurement ban on listed names applies (FY2024 NDAA s.805)
    "effective": "#d9534f",  # prohibitions in force
    "divestment_window_ends": "#8e44ad",  # after the window
    "enjoined": "#5bc0de",
}
TITLES = {
    "listed": "listed, not yet effective",
    "listed_no_ban": "listed, no investment ban",
    "procurement_ban": "listed, no investment ban; DoD procurement ban (FY2024 NDAA s.805)",
    "effective": "prohibitions in force",
    "divestment_window_ends": "divestment window closed",
    "enjoined": "enjoined by a court",
}
COURT_KINDS = {"preliminary_injunction", "vacatur", "dismissal", "judgment_for_government", "complaint", "appeal"}


@dataclass(frozen=True)
class Mark:
    x: float
    lane: int
    label: str
    kind: str
    href: str
    title: str


def _href(entry: TimelineEntry) -> str:
    for citation in entry.sources:
        if citation.url:
            return citation.url
    return f"#source-{entry.sources[0].key}" if entry.sources else "#"


def _level(placed: list[tuple[float, float, int]], cx: float, width: float) -> int:
    """The first label line (0, 1, 2, ...) where a label `width` wide centred on `cx` overlaps no placed label."""
    level = 0
    while any(abs(cx - x) < (width + w) / 2 + 4 and lvl == level for x, w, lvl in placed):
        level += 1
    placed.append((cx, width, level))
    return level


def render_timeline_svg(
    entries: list[TimelineEntry], regimes: list[str], today: datetime, no_ban: frozenset[str] = frozenset()
) -> str:
    """`no_ban`: the regimes whose lists carry no investment ban (drawn "listed, no investment ban")."""
    if not entries:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="980" height="40"><text x="10" y="25">No events</text></svg>'
        )
    start = min(e.at for e in entries) - timedelta(days=30)
    # The axis always reaches today (and any dated event after it, such as a procurement ban to come).
    end = max(max(e.at for e in entries), today) + timedelta(days=30)
    span = (end - start).total_seconds()

    def x(moment: datetime) -> float:
        return LEFT + (WIDTH - LEFT - 20) * (moment - start).total_seconds() / span

    lanes = {regime: index for index, regime in enumerate(regimes)}
    height = TOP + LANE * len(regimes) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img" '
        'aria-label="status timeline" font-family="sans-serif" font-size="11">'
    ]
    for regime, lane in lanes.items():
        y = TOP + lane * LANE
        parts.append(f'<text x="4" y="{y + 24}" font-weight="bold">{regime}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y + 20}" x2="{WIDTH - 20}" y2="{y + 20}" stroke="#ccc"/>')
    # Bars: from each state-changing event to the next one in the same lane.
    for regime, lane in lanes.items():
        lane_entries = [e for e in entries if e.regime == regime and e.kind not in ("complaint", "appeal")]
        y = TOP + lane * LANE + 12
        state = None
        since = None
        for entry in [*lane_entries, None]:
            at = entry.at if entry else end
            if state is not None and since is not None:
                colour = COLOURS.get(state)
                if colour:
                    parts.append(
                        f'<rect x="{x(since):.1f}" y="{y}" width="{max(x(at) - x(since), 1):.1f}" height="16" '
                        f'fill="{colour}" opacity="0.8"><title>{TITLES.get(state, state)}</title></rect>'
                    )
            if entry is None:
                break
            if entry.kind in ("listed", "corrected"):
                state, since = ("listed_no_ban" if regime in no_ban else "listed"), entry.at
            elif entry.kind == "procurement_ban" and state in ("listed_no_ban", "procurement_ban"):
                state, since = "procurement_ban", entry.at
            elif entry.kind == "effective" and state == "listed":
                state, since = "effective", entry.at
            elif entry.kind == "divestment_window_ends" and state == "effective":
                state, since = "divestment_window_ends", entry.at
            elif entry.kind == "preliminary_injunction":
                state, since = "enjoined", entry.at
            elif entry.kind in ("removed", "vacatur"):
                state, since = None, None
    # Today, so a reader sees where the present falls on the axis.
    tx = x(today)
    parts.append(
        f'<line x1="{tx:.1f}" y1="{TOP - 14}" x2="{tx:.1f}" y2="{height - 30}" stroke="#0a0" stroke-dasharray="3,3"/>'
        f'<text x="{tx:.1f}" y="{TOP - 16}" text-anchor="middle" fill="#0a0">today</text>'
    )
    # Marks, each a link to its source; labels that would overlap are moved onto further lines.
    placed: dict[tuple[str, bool], list[tuple[float, float, int]]] = {}
    for entry in entries:
        if entry.regime not in lanes:
            continue
        cx = x(entry.at)
        y = TOP + lanes[entry.regime] * LANE
        local = entry.at.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z")
        court = entry.kind in COURT_KINDS
        shape = (
            f'<path d="M{cx:.1f},{y + 30} l5,8 l-10,0 z" fill="#0275d8"/>'
            if court
            else f'<circle cx="{cx:.1f}" cy="{y + 20}" r="4" fill="#333"/>'
        )
        title = f"{local}: {entry.kind.replace('_', ' ')} — {entry.text}"
        label = entry.kind.replace("_", " ").replace("preliminary injunction", "injunction")
        level = _level(placed.setdefault((entry.regime, court), []), cx, len(label) * CHAR_WIDTH)
        ly = y + 52 + level * LABEL_STEP if court else y + 8 - level * LABEL_STEP
        parts.append(
            f'<a href="{escape(_href(entry))}" class="mark" data-kind="{entry.kind}">{shape}'
            f"<title>{escape(title)}</title>"
            f'<text x="{cx:.1f}" y="{ly}" text-anchor="middle">{escape(label)}</text></a>'
        )
    # Axis: one tick per year and per quarter start.
    year = start.year
    while datetime(year, 1, 1, tzinfo=NEW_YORK) < end:
        for month in (1, 4, 7, 10):
            tick = datetime(year, month, 1, tzinfo=NEW_YORK)
            if start <= tick <= end:
                tx = x(tick)
                parts.append(f'<line x1="{tx:.1f}" y1="{height - 30}" x2="{tx:.1f}" y2="{height - 24}" stroke="#999"/>')
                parts.append(f'<text x="{tx:.1f}" y="{height - 12}" text-anchor="middle">{tick:%Y-%m}</text>')
        year += 1
    parts.append("</svg>")
    return "".join(parts)
