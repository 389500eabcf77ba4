"""OFAC's `sdn.xml` and `consolidated.xml` (namespace `http://tempuri.org/sdnList.xsd`).

Each `sdnEntry` has its own elements for names, ids, addresses, dates and places of birth; `idList` carries the
same labels the CSV prints in remarks (ISIN, Equity Ticker, and since 2021 the dated CCMC/CMIC fields such as
"Listing Date (CMIC)"), so both formats go through `ofac_fields.classify_id`. Consolidated entries may say
`nspType` where SDN entries say `sdnType`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from redline.model import NameKind, at_new_york
from redline.model.records import RecordAddress, RecordName, RecordSchema, SourceRecord
from redline.sources.errors import shorten
from redline.sources.list_kinds import consolidated_lists, which_ofac_list
from redline.sources.loaded import (
    IssuedFrom,
    LoadedSource,
    SourceFormat,
    SourceList,
    fail,
    merge_repeated,
    read_input,
)
from redline.sources.ofac_fields import Parsed, add_birth_date, classify_id, parse_remarks
from redline.sources.printed_dates import parse_us_date
from redline.sources.xml_input import iter_elements

_SCHEMAS = {
    "individual": RecordSchema.PERSON,
    "vessel": RecordSchema.VESSEL,
    "aircraft": RecordSchema.AIRPLANE,
    "entity": RecordSchema.ORGANIZATION,
}
_VESSEL_FIELDS = (
    ("callSign", "call_sign"), ("vesselType", "vessel_type"), ("vesselFlag", "vessel_flag"),
    ("vesselOwner", "vessel_owner"), ("tonnage", "tonnage"), ("grossRegisteredTonnage", "gross_registered_tonnage"),
)  # fmt: skip


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _full_name(element: etree._Element) -> str:
    last, first = _text(element, "lastName"), _text(element, "firstName")
    return f"{last}, {first}" if last and first else last or first


def _entry(element: etree._Element, path: Path) -> tuple[SourceRecord, str]:
    uid = _text(element, "uid")
    line = element.sourceline
    if not uid:
        raise fail(path, line, "entry without a uid", "sdnEntry")
    name = _full_name(element)
    if not name:
        raise fail(path, line, f"entry {uid} has no lastName", "lastName")
    kind = (_text(element, "sdnType") or _text(element, "nspType")).lower()
    parsed = Parsed()
    for ident in element.iterfind("idList/id"):
        label, number = _text(ident, "idType"), _text(ident, "idNumber")
        if label and number and not classify_id(label, number, _text(ident, "idCountry") or None, parsed):
            parsed.extra.append((label, number))
    remarks = _text(element, "remarks")
    if remarks:
        parse_remarks(remarks, parsed)
    names = [RecordName(name, NameKind.PRIMARY)]
    for aka in element.iterfind("akaList/aka"):
        alias = _full_name(aka)
        if alias:
            former = _text(aka, "type").lower() == "f.k.a."
            weak = _text(aka, "category").lower() == "weak"
            names.append(RecordName(alias, NameKind.FORMER if former else NameKind.ALIAS, weak=weak))
    addresses = []
    for address in element.iterfind("addressList/address"):
        parts = [_text(address, tag) for tag in ("address1", "address2", "address3", "city", "stateOrProvince")]
        parts += [_text(address, "postalCode"), _text(address, "country")]
        text = ", ".join(part for part in parts if part)
        if text:
            addresses.append(RecordAddress(text, _text(address, "country") or None, _text(address, "city") or None))
    for item in element.iterfind("dateOfBirthList/dateOfBirthItem"):
        if _text(item, "dateOfBirth"):
            add_birth_date(_text(item, "dateOfBirth"), parsed)
    for item in element.iterfind("placeOfBirthList/placeOfBirthItem"):
        if _text(item, "placeOfBirth"):
            parsed.extra.append(("place_of_birth", _text(item, "placeOfBirth")))
    countries = [_text(c, "country") for c in element.iterfind("nationalityList/nationality")]
    countries += [_text(c, "country") for c in element.iterfind("citizenshipList/citizenship")]
    extra = [("title", _text(element, "title"))] if _text(element, "title") else []
    extra += [
        (key, _text(element, f"vesselInfo/{tag}")) for tag, key in _VESSEL_FIELDS if _text(element, f"vesselInfo/{tag}")
    ]
    schema = _SCHEMAS.get(kind, RecordSchema.ORGANIZATION)
    if schema is RecordSchema.ORGANIZATION and any(f.label in ("ISIN", "Equity Ticker") for f in parsed.facts):
        schema = RecordSchema.COMPANY
    record = SourceRecord(
        source_id=uid,
        schema=schema,
        name=name,
        names=(*names, *parsed.names),
        identifiers=tuple(parsed.identifiers),
        programs=tuple(_text(p, ".") for p in element.iterfind("programList/program") if _text(p, ".")),
        addresses=tuple(addresses),
        dates=tuple(parsed.dates),
        countries=tuple(dict.fromkeys(c for c in (*countries, *parsed.countries) if c)),
        remarks=remarks,
        facts=tuple(parsed.facts),
        extra=(*extra, *parsed.extra),
    )
    return record, str(line)


def load_ofac_xml(path: Path, expected: SourceList | None = None) -> LoadedSource:
    data, loaded = read_input(path)
    by_id: dict[str, tuple[SourceRecord, str]] = {}
    warnings: list[str] = []
    publish_date = ""
    for element in iter_elements(path, data, "sdnList", {"sdnEntry", "publshInformation"}, depth=1):
        if element.tag == "publshInformation":
            publish_date = _text(element, "Publish_Date")
            continue
        record, line = _entry(element, path)
        if record.source_id in by_id:
            first, first_line = by_id[record.source_id]
            merged = merge_repeated(first, record)
            if merged is None:
                raise fail(
                    path, int(line), f"duplicate uid {record.source_id} (first at line {first_line}) with another name"
                )
            warnings.append(f"{path}:{line}: uid {record.source_id} repeats line {first_line}; merged")
            record, line = merged, first_line
        by_id[record.source_id] = (record, line)
    records = [record for record, _ in by_id.values()]
    if not records:
        raise fail(path, None, "no sdnEntry elements: the list is empty")
    source = which_ofac_list(path, [record.programs for record in records], expected)
    consolidated = source is SourceList.OFAC_CONS
    if consolidated:
        records = [replace(r, lists=consolidated_lists(r.programs, r.remarks)) for r in records]
    else:
        records = [replace(r, lists=("SDN",)) for r in records]
    issued = parse_us_date(publish_date) if publish_date else None
    if publish_date and issued is None:
        raise fail(path, None, f"Publish_Date {shorten(publish_date)} is not MM/DD/YYYY", "publshInformation")
    return LoadedSource(
        source,
        SourceFormat.OFAC_XML,
        (loaded,),
        records,
        at_new_york(issued) if issued else None,
        IssuedFrom.FILE if issued else IssuedFrom.NONE,
        warnings=warnings,
    )
