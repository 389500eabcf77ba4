"""OFAC's advanced sanctions data model (`sdn_advanced.xml`, `cons_advanced.xml`; namespace
`http://www.un.org/sanctions/1.0`), read as far as a list record needs.

The format is normalised: names are parts typed through `NamePartGroups`, every label is an id into
`ReferenceValueSets`, addresses live in `Locations`, identity documents in `IDRegDocuments`, and programs and
lists in `SanctionsEntries` keyed by profile. Sections come in that order, so one streaming pass collects the
lookups, then each party is assembled. Features (birth date, place of birth, SWIFT/BIC, and in newer files the
CMIC dates) go through the same `classify_id` as the other OFAC formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from redline.model import NameKind, at_new_york
from redline.model.records import (
    DateKind,
    FactKey,
    RecordAddress,
    RecordDate,
    RecordFact,
    RecordName,
    RecordSchema,
    SourceRecord,
)
from redline.sources.loaded import IssuedFrom, LoadedSource, SourceFormat, SourceList, fail, read_input
from redline.sources.ofac_fields import Parsed, classify_id
from redline.sources.xml_input import iter_elements

_LIST_CODES = {
    "SDN List": "SDN",
    "Non-SDN Palestinian Legislative Council List": "NS-PLC",
    "FSE List": "FSE",
    "Sectoral Sanctions Identifications List": "SSI",
    "CAPTA List": "CAPTA",
    "Non-SDN Menu-Based Sanctions List": "NS-MBS",
    "Non-SDN Chinese Military-Industrial Complex Companies List": "NS-CMIC",
    "NS-CMIC List": "NS-CMIC",
}
_UMBRELLA_LISTS = {"Consolidated List"}


@dataclass
class _Lookups:
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # set name -> id -> text
    party_types: dict[str, str] = field(default_factory=dict)  # PartySubType id -> PartyType text
    party_subtypes: dict[str, str] = field(default_factory=dict)
    locations: dict[str, RecordAddress] = field(default_factory=dict)
    documents: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)  # identity -> docs

    def text(self, set_name: str, key: str | None) -> str:
        return self.values.get(set_name, {}).get(key or "", "")


@dataclass
class _Party:
    profile_id: str
    line: int
    schema: RecordSchema
    names: list[RecordName]
    identity_ids: list[str]
    parsed: Parsed
    addresses: list[RecordAddress]
    remarks: str
    programs: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


def _date_of(element: etree._Element | None) -> date | None:
    if element is None:
        return None
    try:
        return date(
            int(element.findtext("Year") or 0), int(element.findtext("Month") or 1), int(element.findtext("Day") or 1)
        )
    except (ValueError, OverflowError):  # not a date, or a number too large for one (found by bench/fuzz)
        return None


def _reference_values(element: etree._Element, lookups: _Lookups) -> None:
    for value_set in element:
        name = str(value_set.tag).removesuffix("Values")
        table = lookups.values.setdefault(name, {})
        for item in value_set:
            table[str(item.get("ID"))] = (item.text or item.get("Description") or "").strip()
            if name == "PartySubType":
                lookups.party_subtypes[str(item.get("ID"))] = (item.text or "").strip()
                lookups.party_types[str(item.get("ID"))] = str(item.get("PartyTypeID"))


def _location(element: etree._Element, lookups: _Lookups) -> None:
    parts: dict[str, str] = {}
    for part in element.iterfind("LocationPart"):
        kind = lookups.text("LocPartType", part.get("LocPartTypeID"))
        value = part.findtext("LocationPartValue/Value") or ""
        if value.strip():
            parts[kind] = value.strip()
    country_id = element.find("LocationCountry")
    country = lookups.text("Country", country_id.get("CountryID")) if country_id is not None else ""
    order = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE", "REGION")
    text = ", ".join([*(parts[k] for k in order if k in parts), *([country] if country else [])])
    lookups.locations[str(element.get("ID"))] = RecordAddress(text, country or None, parts.get("CITY"))


def _document(element: etree._Element, lookups: _Lookups) -> None:
    label = lookups.text("IDRegDocType", element.get("IDRegDocTypeID"))
    number = (element.findtext("IDRegistrationNo") or "").strip()
    country = lookups.text("Country", element.get("IssuedBy-CountryID")) or None
    if label and number:
        lookups.documents.setdefault(str(element.get("IdentityID")), []).append((label, number, country))


def _name(alias: etree._Element, group_types: dict[str, str], lookups: _Lookups) -> str:
    last: list[str] = []
    rest: list[str] = []
    for value in alias.iterfind("DocumentedName/DocumentedNamePart/NamePartValue"):
        text = (value.text or "").strip()
        kind = lookups.text("NamePartType", group_types.get(str(value.get("NamePartGroupID"))))
        (last if kind == "Last Name" else rest).append(text)
    if last and rest:
        return f"{' '.join(last)}, {' '.join(rest)}"
    return " ".join(last + rest)


def _feature(feature: etree._Element, lookups: _Lookups, party: _Party) -> None:
    label = lookups.text("FeatureType", feature.get("FeatureTypeID"))
    for version in feature.iterfind("FeatureVersion"):
        period = version.find("DatePeriod")
        location = version.find("VersionLocation")
        detail = version.find("VersionDetail")
        if period is not None:
            earliest = _date_of(period.find("Start/From"))
            latest = _date_of(period.find("End/To")) or earliest
            circa = period.find("Start[@Approximate='true']") is not None
            if label == "Birthdate":
                text = earliest.isoformat() if earliest == latest and earliest else f"{earliest} to {latest}"
                party.parsed.dates.append(RecordDate(DateKind.BIRTH, text, earliest, latest, circa))
            elif earliest is not None:
                classify_id(label, earliest.strftime("%d %b %Y"), None, party.parsed)
        elif location is not None:
            address = lookups.locations.get(str(location.get("LocationID")))
            if address is None or not address.text:
                continue
            if label == "Location":
                party.addresses.append(address)
            elif address.country:
                party.parsed.countries.append(address.country)
        elif detail is not None:
            text = (detail.text or "").strip() or lookups.text("DetailReference", detail.get("DetailReferenceID"))
            if not text:
                continue
            if label == "Place of Birth":
                party.parsed.extra.append(("place_of_birth", text))
            elif label == "Gender":
                party.parsed.extra.append(("gender", text))
            elif not classify_id(label, text, None, party.parsed):
                party.parsed.extra.append((label, text))


def _party(element: etree._Element, lookups: _Lookups, path: Path) -> _Party:
    profile = element.find("Profile")
    if profile is None:
        raise fail(path, element.sourceline, "DistinctParty without a Profile", "DistinctParty")
    subtype = str(profile.get("PartySubTypeID"))
    party_type = lookups.text("PartyType", lookups.party_types.get(subtype))
    subtype_text = lookups.party_subtypes.get(subtype, "")
    schema = {
        "Individual": RecordSchema.PERSON,
        "Entity": RecordSchema.ORGANIZATION,
    }.get(party_type, RecordSchema.LEGAL_ENTITY)
    if party_type == "Transport":
        schema = RecordSchema.AIRPLANE if subtype_text == "Aircraft" else RecordSchema.VESSEL
    names: list[RecordName] = []
    identity_ids: list[str] = []
    for identity in profile.iterfind("Identity"):
        identity_ids.append(str(identity.get("ID")))
        group_types = {
            str(group.get("ID")): str(group.get("NamePartTypeID"))
            for group in identity.iterfind("NamePartGroups/MasterNamePartGroup/NamePartGroup")
        }
        for alias in identity.iterfind("Alias"):
            text = _name(alias, group_types, lookups)
            if not text:
                continue
            alias_type = lookups.text("AliasType", alias.get("AliasTypeID"))
            primary = alias.get("Primary") == "true" and identity.get("Primary") == "true"
            kind = NameKind.PRIMARY if primary else NameKind.FORMER if alias_type == "F.K.A." else NameKind.ALIAS
            names.append(RecordName(text, kind, weak=alias.get("LowQuality") == "true"))
    if not names:
        raise fail(path, element.sourceline, f"party {profile.get('ID')} has no name", "Alias")
    names.sort(key=lambda name: name.kind is not NameKind.PRIMARY)
    party = _Party(
        str(profile.get("ID")), element.sourceline or 0, schema, names, identity_ids, Parsed(), [],
        (element.findtext("Comment") or "").strip(),
    )  # fmt: skip
    for feature in profile.iterfind("Feature"):
        _feature(feature, lookups, party)
    return party


def load_ofac_advanced_xml(path: Path, expected: SourceList | None = None) -> LoadedSource:
    data, loaded = read_input(path)
    lookups = _Lookups()
    parties: dict[str, _Party] = {}
    relations: list[tuple[str, str, str]] = []
    issued: date | None = None
    wanted = {"DateOfIssue", "ReferenceValueSets", "Location", "IDRegDocument", "DistinctParty"}
    wanted |= {"ProfileRelationship", "SanctionsEntry"}
    for element in iter_elements(path, data, "Sanctions", wanted):
        tag = element.tag
        if tag == "DateOfIssue":
            issued = _date_of(element)
        elif tag == "ReferenceValueSets":
            _reference_values(element, lookups)
        elif tag == "Location":
            _location(element, lookups)
        elif tag == "IDRegDocument":
            _document(element, lookups)
        elif tag == "DistinctParty":
            party = _party(element, lookups, path)
            if party.profile_id in parties:
                first = parties[party.profile_id].line
                raise fail(path, party.line, f"duplicate profile {party.profile_id} (first at line {first})")
            parties[party.profile_id] = party
        elif tag == "ProfileRelationship":
            kind = lookups.text("RelationType", element.get("RelationTypeID"))
            relations.append((str(element.get("From-ProfileID")), kind, str(element.get("To-ProfileID"))))
        elif tag == "SanctionsEntry":
            entry_party = parties.get(str(element.get("ProfileID")))
            if entry_party is None:
                continue
            list_name = lookups.text("List", element.get("ListID"))
            if list_name and list_name not in _UMBRELLA_LISTS:
                entry_party.lists.append(_LIST_CODES.get(list_name, list_name))
            for measure in element.iterfind("SanctionsMeasure"):
                if lookups.text("SanctionsType", measure.get("SanctionsTypeID")) == "Program":
                    program = (measure.findtext("Comment") or "").strip()
                    if program:
                        entry_party.programs.append(program)
            listed = _date_of(element.find("EntryEvent/Date"))
            if listed is not None:
                entry_party.parsed.dates.append(RecordDate(DateKind.LISTED, listed.isoformat(), listed, listed))
    if not parties:
        raise fail(path, None, "no DistinctParty elements: the list is empty")
    for source, kind, target in relations:
        if source in parties and target in parties:
            parties[source].parsed.facts.append(RecordFact(FactKey.LINKED_TO, kind, parties[target].names[0].text))
    records = [_record(party, lookups) for party in parties.values()]
    sdn = sum("SDN" in record.lists for record in records)
    found = SourceList.OFAC_SDN if sdn > len(records) / 2 else SourceList.OFAC_CONS
    if expected is not None and expected is not found:
        raise fail(path, None, f"given as {expected.value} but the file is {found.value} ({sdn} SDN entries)")
    return LoadedSource(
        found,
        SourceFormat.OFAC_ADVANCED_XML,
        (loaded,),
        records,
        at_new_york(issued) if issued else None,
        IssuedFrom.FILE if issued else IssuedFrom.NONE,
    )


def _record(party: _Party, lookups: _Lookups) -> SourceRecord:
    parsed = party.parsed
    for identity_id in party.identity_ids:
        for label, number, country in lookups.documents.get(identity_id, []):
            if not classify_id(label, number, country, parsed):
                parsed.extra.append((label, number))
    schema = party.schema
    if schema is RecordSchema.ORGANIZATION and any(f.label in ("ISIN", "Equity Ticker") for f in parsed.facts):
        schema = RecordSchema.COMPANY
    return SourceRecord(
        source_id=party.profile_id,
        schema=schema,
        name=party.names[0].text,
        names=(*party.names, *parsed.names),
        identifiers=tuple(parsed.identifiers),
        programs=tuple(dict.fromkeys(party.programs)),
        lists=tuple(dict.fromkeys(party.lists)),
        addresses=tuple(dict.fromkeys(party.addresses)),
        dates=tuple(parsed.dates),
        countries=tuple(dict.fromkeys(parsed.countries)),
        remarks=party.remarks,
        facts=tuple(parsed.facts),
        extra=tuple(parsed.extra),
    )
