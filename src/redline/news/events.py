"""Regulatory events, price moves and allegations in an article's sentences.

Each sentence is split into clauses (at "after", "while", "before", ";" and the Han comma); a trigger's entity is
the catalog entity named in its clause (else in its sentence, else the one a "the company" refers back to) and
its date the one its clause gives (else its sentence's). Speculation, requests, agreements and negations are not
events. A designation that is only the object of a court order ("blocked the designation") is not a listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from redline.model import ListId
from redline.model.periods import Period
from redline.news.dates import DateMention, find_dates
from redline.news.entities import Mention

COURT_KINDS = ("complaint", "preliminary_injunction", "vacatur", "dismissal", "judgment_for_government", "appeal")
LISTING_KINDS = ("listed", "removed")
_I = re.IGNORECASE

# kind -> trigger; listing triggers also need a list word in the clause. Order: the first court kind found wins.
TRIGGERS: dict[str, re.Pattern[str]] = {
    "preliminary_injunction": re.compile(
        r"preliminary injunction|temporarily block|\bblock(?:ed|s|ing)? the (?:\w+'s )?(?:designation|ban|listing|"
        r"blacklisting)|\bsuspend(?:ed|s|ing)? the (?:\w+ )*?(?:designation|ban|blacklisting|listing)|to suspend the|"
        r"初步禁令|暂停执行|叫停", _I),
    "vacatur": re.compile(r"\bvacat(?:ed|es|ing|ur)\b|撤销了", _I),
    "judgment_for_government": re.compile(
        r"\buph(?:eld|olds?)\b|justified in|ruled in favou?r of the (?:government|pentagon|defen[cs]e)|"
        r"reject(?:ed|ing) \w+'s (?:lawsuit|suit|challenge)|驳回", _I),
    "dismissal": re.compile(r"\bdismiss(?:ed|es)\b(?! the (?:designation))|撤诉", _I),
    "appeal": re.compile(r"\bappeal(?:ed|s)\b|filed an appeal|notice of appeal|提起上诉|上诉", _I),
    "complaint": re.compile(
        r"\bsue[sd]?\b|\bsuing\b|filed (?:a |an )?(?:lawsuit|suit|complaint|legal challenge)|起诉|提起诉讼", _I),
}  # fmt: skip
LISTING_TRIGGERS: dict[str, re.Pattern[str]] = {
    "removed": re.compile(
        r"\bremov(?:ed|es|ing)\b|\bdrop(?:ped|s)? (?:\w+ )*?from\b|taken off|\bdelisted from|"
        r"no longer (?:on|includes?)|移除|移出|除名|删除", _I),
    "listed": re.compile(
        r"\badd(?:ed|s|ing)?\b|\bdesignat(?:ed|es|ing)\b|\bplac(?:ed|es) (?:\w+ )*?on\b|\bput (?:\w+ )*?on\b|"
        r"\bblacklist(?:ed|s)\b|\bbeen on\b|\bnamed (?:\w+ )*?(?:to|on)\b|列入|纳入|列为|在列", _I),
}  # fmt: skip
_LIST_WORD = re.compile(r"\blist\b|blacklist|清单|名单|在列", _I)
_HEDGE = re.compile(
    r"\b(?:may|might|could|would|will|plans? to|planning to|consider(?:s|ed|ing)?|threaten(?:s|ed)?|seek(?:s|ing)?|"
    r"sought|ask(?:s|ed|ing)?|request(?:s|ed)?|wants?|agreed to|expected to|likely to|if)\b|"
    r"要求|寻求|希望|可能|拟|将寻求",
    _I,
)
_NEGATION = re.compile(r"\b(?:not|never|no)\b|未|没有|并非|不在", _I)
_CLAUSE = re.compile(r"\s+(?:after|while|before|whereas|but)\s+|;\s*|，|, (?:while|but|and then)\s+", _I)
_ANAPHORA = re.compile(
    r"\b(?:the|its) (?:[\w-]+ )?(?:company|firm|carmaker|chipmaker|maker|group|stock|shares)\b|"
    r"\bits?\b|该公司|公司|其", _I)  # fmt: skip

_PRICE = re.compile(
    r"(?P<verb>jump(?:ed|s)?|r(?:ose|ises?)|climb(?:ed|s)?|soar(?:ed|s)?|surg(?:ed|es)?|gain(?:ed|s)?|rall(?:ied|ies)|"
    r"fell|falls?|dropp?(?:ed|s)?|tumbl(?:ed|es)|slump(?:ed|s)?|plung(?:ed|es)|s(?:ank|inks)|declin(?:ed|es)|"
    r"sl(?:id|ides)|los(?:t|es)|(?:was |were )?(?:up|down))\s+(?:by\s+)?(?:more than |over |about |nearly |almost )?"
    r"(?P<size>\d+(?:\.\d+)?)\s*(?:%|per ?cent|percent)"
    r"|(?P<zverb>大涨|大跌|暴涨|暴跌|上涨|下跌|涨|跌)(?:了)?(?:超过|逾|近|约)?(?P<zsize>\d+(?:\.\d+)?)\s*[%％]",
    _I,
)
_DOWN = re.compile(r"fell|fall|drop|tumbl|slump|plung|sank|sink|declin|slid|slide|los|down|跌", _I)
_MARKETS = [
    ("HK", re.compile(r"Hong Kong|港股|香港|HKEX", _I)),
    ("US", re.compile(r"New York|Nasdaq|NYSE|Wall Street|\bU\.?S\.? (?:trading|markets?|shares)|美股|场外|美国", _I)),
    ("CN", re.compile(r"Shanghai|Shenzhen|A股|沪|深圳|上海", _I)),
]

ADVERSE_TOPICS: dict[str, re.Pattern[str]] = {
    "privacy": re.compile(r"privacy|personal data|user(?:s'|s)? (?:\w+ )?data|browsing data|data collection|"
                          r"collect(?:ed|ing|s)? (?:\w+ )*?data|隐私|个人信息|用户数据", _I),
    "fraud": re.compile(r"fraud|inflat(?:ed|ing) (?:its )?(?:revenue|sales|profits?)|misled investors|"
                        r"accounting irregularit|财务造假|欺诈", _I),
    "corruption": re.compile(r"brib|corruption|\bgraft\b|kickback|贿赂|腐败|贪腐", _I),
    "sanctions_evasion": re.compile(r"evad(?:e|ed|ing) (?:\w+ )?sanctions|sanctions evasion|circumvent(?:ed|ing)? "
                                    r"(?:\w+ )?(?:sanctions|export controls)|规避制裁|逃避制裁", _I),
    "forced_labour": re.compile(r"forced lab(?:ou|o)r|强迫劳动", _I),
    "surveillance": re.compile(r"surveil|mass surveillance|监控维吾尔", _I),
}  # fmt: skip
_ALLEGING = re.compile(
    r"alleg|accus|claim|charg|investigat|according to|report(?:ed|s)|found that|指控|涉嫌|调查|据.*报道|称", _I
)
_WHO = re.compile(
    r"^(?P<who>(?:[A-Z\w][\w'’\-]*\s+){0,7}?[\w'’\-]+)\s+(?:have |has )?(?:alleged|accused|claimed|charged|said|"
    r"found|reported|wrote)\b|according to (?P<who2>[^,.]+)|据(?P<zwho>[^，。]{1,20}?)(?:报道|称|指控)|"
    r"^(?P<zwho2>[^，。]{1,20}?)(?:指控|称)",
)


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    entity_id: str
    entity_name: str
    period: Period | None
    evidence: str
    mention: str
    gloss: bool  # the entity was named through a dictionary translation
    list_id: ListId | None = None
    direction: str | None = None  # price moves: up | down
    size: float | None = None  # percent
    market: str | None = None  # HK, US, CN
    court: str = ""
    corroborates: tuple[str, ...] = ()  # ids of catalog events this one agrees with
    contradicts: str = ""  # why the catalog disagrees

    @property
    def date(self) -> str | None:
        return self.period.text() if self.period else None

    @property
    def legal(self) -> bool:
        return self.kind in COURT_KINDS or self.kind in LISTING_KINDS

    @property
    def confidence(self) -> str:
        if self.contradicts:
            return "low"
        if self.corroborates:
            return "high"
        return "medium" if self.period is not None and not self.gloss else "low"

    def key(self) -> tuple[str, str, str | None]:
        return self.kind, self.entity_id, self.date

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "entity": self.entity_id,
            "date": self.date,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "corroborates": list(self.corroborates) or None,
        }
        if self.list_id is not None:
            out["list"] = self.list_id.value
        if self.kind == "price_move":
            out |= {"direction": self.direction, "size": self.size, "market": self.market}
        if self.court:
            out["court"] = self.court
        if self.contradicts:
            out["contradicts"] = self.contradicts
        return out


@dataclass(frozen=True, slots=True)
class Allegation:
    entity_id: str
    topic: str
    evidence: str
    alleged_by: str

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity_id, "topic": self.topic, "evidence": self.evidence, "by": self.alleged_by}


def _list_of(sentence: str, when: date | None) -> ListId | None:
    """The list a sentence names; a plain "Chinese military companies" list is the 1237 list before
    2021-06-03 (EO 14032) and the 1260H list after."""
    early = when is not None and when < date(2021, 6, 3)
    if re.search(r"1260H", sentence):
        return ListId.DOD_1260H
    if re.search(r"Communist Chinese military|1237", sentence, _I):
        return ListId.CCMC_1237
    if re.search(
        r"Treasury|OFAC|NS-CMIC|Military-Industrial Complex|investment blacklist|财政部|军工复合体", sentence, _I
    ):
        return ListId.NSCCMC_OFAC if early else ListId.NS_CMIC
    if re.search(r"Pentagon|Defen[cs]e|DoD|国防部|军方企业|军事企业|military compan", sentence, _I):
        return ListId.CCMC_1237 if early else ListId.DOD_1260H
    return None


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int


_RELATIVE = re.compile(r",\s+(?:which|who)\s[^,]*,", _I)


def _clauses(sentence: str) -> list[_Clause]:
    """Clauses; a relative clause ("Tencent, which was added in January, dropped 3% on Friday") is its own."""
    cuts: list[tuple[int, int]] = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
    for m in _RELATIVE.finditer(sentence):
        cuts += [(m.start(), m.start() + 1), (m.end() - 1, m.end())]
    out, start = [], 0
    for begin, end in sorted(cuts):
        if begin >= start:
            out.append(_Clause(start, begin))
            start = end
    out.append(_Clause(start, len(sentence)))
    return [c for c in out if c.end > c.start]


def _within(items: list[Mention] | list[DateMention], start: int, end: int) -> list[Any]:
    return [x for x in items if start <= x.start < end]


class EventReader:
    def __init__(self, published: datetime) -> None:
        self.published = published

    def read(self, sentences: list[tuple[int, str]], mentions: list[Mention]) -> tuple[list[Event], list[Allegation]]:
        events: list[Event] = []
        allegations: list[Allegation] = []
        last_entity: Mention | None = None
        for offset, sentence in sentences:
            local = [
                Mention(m.start - offset, m.end - offset, m.text, m.entity_id, m.name, m.score, m.gloss)
                for m in mentions
                if offset <= m.start < offset + len(sentence) and m.entity_id
            ]
            dates = [d for d in find_dates(sentence, self.published) if not d.reported]
            if not local and last_entity is not None and _ANAPHORA.search(sentence):
                anchor = _ANAPHORA.search(sentence)
                at = anchor.start() if anchor else 0
                local = [Mention(at, at, last_entity.text, last_entity.entity_id, last_entity.name, 0, False)]
            events += self._sentence(sentence.strip(), sentence, local, dates)
            allegations += _allegations_of(sentence.strip(), local)
            if local:
                last_entity = local[-1]
        return _merge(events), _unique(allegations)

    def _sentence(self, evidence: str, sentence: str, mentions: list[Mention], dates: list[DateMention]) -> list[Event]:
        if not mentions:
            return []
        out: list[Event] = []
        court_found = False
        for clause in _clauses(sentence):
            text = sentence[clause.start : clause.end]
            who = _within(mentions, clause.start, clause.end) or mentions
            for kind, pattern in TRIGGERS.items():
                m = pattern.search(text)
                if m is None or _HEDGE.search(text[: m.start()]) or _NEGATION.search(text[: m.start()][-12:]):
                    continue
                court_found = True
                period = self._date(dates, clause, clause.start + m.start())
                # a court order is about one party: the entity named first in its clause
                out.append(self._event(kind, who[0], period, evidence, sentence))
                break
            for match in _PRICE.finditer(text):
                verb = match.group("verb") or match.group("zverb") or ""
                size = float(match.group("size") or match.group("zsize"))
                before = [x for x in who if x.start <= clause.start + match.start()] or who
                market = next((code for code, p in _MARKETS if p.search(text)), None)
                period = self._date(dates, clause, clause.start + match.start())
                move = self._event("price_move", before[-1], period, evidence, sentence)
                direction = "down" if _DOWN.search(verb) else "up"
                out.append(replace(move, direction=direction, size=size, market=market))
        if court_found:  # "blocked the designation": the listing is the order's object, not news
            return out
        for clause in _clauses(sentence):
            text = sentence[clause.start : clause.end]
            if not _LIST_WORD.search(text) and not re.search(r"designat", text, _I):
                continue
            who = _within(mentions, clause.start, clause.end) or mentions
            for kind, pattern in LISTING_TRIGGERS.items():
                m = pattern.search(text)
                if m is None:
                    continue
                period = self._date(dates, clause, clause.start + m.start())
                head = text[: m.start()]
                if _HEDGE.search(head[-40:]) or _NEGATION.search(head[-12:]) or re.search(r"未被?$|没有被?$", head):
                    continue
                if kind == "removed" and re.search(r"\bto be removed|to remove", text, _I):
                    continue
                out += [self._event(kind, x, period, evidence, sentence) for x in _distinct(who)]
                break
        return out

    def _date(self, dates: list[DateMention], clause: _Clause, at: int) -> Period | None:
        """The date nearest the trigger in its clause, else in its sentence."""
        pool = _within(dates, clause.start, clause.end) or dates
        if not pool:
            return None
        # news dates a verb after it ("fell 3% on Friday") more often than before it ("on Friday added")
        return min(pool, key=lambda d: d.start - at if d.start >= at else 2 * (at - d.end)).period

    def _event(self, kind: str, who: Mention, period: Period | None, evidence: str, sentence: str) -> Event:
        when = period.last if period else self.published.date()
        list_id = _list_of(sentence, when) if kind in LISTING_KINDS or kind in COURT_KINDS else None
        court = ""
        if kind in COURT_KINDS:
            m = re.search(r"District of Columbia|D\.D\.C\.|D\.C\. Circuit|Court of Appeals|哥伦比亚特区", sentence)
            court = (
                {"D.C. Circuit": "D.C. Cir.", "Court of Appeals": "D.C. Cir."}.get(m.group(0), "D.D.C.") if m else ""
            )
        return Event(kind, who.entity_id or "", who.name, period, evidence, who.text, who.gloss, list_id, court=court)


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for m in mentions:
        seen.setdefault(m.entity_id or "", m)
    return list(seen.values())


def _merge(events: list[Event]) -> list[Event]:
    """One event per (kind, entity, date); an undated one is dropped where the article dates the same kind for
    the same entity (a headline restating the story)."""
    dated = {(e.kind, e.entity_id) for e in events if e.period is not None}
    out: dict[tuple[str, str, str | None], Event] = {}
    for event in events:
        if event.period is None and (event.kind, event.entity_id) in dated:
            continue
        out.setdefault(event.key(), event)
    return list(out.values())


def _unique(allegations: list[Allegation]) -> list[Allegation]:
    out: dict[tuple[str, str], Allegation] = {}
    for a in allegations:
        out.setdefault((a.entity_id, a.topic), a)
    return list(out.values())


def _allegations_of(evidence: str, mentions: list[Mention]) -> list[Allegation]:
    if not mentions or not _ALLEGING.search(evidence):
        return []
    who_match = _WHO.search(evidence)
    who = ""
    if who_match:
        who = next((g for g in who_match.groups() if g), "").strip()
    out = []
    for topic, pattern in ADVERSE_TOPICS.items():
        if pattern.search(evidence):
            for m in _distinct(mentions):
                if m.entity_id and m.text not in who:
                    out.append(Allegation(m.entity_id, topic, evidence, who))
    return out
