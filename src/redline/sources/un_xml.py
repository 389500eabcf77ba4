"""The UN Security Council Consolidated List, XML (https://scsanctions.un.org/resources/xml/en/consolidated.xml).

Root `CONSOLIDATED_LIST dateGenerated=...`, then `INDIVIDUALS/INDIVIDUAL` and `ENTITIES/ENTITY` with names in
FIRST..FOURTH_NAME, aliases with a QUALITY ("Good"/"a.k.a." strong, "Low" weak), dates of birth typed EXACT,
APPROXIMATELY or BETWEEN, and documents (passports, national ids).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from lxml import etree

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
from redline.sources.loaded import IssuedFrom, LoadedSource, SourceFormat, SourceList, fail, read_input
from redline.sources.printed_dates import parse_printed_date
from redline.sources.xml_input import iter_elements

_DOCUMENTS = {
    "passport": IdScheme.PASSPORT,
    "número de pasaporte": IdScheme.PASSPORT,
    "numéro de passeport": IdScheme.PASSPORT,
    "national identification number": IdScheme.NATIONAL_ID,
    "national identification": IdScheme.NATIONAL_ID,
}


def _text(element: etree._Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _values(element: etree._Element, tag: str) -> list[str]:
    return [(value.text or "").strip() for value in element.iterfind(f"{tag}/VALUE") if (value.text or "").strip()]


def _birth_date(element: etree._Element) -> RecordDate | None:
    kind = _text(element, "TYPE_OF_DATE").upper()
    exact, year = _text(element, "DATE"), _text(element, "YEAR")
    low, high = _text(element, "FROM_YEAR"), _text(element, "TO_YEAR")
    circa = kind == "APPROXIMATELY"
    text = f"{low} to {high}" if low and high else exact or year
    if not text:
        return None
    parsed = parse_printed_date(text)
    if parsed is None:
        return RecordDate(DateKind.BIRTH, text, circa=circa)
    return RecordDate(DateKind.BIRTH, text, parsed[0], parsed[1], circa or parsed[2])


def _address(element: etree._Element) -> RecordAddress | None:
    parts = [_text(element, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")]
    text = ", ".join(part for part in parts if part)
    if not text:
        return None
    return RecordAddress(text, _text(element, "COUNTRY") or None, _text(element, "CITY") or None)


# "A; B" and "ORIGINAL SCRIPT (A; B)": the list prints several spellings in one alias field (27 fields of the
# 2026-02-27 list, e.g. "Ghasim Soleymani; Ghasem Sulaymani; Ghasem Solaymani"); "a) ... b) ..." numbers them.
_ALIAS_LIST = re.compile(r"^([^();]+?)\s*\(([^()]*;[^()]*)\)\s*$")
_ALIAS_SEPARATOR = re.compile(r"\s*;\s*|\s+[a-z]\)\s+")


def alias_names(text: str) -> list[str]:
    """The names one ALIAS_NAME field holds: split on semicolons outside parentheses (and inside one trailing
    parenthesis that lists spellings of the name before it); a field with none is one name, as printed."""
    parts: list[str] = []
    depth, start = 0, 0
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == ";" and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    names: list[str] = []
    for part in parts:
        listed = _ALIAS_LIST.match(part.strip())
        if listed:
            names += [listed.group(1).strip(), *alias_names(listed.group(2))]
        elif "(" not in part:
            names += [p.strip(" ,") for p in _ALIAS_SEPARATOR.split(part)]
        else:
            names.append(part.strip())
    return [name for name in names if name]


def _record(element: etree._Element, path: Path) -> SourceRecord:
    is_person = element.tag == "INDIVIDUAL"
    prefix = "INDIVIDUAL" if is_person else "ENTITY"
    data_id = _text(element, "DATAID")
    if not data_id:
        raise fail(path, element.sourceline, "entry without a DATAID", prefix)
    name = " ".join(
        part for part in (_text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"))
        if part
    )  # fmt: skip
    if not name:
        raise fail(path, element.sourceline, f"entry {data_id} has no name", "FIRST_NAME")
    names = [RecordName(name, NameKind.PRIMARY)]
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(RecordName(original, NameKind.ALIAS))
    for alias in element.iterfind(f"{prefix}_ALIAS"):
        quality = _text(alias, "QUALITY").lower()
        kind = NameKind.FORMER if quality == "f.k.a." else NameKind.ALIAS
        for alias_name in alias_names(_text(alias, "ALIAS_NAME")):
            names.append(RecordName(alias_name, kind, weak=quality == "low"))
    identifiers = []
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        number = _text(document, "NUMBER")
        label = _text(document, "TYPE_OF_DOCUMENT")
        if number:
            scheme = _DOCUMENTS.get(label.lower(), IdScheme.OTHER)
            country = _text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE") or None
            identifiers.append(RecordIdentifier(scheme, number, label, country))
    reference = _text(element, "REFERENCE_NUMBER")
    if reference:
        identifiers.append(RecordIdentifier(IdScheme.OTHER, reference, "UN Reference Number"))
    dates = [d for d in (_birth_date(dob) for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH")) if d]
    listed = _text(element, "LISTED_ON")
    if listed:
        parsed = parse_printed_date(listed)
        dates.append(RecordDate(DateKind.LISTED, listed, *(parsed or (None, None, False))))
    addresses = [a for a in (_address(e) for e in element.iterfind(f"{prefix}_ADDRESS")) if a]
    extra = [("reference_number", reference)] if reference else []
    for tag, key in (("GENDER", "gender"), ("COMMENTS1", "")):
        if key and _text(element, tag):
            extra.append((key, _text(element, tag)))
    extra += [("title", value) for value in _values(element, "TITLE")]
    extra += [("designation", value) for value in _values(element, "DESIGNATION")]
    for place in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        where = ", ".join(part for part in (_text(place, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")) if part)
        if where:
            extra.append(("place_of_birth", where))
    return SourceRecord(
        source_id=data_id,
        schema=RecordSchema.PERSON if is_person else RecordSchema.ORGANIZATION,
        name=name,
        names=tuple(names),
        identifiers=tuple(identifiers),
        programs=tuple(p for p in (_text(element, "UN_LIST_TYPE"),) if p),
        lists=tuple(_values(element, "LIST_TYPE")),
        addresses=tuple(addresses),
        dates=tuple(dates),
        countries=tuple(_values(element, "NATIONALITY")),
        remarks=_text(element, "COMMENTS1"),
        extra=tuple(extra),
    )


def load_un_xml(path: Path) -> LoadedSource:
    data, loaded = read_input(path)
    records: list[SourceRecord] = []
    seen: dict[str, int] = {}
    root_attributes: dict[str, str] = {}
    for element in iter_elements(path, data, "CONSOLIDATED_LIST", {"INDIVIDUAL", "ENTITY"}, root_attributes):
        record = _record(element, path)
        line = element.sourceline or 0
        if record.source_id in seen:
            raise fail(
                path, line, f"duplicate DATAID {record.source_id} (first at line {seen[record.source_id]})", "DATAID"
            )
        seen[record.source_id] = line
        records.append(record)
    issued_at, issued_from = None, IssuedFrom.NONE
    generated = root_attributes.get("dateGenerated")
    if generated:
        try:
            issued_at = datetime.fromisoformat(generated.replace("Z", "+00:00"))
            issued_from = IssuedFrom.FILE
        except ValueError:
            raise fail(
                path, 1, f"dateGenerated {shorten(generated)} is not an ISO date-time", "CONSOLIDATED_LIST"
            ) from None
    return LoadedSource(SourceList.UN_SC, SourceFormat.UN_XML, (loaded,), records, issued_at, issued_from)
