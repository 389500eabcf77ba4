"""FollowTheMoney entities as JSON lines (OpenSanctions exports), read with the `followthemoney` library.

Parties (Person, Company, Organization, LegalEntity, Vessel, Airplane) become records. The entities that
describe them point at them and are folded in: `Sanction` (programs, listing dates), `Address`, `Passport`
and `Identification`. Relations such as Ownership or Payment are not list entries and are skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from redline.model import IdScheme, NameKind
from redline.model.records import (
    DateKind,
    RecordAddress,
    RecordDate,
    RecordIdentifier,
    RecordName,
    RecordSchema,
    SourceRecord,
)
from redline.sources.errors import shorten
from redline.sources.loaded import LoadedSource, SourceFormat, SourceList, decode_utf8, fail, inspect_input
from redline.sources.printed_dates import parse_printed_date

_PARTIES = (
    ("Person", RecordSchema.PERSON),
    ("Vessel", RecordSchema.VESSEL),
    ("Airplane", RecordSchema.AIRPLANE),
    ("Company", RecordSchema.COMPANY),
    ("Organization", RecordSchema.ORGANIZATION),
    ("LegalEntity", RecordSchema.LEGAL_ENTITY),
)
_ID_PROPERTIES = {
    "isinCode": IdScheme.ISIN,
    "leiCode": IdScheme.LEI,
    "uscCode": IdScheme.USCC,
    "passportNumber": IdScheme.PASSPORT,
    "idNumber": IdScheme.NATIONAL_ID,
    "socialSecurityNumber": IdScheme.NATIONAL_ID,
    "taxNumber": IdScheme.TAX_ID,
    "innCode": IdScheme.TAX_ID,
    "vatCode": IdScheme.TAX_ID,
    "registrationNumber": IdScheme.REGISTRATION,
    "ogrnCode": IdScheme.REGISTRATION,
    "dunsCode": IdScheme.REGISTRATION,
    "swiftBic": IdScheme.SWIFT_BIC,
    "imoNumber": IdScheme.IMO,
    "mmsi": IdScheme.OTHER,
    "wikidataId": IdScheme.OTHER,
}
_NAME_PROPERTIES = (
    ("name", NameKind.PRIMARY, False),
    ("alias", NameKind.ALIAS, False),
    ("previousName", NameKind.FORMER, False),
    ("abbreviation", NameKind.ACRONYM, False),
    ("weakAlias", NameKind.ALIAS, True),
)


def _schema(proxy: EntityProxy) -> RecordSchema | None:
    for name, schema in _PARTIES:
        if proxy.schema.is_a(name):
            return schema
    return None


def _date(kind: DateKind, text: str) -> RecordDate:
    parsed = parse_printed_date(text)
    return RecordDate(kind, text, *(parsed or (None, None, False)))


def _record(proxy: EntityProxy, schema: RecordSchema, linked: list[EntityProxy]) -> SourceRecord:
    primary = proxy.caption if proxy.caption and proxy.caption != proxy.schema.label else proxy.first("name")
    primary = primary or str(proxy.id)
    # FtM keeps every spelling of the name in `name`; the caption is the one shown, the rest are aliases.
    names: dict[str, RecordName] = {primary: RecordName(primary, NameKind.PRIMARY)}
    for prop, kind, weak in _NAME_PROPERTIES:
        for text in proxy.get(prop, quiet=True):
            names.setdefault(text, RecordName(text, NameKind.ALIAS if kind is NameKind.PRIMARY else kind, weak=weak))
    identifiers = [
        RecordIdentifier(scheme, value, prop)
        for prop, scheme in _ID_PROPERTIES.items()
        for value in proxy.get(prop, quiet=True)
    ]
    programs: list[str] = list(proxy.get("programId", quiet=True))
    dates = [_date(DateKind.BIRTH, text) for text in proxy.get("birthDate", quiet=True)]
    addresses = [RecordAddress(text) for text in proxy.get("address", quiet=True)]
    for other in linked:
        if other.schema.is_a("Sanction"):
            programs += other.get("programId") or other.get("program")
            dates += [_date(DateKind.LISTED, text) for text in other.get("listingDate") + other.get("startDate")]
        elif other.schema.is_a("Address"):
            full = other.first("full") or other.caption
            addresses.append(RecordAddress(full, other.first("country"), other.first("city")))
        elif other.schema.is_a("Identification"):
            number = other.first("number")
            if number:
                scheme = IdScheme.PASSPORT if other.schema.is_a("Passport") else IdScheme.NATIONAL_ID
                identifiers.append(RecordIdentifier(scheme, number, other.schema.name, other.first("country")))
    countries = [*proxy.get("nationality", quiet=True), *proxy.get("citizenship", quiet=True)]
    countries += proxy.get("country", quiet=True) + proxy.get("jurisdiction", quiet=True)
    extra = [("topics", ",".join(proxy.get("topics", quiet=True)))] if proxy.get("topics", quiet=True) else []
    return SourceRecord(
        source_id=str(proxy.id),
        schema=schema,
        name=primary,
        names=tuple(names.values()),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=tuple(dict.fromkeys(programs)),
        lists=tuple(proxy.context.get("datasets", [])),
        addresses=tuple(dict.fromkeys(addresses)),
        dates=tuple(dates),
        countries=tuple(dict.fromkeys(countries)),
        remarks="\n".join(proxy.get("notes", quiet=True)),
        extra=tuple(extra),
    )


def _check_shape(path: Path, line_no: int, raw: Any) -> None:
    """The entity's JSON shape, checked before followthemoney sees it: it would take a string of values for a
    list of its characters, and fail with AttributeError on `properties` that is not an object."""
    if not isinstance(raw, dict):
        raise fail(path, line_no, f"not a FollowTheMoney entity: a JSON {type(raw).__name__}, not an object")
    for key in ("id", "schema"):
        if key in raw and not isinstance(raw[key], str):
            raise fail(
                path, line_no, f"not a FollowTheMoney entity: {key} is not a string (a {type(raw[key]).__name__})", key
            )
    properties = raw.get("properties", {})
    if not isinstance(properties, dict):
        kind = type(properties).__name__
        raise fail(path, line_no, f"not a FollowTheMoney entity: properties is not an object (a {kind})", "properties")
    for name, values in properties.items():
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            where = f"properties.{shorten(name, 40)}"
            raise fail(path, line_no, "not a FollowTheMoney entity: values must be a list of strings", where)
    context = raw.get("datasets", [])
    if not isinstance(context, list) or not all(isinstance(value, str) for value in context):
        raise fail(path, line_no, "not a FollowTheMoney entity: datasets must be a list of strings", "datasets")


def _read_line(
    path: Path,
    line_no: int,
    raw_line: bytes,
    parties: dict[str, tuple[EntityProxy, RecordSchema, int]],
    linked: dict[str, list[EntityProxy]],
    addresses: dict[str, EntityProxy],
) -> None:
    if not raw_line.strip():
        return
    line = decode_utf8(path, raw_line, line_no)
    try:
        raw: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise fail(path, line_no, f"not valid JSON (truncated?): {exc.msg}") from None
    except RecursionError:
        raise fail(path, line_no, "JSON nested too deeply") from None
    _check_shape(path, line_no, raw)
    try:
        proxy = model.get_proxy(raw, cleaned=True)  # keep values as exported, not re-cleaned
    except (InvalidData, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise fail(path, line_no, f"not a FollowTheMoney entity: {shorten(str(exc))}") from None
    if not proxy.id:
        raise fail(path, line_no, "entity without an id", "id")
    schema = _schema(proxy)
    if schema is not None:
        if proxy.id in parties:
            raise fail(path, line_no, f"duplicate id {proxy.id} (first at line {parties[proxy.id][2]})", "id")
        parties[proxy.id] = (proxy, schema, line_no)
        return
    if proxy.schema.is_a("Address"):
        addresses[proxy.id] = proxy
    for prop in ("entity", "holder"):
        for target in proxy.get(prop, quiet=True):
            linked.setdefault(target, []).append(proxy)


def load_ftm(path: Path) -> LoadedSource:
    # Exports run to gigabytes: read line by line, keeping only parties and the entities pointing at them.
    loaded = inspect_input(path)
    parties: dict[str, tuple[EntityProxy, RecordSchema, int]] = {}
    linked: dict[str, list[EntityProxy]] = {}
    addresses: dict[str, EntityProxy] = {}
    with path.open("rb") as stream:
        for line_no, raw_line in enumerate(stream, start=1):
            _read_line(path, line_no, raw_line, parties, linked, addresses)
    if not parties:
        raise fail(path, None, "no parties (Person, Company, Organization, Vessel...) in the file")
    records = []
    for entity_id, (proxy, schema, _) in parties.items():
        others = linked.get(entity_id, [])
        others += [addresses[ref] for ref in proxy.get("addressEntity", quiet=True) if ref in addresses]
        records.append(_record(proxy, schema, others))
    # The file's name without extension and date identifies the dataset across versions; `--label` overrides.
    label = re.sub(r"[_-]?\d{4}-\d{2}-\d{2}", "", path.name.split(".")[0]) or path.name
    return LoadedSource(SourceList.FTM, SourceFormat.FTM_JSON, (loaded,), records, label=label)
