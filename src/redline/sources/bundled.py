"""Reads the bundled reference data (`redline/data/*.csv`, `sources.yaml`) into model objects.

Every fault is collected with its file, line and field, so `redline data check` can list them all at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from redline.model import (
    AfterWindow,
    Citation,
    Clock,
    Confidence,
    CourtEffect,
    CourtOrder,
    CourtOrderKind,
    DecisionTable,
    Doubt,
    Entity,
    Identifier,
    IdScheme,
    InstantError,
    ListId,
    ListingAction,
    ListingBasis,
    ListingEvent,
    Name,
    NameKind,
    ProcurementBan,
    Regime,
    RegimeId,
    RegimeNote,
    Relation,
    RelationKind,
    StateRule,
    at_new_york,
    parse_instant,
)
from redline.model.instants import FIXED_ZONES
from redline.sources.errors import RowProblem, SourceError

T = TypeVar("T")

FILES: dict[str, tuple[str, ...]] = {
    "entities.csv": ("id", "schema", "name", "country", "source", "published", "confidence", "note"),
    "names.csv": ("entity_id", "name", "kind", "lang", "source", "published", "confidence"),
    "identifiers.csv": (
        "entity_id", "scheme", "value", "exchange", "source", "published", "confidence", "note",
    ),
    "relations.csv": ("entity_id", "relation", "target_id", "source", "published", "confidence"),
    "listings.csv": (
        "id", "entity_id", "list", "action", "valid_from", "known_from", "listed_name", "basis",
        "stated_effective", "stated_divest_until", "source", "confidence", "note",
    ),
    "court_orders.csv": (
        "id", "entity_id", "case", "docket", "court", "judge", "kind", "issued_at", "known_from", "lists",
        "source", "confidence", "note",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV row with its position, so every fault can name file, line and field."""

    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass
class Provenance:
    """Where each bundled fact came from: kept beside the model objects for `data check` and explanations."""

    citations: tuple[Citation, ...]
    published: datetime
    confidence: Confidence
    row: Row


@dataclass
class ReferenceData:
    """Everything read from the bundled files."""

    citations: dict[str, Citation] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    listings: list[ListingEvent] = field(default_factory=list)
    court_orders: list[CourtOrder] = field(default_factory=list)
    provenance: dict[str, list[Provenance]] = field(default_factory=dict)  # entity id -> its facts' sources
    identifier_rows: list[tuple[Identifier, str, Row]] = field(default_factory=list)  # (id, entity id, row)
    stated_rows: dict[str, Row] = field(default_factory=dict)  # listing id -> its row
    order_rows: dict[str, Row] = field(default_factory=dict)  # court order id -> its row
    regimes: dict[RegimeId, Regime] = field(default_factory=dict)
    states: dict[str, StateRule] = field(default_factory=dict)  # answer state -> what a US person may do
    decisions: dict[str, DecisionTable] = field(default_factory=dict)  # "trades.buy", "trades.sell", "positions"


def data_dir() -> Path:
    # the package's folder itself (`resources.files` gives the same path for an installed package, and imports
    # zipfile on every cold answer, which hashes these files to find its saved catalog)
    return Path(__file__).resolve().parent.parent / "data"


class _Reader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[RowProblem] = []

    def problem(self, row: Row | None, column: str | None, message: str, file: str | None = None) -> None:
        self.problems.append(RowProblem(file or (row.file if row else "?"), row.line if row else None, column, message))

    def rows(self, name: str) -> Iterator[Row]:
        path = self.directory / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(None, None, "file is missing", file=name)
            return
        except UnicodeDecodeError as exc:
            self.problem(None, None, f"not UTF-8 ({exc.reason} at byte {exc.start})", file=name)
            return
        reader = csv.DictReader(io.StringIO(text))
        expected = FILES[name]
        header = tuple(reader.fieldnames or ())
        if header != expected:
            self.problem(None, None, f"header must be {','.join(expected)}; found {','.join(header)}", name)
            return
        for values in reader:
            row = Row(name, reader.line_num, values)
            if None in values or any(value is None for value in values.values()):
                self.problem(row, None, f"expected {len(expected)} fields")
                continue
            yield row

    def required(self, row: Row, column: str) -> str | None:
        value = row.get(column)
        if not value:
            self.problem(row, column, "is required")
            return None
        return value

    def choice(self, row: Row, column: str, parse: Callable[[str], T], optional: bool = False) -> T | None:
        value = row.get(column)
        if not value:
            if not optional:
                self.problem(row, column, "is required")
            return None
        try:
            return parse(value)
        except ValueError:
            allowed = ", ".join(str(item) for item in getattr(parse, "__members__", {}).values())
            self.problem(row, column, f"unknown value {value!r}" + (f" (allowed: {allowed})" if allowed else ""))
            return None

    def instant(self, row: Row, column: str, optional: bool = False) -> datetime | None:
        value = row.get(column)
        if not value:
            if not optional:
                self.problem(row, column, "is required")
            return None
        try:
            return parse_instant(value)
        except InstantError as exc:
            self.problem(row, column, str(exc))
            return None

    def provenance(self, row: Row, citations: dict[str, Citation], date_column: str) -> Provenance | None:
        keys = row.get("source").split()
        if not keys:
            self.problem(row, "source", "every fact needs a source")
        unknown = [key for key in keys if key not in citations]
        if unknown:
            self.problem(row, "source", f"unknown source key(s) {', '.join(unknown)} (define them in sources.yaml)")
        published = self.instant(row, date_column)
        confidence = self.choice(row, "confidence", Confidence)
        if not keys or unknown or published is None or confidence is None:
            return None
        return Provenance(tuple(citations[key] for key in keys), published, confidence, row)


def _citations(reader: _Reader) -> dict[str, Citation]:
    import yaml  # only when the files are read: a saved catalog loads without it

    path = reader.directory / "sources.yaml"
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        reader.problem(None, None, "file is missing", file="sources.yaml")
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reader.problems.append(RowProblem("sources.yaml", mark.line + 1 if mark else None, None, str(exc)))
        return {}
    if not isinstance(loaded, dict):
        reader.problem(None, None, "must map source keys to documents", file="sources.yaml")
        return {}
    citations: dict[str, Citation] = {}
    for key, doc in loaded.items():
        if not isinstance(doc, dict) or not doc.get("title") or not doc.get("published"):
            reader.problems.append(RowProblem("sources.yaml", None, str(key), "needs a title and a published date"))
            continue
        published = doc["published"]
        if isinstance(published, date) and not isinstance(published, datetime):
            moment = at_new_york(published)
        else:
            try:
                moment = parse_instant(str(published))
            except InstantError as exc:
                reader.problems.append(RowProblem("sources.yaml", None, f"{key}.published", str(exc)))
                continue
        citations[str(key)] = Citation(
            key=str(key),
            title=str(doc["title"]),
            published=moment,
            url=doc.get("url"),
            publisher=doc.get("publisher"),
        )
    return citations


def load_reference(directory: Path | None = None) -> ReferenceData:
    """Read and cross-check the bundled files. Raises SourceError listing every problem found."""
    reader = _Reader(directory or data_dir())
    data = ReferenceData(citations=_citations(reader))
    cites = data.citations

    # Names, identifiers and relations are gathered first, then frozen into their entities.
    names: dict[str, list[Name]] = {}
    idents: dict[str, list[Identifier]] = {}
    relations: dict[str, list[Relation]] = {}
    rows_of: dict[str, Row] = {}

    def remember(entity_id: str, prov: Provenance | None) -> None:
        if prov is not None:
            data.provenance.setdefault(entity_id, []).append(prov)

    heads: list[tuple[Row, str, str, str, str | None]] = []
    for row in reader.rows("entities.csv"):
        entity_id, name = reader.required(row, "id"), reader.required(row, "name")
        schema = reader.required(row, "schema")
        prov = reader.provenance(row, cites, "published")
        if entity_id is None or name is None or schema is None:
            continue
        if entity_id in rows_of:
            reader.problem(row, "id", f"duplicate id {entity_id!r} (first at line {rows_of[entity_id].line})")
            continue
        rows_of[entity_id] = row
        heads.append((row, entity_id, name, schema, row.get("country") or None))
        remember(entity_id, prov)

    def known_entity(row: Row, column: str = "entity_id") -> str | None:
        entity_id = reader.required(row, column)
        if entity_id is not None and entity_id not in rows_of:
            reader.problem(row, column, f"unknown entity {entity_id!r}")
            return None
        return entity_id

    for row in reader.rows("names.csv"):
        entity_id, text = known_entity(row), reader.required(row, "name")
        kind = reader.choice(row, "kind", NameKind)
        prov = reader.provenance(row, cites, "published")
        if entity_id and text and kind:
            names.setdefault(entity_id, []).append(Name(text, kind, row.get("lang") or None))
            remember(entity_id, prov)

    for row in reader.rows("identifiers.csv"):
        entity_id, value = known_entity(row), reader.required(row, "value")
        scheme = reader.choice(row, "scheme", IdScheme)
        prov = reader.provenance(row, cites, "published")
        if entity_id and value and scheme:
            ident = Identifier(scheme, value, row.get("exchange") or None)
            if scheme is IdScheme.TICKER and ident.exchange is None:
                reader.problem(row, "exchange", "a ticker needs its exchange code (HK, US, CN, ...)")
            idents.setdefault(entity_id, []).append(ident)
            data.identifier_rows.append((ident, entity_id, row))
            remember(entity_id, prov)

    for row in reader.rows("relations.csv"):
        entity_id, target = known_entity(row), known_entity(row, "target_id")
        relation_kind = reader.choice(row, "relation", RelationKind)
        prov = reader.provenance(row, cites, "published")
        if entity_id and target and relation_kind:
            relations.setdefault(entity_id, []).append(Relation(relation_kind, target))
            remember(entity_id, prov)

    for _row, entity_id, name, schema, country in heads:
        data.entities[entity_id] = Entity(
            id=entity_id,
            name=name,
            schema=schema,
            country=country,
            names=tuple(names.get(entity_id, ())),
            identifiers=tuple(idents.get(entity_id, ())),
            relations=tuple(relations.get(entity_id, ())),
        )

    seen_ids: dict[str, Row] = {}
    for row in reader.rows("listings.csv"):
        listing_id = reader.required(row, "id")
        entity_id = known_entity(row)
        list_id = reader.choice(row, "list", ListId)
        action = reader.choice(row, "action", ListingAction)
        basis = reader.choice(row, "basis", ListingBasis)
        valid_from = reader.instant(row, "valid_from")
        known_from = reader.instant(row, "known_from")
        effective = reader.instant(row, "stated_effective", optional=True)
        divest = reader.instant(row, "stated_divest_until", optional=True)
        listed_name = reader.required(row, "listed_name")
        prov = reader.provenance(row, cites, "known_from")
        if listing_id in seen_ids:
            reader.problem(row, "id", f"duplicate id {listing_id!r} (first at line {seen_ids[listing_id].line})")
            continue
        if (
            listing_id is None or entity_id is None or list_id is None or action is None or basis is None
            or valid_from is None or known_from is None or listed_name is None or prov is None
        ):  # fmt: skip
            continue
        seen_ids[listing_id] = row
        data.stated_rows[listing_id] = row
        data.listings.append(
            ListingEvent(
                id=listing_id,
                entity_id=entity_id,
                list_id=list_id,
                action=action,
                valid_from=valid_from,
                known_from=known_from,
                listed_name=listed_name,
                basis=basis,
                citations=prov.citations,
                confidence=prov.confidence,
                stated_effective=effective,
                stated_divest_until=divest,
                note=row.get("note"),
            )
        )

    seen_orders: dict[str, Row] = {}
    for row in reader.rows("court_orders.csv"):
        order_id = reader.required(row, "id")
        entity_id = known_entity(row)
        order_kind = reader.choice(row, "kind", CourtOrderKind)
        issued = reader.instant(row, "issued_at")
        known = reader.instant(row, "known_from")
        case, docket, court = (reader.required(row, column) for column in ("case", "docket", "court"))
        lists: list[ListId] = []
        for token in row.get("lists").split():
            try:
                lists.append(ListId(token))
            except ValueError:
                reader.problem(row, "lists", f"unknown list {token!r}")
        if not lists:
            reader.problem(row, "lists", "name the list(s) whose designation the order concerns")
        prov = reader.provenance(row, cites, "known_from")
        if order_id in seen_orders:
            reader.problem(row, "id", f"duplicate id {order_id!r} (first at line {seen_orders[order_id].line})")
            continue
        if (
            order_id is None or entity_id is None or order_kind is None or issued is None or known is None
            or case is None or docket is None or court is None or prov is None or not lists
        ):  # fmt: skip
            continue
        seen_orders[order_id] = row
        data.order_rows[order_id] = row
        data.court_orders.append(
            CourtOrder(
                id=order_id,
                entity_id=entity_id,
                case=case,
                docket=docket,
                court=court,
                kind=order_kind,
                issued_at=issued,
                known_from=known,
                lists=tuple(lists),
                citations=prov.citations,
                confidence=prov.confidence,
                judge=row.get("judge"),
                note=row.get("note"),
            )
        )

    data.regimes = _regimes(reader, cites)
    data.states = _states(reader, cites)
    data.decisions = _decisions(reader, cites)
    if reader.problems:
        raise SourceError(reader.problems)
    return data


def _regimes(reader: _Reader, cites: dict[str, Citation]) -> dict[RegimeId, Regime]:
    import yaml  # only when the files are read: a saved catalog loads without it

    name = "regimes.yaml"
    try:
        loaded = yaml.safe_load((reader.directory / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        reader.problem(None, None, "file is missing", file=name)
        return {}
    except yaml.YAMLError as exc:
        reader.problems.append(RowProblem(name, None, None, str(exc)))
        return {}
    regimes: dict[RegimeId, Regime] = {}

    def bad(where: str, message: str) -> None:
        reader.problems.append(RowProblem(name, None, where, message))

    def moment(where: str, value: object) -> datetime | None:
        if value is None:
            return None
        try:
            return parse_instant(value.isoformat() if isinstance(value, date | datetime) else str(value))
        except InstantError as exc:
            bad(where, str(exc))
            return None

    def clock_time(where: str, value: object) -> time | None:
        if value is None:
            return None
        try:
            return time.fromisoformat(str(value))
        except ValueError:
            bad(where, f"not a time of day: {value!r}")
            return None

    def zone(where: str, value: object) -> str | None:
        if value is None:
            return None
        if value not in FIXED_ZONES:
            bad(where, f"zone must be one of {', '.join(FIXED_ZONES)}")
            return None
        return str(value)

    def clock(where: str, spec: object) -> Clock | None:
        if spec is None:
            return None
        if not isinstance(spec, dict):
            bad(where, "must be a mapping")
            return None
        return Clock(
            effective=moment(f"{where}.effective", spec.get("effective")),
            window_ends=moment(f"{where}.window_ends", spec.get("window_ends")),
            effective_days=spec.get("effective_days"),
            effective_time=clock_time(f"{where}.effective_time", spec.get("effective_time")),
            window_days=spec.get("window_days"),
            window_end_time=clock_time(f"{where}.window_end_time", spec.get("window_end_time")),
            effective_zone=zone(f"{where}.effective_zone", spec.get("effective_zone")),
            window_end_zone=zone(f"{where}.window_end_zone", spec.get("window_end_zone")),
        )

    def cited(where: str, keys: object, required: bool = True) -> tuple[Citation, ...]:
        """The citations of one rule; a rule without a valid citation is an error (rules are data + authority)."""
        if keys is None or keys == []:
            if required:
                bad(where, "a rule needs a cite: naming its authority in sources.yaml")
            return ()
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            bad(where, "cite must be a list of source keys")
            return ()
        missing = [k for k in keys if k not in cites]
        if missing:
            bad(where, f"unknown source key(s) {', '.join(missing)}")
        return tuple(cites[k] for k in keys if k in cites)

    def items(where: str, value: object) -> list[dict[str, object]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            bad(where, "must be a list of mappings")
            return []
        return value

    for key, spec in (loaded or {}).items():
        try:
            regime_id = RegimeId(key)
        except ValueError:
            bad(str(key), f"unknown regime (known: {', '.join(r.value for r in RegimeId)})")
            continue
        try:
            lists = tuple(ListId(item) for item in spec.get("lists", ()))
            after = spec.get("after_window")
            before = spec.get("after_window_before")
            cite_spec = spec.get("cite") or {}
            citations = {str(rule): cited(f"{key}.cite.{rule}", keys) for rule, keys in cite_spec.items()}
            # Each rule the regime uses must name its authority.
            used = ["regime", "editions"] + (["court_orders"] if spec.get("court_orders") else [])
            used += [rule for rule in ("annex", "later", "after_window") if spec.get(rule) is not None]
            for rule in used:
                if rule not in cite_spec:
                    bad(f"{key}.cite.{rule}", "a rule needs a cite: naming its authority in sources.yaml")
            known_from = moment(f"{key}.known_from", spec.get("known_from"))
            if known_from is None:
                bad(f"{key}.known_from", "is required")
                continue
            notes = tuple(
                RegimeNote(str(note.get("text", "")), cited(f"{key}.notes[{i}].cite", note.get("cite")))
                for i, note in enumerate(items(f"{key}.notes", spec.get("notes")))
            )
            doubts = []
            for i, doubt in enumerate(items(f"{key}.doubts", spec.get("doubts"))):
                where = f"{key}.doubts[{i}]"
                start, end = moment(f"{where}.from", doubt.get("from")), moment(f"{where}.until", doubt.get("until"))
                doubt_known = moment(f"{where}.known_from", doubt.get("known_from"))
                annex_of = doubt.get("annex_of")
                listed = doubt.get("entities")
                entities = [str(e) for e in listed] if isinstance(listed, list) else []
                if start is None or end is None or doubt_known is None or not doubt.get("reason"):
                    bad(where, "a doubt needs from, until, known_from and reason")
                    continue
                if not entities and not annex_of:
                    bad(where, "a doubt names its entities or annex_of")
                doubts.append(
                    Doubt(
                        id=str(doubt.get("id", where)),
                        start=start,
                        end=end,
                        known_from=doubt_known,
                        reason=str(doubt["reason"]),
                        citations=cited(f"{where}.cite", doubt.get("cite")),
                        entities=tuple(entities),
                        annex_of=RegimeId(str(annex_of)) if annex_of else None,
                    )
                )
            bans = []
            for i, ban in enumerate(items(f"{key}.procurement", spec.get("procurement"))):
                starts = moment(f"{key}.procurement[{i}].starts", ban.get("starts"))
                if starts is None or not ban.get("text"):
                    bad(f"{key}.procurement[{i}]", "a procurement ban needs starts and text")
                    continue
                bans.append(
                    ProcurementBan(starts, str(ban["text"]), cited(f"{key}.procurement[{i}].cite", ban.get("cite")))
                )
            annex_day = spec.get("annex_day")
            if annex_day is not None and not isinstance(annex_day, date):
                bad(f"{key}.annex_day", "must be a date")
                annex_day = None
            regimes[regime_id] = Regime(
                id=regime_id,
                title=str(spec["title"]),
                lists=lists,
                known_from=known_from,
                investment_ban=bool(spec.get("investment_ban")),
                annex=clock(f"{key}.annex", spec.get("annex")),
                later=clock(f"{key}.later", spec.get("later")),
                after_window=AfterWindow(after) if after else None,
                after_window_known_from=moment(f"{key}.after_window_known_from", spec.get("after_window_known_from")),
                after_window_before=AfterWindow(before) if before else None,
                citations=citations,
                notes=notes,
                doubts=tuple(doubts),
                annex_day=annex_day,
                procurement=tuple(bans),
                pinpoints={str(k): str(v) for k, v in (spec.get("pinpoints") or {}).items()},
                summary={str(k): str(v) for k, v in (spec.get("summary") or {}).items()},
                court_effects={
                    CourtOrderKind(str(kind)): CourtEffect(str(effect))
                    for kind, effect in (spec.get("court_orders") or {}).items()
                },
                blocking=bool(spec.get("blocking")),
                imported_only=bool(spec.get("imported_only")),
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            bad(str(key), f"malformed regime: {exc}")
    for regime_id in RegimeId:
        if regime_id not in regimes:
            bad(regime_id.value, "regime is not defined")
    return regimes


@lru_cache(maxsize=1)
def data_files() -> dict[str, str]:
    """SHA-256 of each bundled reference file (what `data_version` hashes together): a certificate records them,
    so a replay can name the file that changed since (a rules file, or a data file)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir().iterdir())
        if path.suffix in (".csv", ".yaml")
    }


@lru_cache(maxsize=1)
def data_version() -> str:
    """A hash of the bundled reference files: which list data an answer or a run used."""
    digest = hashlib.sha256()
    for path in sorted(data_dir().iterdir()):
        if path.suffix in (".csv", ".yaml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _rules_file(reader: _Reader, name: str) -> dict[str, Any] | None:
    """A rules YAML file as a mapping, or None with the problem recorded."""
    import yaml  # only when the files are read: a saved catalog loads without it

    try:
        loaded = yaml.safe_load((reader.directory / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        reader.problem(None, None, "file is missing", file=name)
        return None
    except yaml.YAMLError as exc:
        reader.problems.append(RowProblem(name, None, None, str(exc)))
        return None
    if loaded is not None and not isinstance(loaded, dict):
        reader.problems.append(RowProblem(name, None, None, "must be a mapping"))
        return None
    return loaded or {}


def _states(reader: _Reader, cites: dict[str, Citation]) -> dict[str, StateRule]:
    """data/states.yaml: per answer state, may_buy/may_sell/may_hold and the authority (`cite:`)."""
    name = "states.yaml"
    loaded = _rules_file(reader, name)
    if loaded is None:
        return {}
    states: dict[str, StateRule] = {}
    for key, spec in (loaded or {}).items():
        flags = [spec.get(flag) if isinstance(spec, dict) else None for flag in ("may_buy", "may_sell", "may_hold")]
        if not all(isinstance(flag, bool) for flag in flags):
            reader.problems.append(
                RowProblem(name, None, str(key), "needs may_buy, may_sell and may_hold (true/false)")
            )
            continue
        keys = spec.get("cite")
        if not isinstance(keys, list) or not keys:
            reader.problems.append(RowProblem(name, None, f"{key}.cite", "a rule needs a cite: naming its authority"))
            continue
        missing = [k for k in keys if k not in cites]
        if missing:
            reader.problems.append(RowProblem(name, None, f"{key}.cite", f"unknown source key(s) {', '.join(missing)}"))
            continue
        states[str(key)] = StateRule(bool(flags[0]), bool(flags[1]), bool(flags[2]), tuple(cites[k] for k in keys))
    return states


PERMISSION_NAMES = ("may_buy", "may_sell", "may_hold")


def _decisions(reader: _Reader, cites: dict[str, Citation]) -> dict[str, DecisionTable]:
    """data/decisions.yaml: per kind of row (and side), ordered (unless permission, decision) steps and a cite."""
    name = "decisions.yaml"
    loaded = _rules_file(reader, name)
    if loaded is None:
        return {}
    tables: dict[str, DecisionTable] = {}
    for key, spec in (loaded or {}).items():
        where = str(key)
        keys = spec.get("cite") if isinstance(spec, dict) else None
        raw = spec.get("steps") if isinstance(spec, dict) else None
        if not isinstance(keys, list) or not keys or any(k not in cites for k in keys):
            reader.problems.append(RowProblem(name, None, f"{where}.cite", "a rule needs a valid cite: (sources.yaml)"))
            continue
        if not isinstance(raw, list) or not raw:
            reader.problems.append(RowProblem(name, None, f"{where}.steps", "must be a list of steps"))
            continue
        steps: list[tuple[str | None, str]] = []
        for i, step in enumerate(raw):
            unless = step.get("unless") if isinstance(step, dict) else None
            decision = step.get("decision") if isinstance(step, dict) else None
            if not isinstance(decision, str) or (unless is not None and unless not in PERMISSION_NAMES):
                reader.problems.append(
                    RowProblem(name, None, f"{where}.steps[{i}]", f"needs a decision and unless in {PERMISSION_NAMES}")
                )
                continue
            steps.append((unless, decision))
        if steps and steps[-1][0] is not None:
            reader.problems.append(RowProblem(name, None, f"{where}.steps", "the last step must have no `unless`"))
        tables[where] = DecisionTable(tuple(steps), tuple(cites[k] for k in keys))
    return tables
