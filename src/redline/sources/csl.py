"""trade.gov's Consolidated Screening List (CSL): the export-screening lists of Commerce, State and the Treasury
in one file, as CSV (`consolidated.csv`) or JSON (`consolidated.json`, `{"results": [...]}`).

The CSV flattens lists with "; " (names, programs, addresses) and ids as "type, number, country"; the JSON
keeps them as lists and objects. Both become the same rows here. Each row's `source` names its list, e.g.
"Entity List (EL) - Bureau of Industry and Security"; the code in brackets becomes the record's list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redline.model import NameKind
from redline.model.records import RecordAddress, RecordName, RecordSchema, SourceRecord
from redline.sources.errors import shorten
from redline.sources.loaded import (
    LoadedSource,
    SourceFormat,
    SourceList,
    decode_utf8,
    fail,
    merge_repeated,
    read_input,
)
from redline.sources.ofac_fields import Parsed, add_birth_date, classify_id

_COLUMNS = ("_id", "source", "entity_number", "type", "programs", "name", "alt_names", "ids")
_SCHEMAS = {"individual": RecordSchema.PERSON, "entity": RecordSchema.ORGANIZATION, "vessel": RecordSchema.VESSEL}
_LIST_CODE = re.compile(r"\(([^()]+)\)")
# The CSL's own codes for OFAC's non-SDN lists, in the names OFAC uses (as the OFAC loaders do).
_LIST_NAMES = {"CMIC": "NS-CMIC", "PLC": "NS-PLC", "NS-MBS LIST": "NS-MBS", "CAP": "CAPTA"}
_COUNTRY_CODE = re.compile(r"^(?P<value>.*), (?P<country>[A-Z]{2})$")


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def _csv_ids(value: str) -> list[dict[str, str]]:
    ids = []
    for item in _split(value):
        label, _, rest = item.partition(", ")
        country = ""
        match = _COUNTRY_CODE.match(rest)
        if match and not label.startswith(("Issuer Name", "Target Type")):
            rest, country = match.group("value"), match.group("country")
        ids.append({"type": label, "number": rest, "country": country})
    return ids


def _list_of(source: str) -> str:
    match = _LIST_CODE.search(source)
    code = match.group(1).strip() if match else source.strip()
    return _LIST_NAMES.get(code.upper(), code)


def _record(row: dict[str, Any], where: str) -> SourceRecord:
    record_id = str(row.get("_id") or row.get("id") or "").strip()
    name = str(row.get("name") or "").strip()
    if not record_id:
        raise ValueError(f"{where}: a row without an id")
    if not name:
        raise ValueError(f"{where}: row {record_id} has no name")
    parsed = Parsed()
    ids = row.get("ids") or []
    if not isinstance(ids, list):
        raise ValueError(f"{where}: ids is not a list (a {type(ids).__name__})")
    for position, ident in enumerate(ids):
        if not isinstance(ident, dict):
            raise ValueError(f"{where}: ids[{position}] is not an object (a {type(ident).__name__})")
        label, number = str(ident.get("type") or ""), str(ident.get("number") or "")
        country = str(ident.get("country") or "") or None
        if label and number and not classify_id(label, number, country, parsed):
            parsed.extra.append((label, number))
    for dob in _split(row.get("dates_of_birth")):
        add_birth_date(dob, parsed)
    schema = _SCHEMAS.get(str(row.get("type") or "").lower(), RecordSchema.LEGAL_ENTITY)
    if schema is RecordSchema.ORGANIZATION and any(f.label in ("ISIN", "Equity Ticker") for f in parsed.facts):
        schema = RecordSchema.COMPANY
    addresses = []
    for address in row.get("addresses") or []:
        if isinstance(address, str):
            addresses.append(RecordAddress(address))
            continue
        parts = [str(address.get(key) or "") for key in ("address", "city", "state", "postal_code", "country")]
        text = ", ".join(part for part in parts if part)
        if text:
            addresses.append(RecordAddress(text, address.get("country") or None, address.get("city") or None))
    extra = [
        (key, str(row[key]).strip())
        for key in ("title", "federal_register_notice", "start_date", "end_date", "license_requirement",
                    "license_policy", "vessel_flag", "call_sign", "source_information_url", "entity_number")
        if str(row.get(key) or "").strip()
    ]  # fmt: skip
    list_code = _list_of(str(row.get("source") or ""))
    return SourceRecord(
        # One party can sit on two of the CSL's lists under the same number (an OFAC entity on SSI and NS-MBS).
        source_id=f"{list_code}:{record_id}",
        schema=schema,
        name=name,
        names=(
            RecordName(name, NameKind.PRIMARY),
            *(RecordName(alias, NameKind.ALIAS) for alias in _split(row.get("alt_names"))),
            *parsed.names,
        ),
        identifiers=tuple(parsed.identifiers),
        programs=tuple(_split(row.get("programs"))),
        lists=(list_code,),
        addresses=tuple(addresses),
        dates=tuple(parsed.dates),
        countries=tuple(dict.fromkeys([*_split(row.get("nationalities")), *_split(row.get("citizenships"))])),
        remarks=str(row.get("remarks") or "").strip(),
        facts=tuple(parsed.facts),
        extra=(*extra, *parsed.extra),
    )


def _collect(
    path: Path, rows: Iterator[tuple[int, dict[str, Any]]], warnings: list[str], json_items: bool = False
) -> list[SourceRecord]:
    """Records by id; in JSON the position is the item's index in `results`, not a line."""
    by_id: dict[str, tuple[SourceRecord, int]] = {}

    def at(position: int) -> tuple[int | None, str]:
        return (None, f"results[{position}]: ") if json_items else (position, "")

    for line, row in rows:
        line_no, prefix = at(line)
        try:
            record = _record(row, f"{path}:{line}")
        except ValueError as exc:
            raise fail(path, line_no, prefix + str(exc).split(": ", 1)[-1]) from None
        except (TypeError, AttributeError) as exc:  # a JSON value of a type no CSL field has
            raise fail(path, line_no, f"{prefix}a field of an unexpected type ({shorten(str(exc))})") from None
        if record.source_id in by_id:
            first, first_line = by_id[record.source_id]
            merged = merge_repeated(first, record)
            if merged is None:
                where = f"results[{first_line}]" if json_items else f"line {first_line}"
                raise fail(path, line_no, f"{prefix}duplicate id {record.source_id} (first at {where})", "id")
            warnings.append(f"{path}: {prefix or f'line {line}: '}id {record.source_id} repeats; merged")
            record, line = merged, first_line
        by_id[record.source_id] = (record, line)
    if not by_id:
        raise fail(path, None, "the list has no entries")
    return [record for record, _ in by_id.values()]


def load_csl_csv(path: Path) -> LoadedSource:
    data, loaded = read_input(path)
    text = decode_utf8(path, data)
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise fail(path, 1, f"not valid CSV: {exc}") from None
    missing = [column for column in _COLUMNS if column not in header]
    if missing:
        raise fail(path, 1, f"not a CSL CSV: missing column(s) {', '.join(missing)}")
    warnings: list[str] = []

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for values in reader:
                if values.get("_id") == "_id":  # a repeated header row (seen in trade.gov extracts)
                    warnings.append(f"{path}:{reader.line_num}: repeated header row skipped")
                    continue
                row: dict[str, Any] = dict(values)
                row["ids"] = _csv_ids(values.get("ids") or "")
                row["addresses"] = _split(values.get("addresses"))
                yield reader.line_num, row
        except csv.Error as exc:
            raise fail(path, reader.line_num, f"not valid CSV: {exc}") from None

    records = _collect(path, rows(), warnings)
    return LoadedSource(SourceList.TRADE_CSL, SourceFormat.CSL_CSV, (loaded,), records, warnings=warnings)


def load_csl_json(path: Path) -> LoadedSource:
    data, loaded = read_input(path)
    text = decode_utf8(path, data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(path, exc.lineno, f"not valid JSON (truncated?): {exc.msg}") from None
    except RecursionError:
        raise fail(path, 1, "JSON nested too deeply") from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list) or not all(isinstance(item, dict) for item in results):
        raise fail(path, 1, 'not a CSL JSON file: expected {"results": [ {...}, ... ]}')
    warnings: list[str] = []
    records = _collect(path, enumerate(results), warnings, json_items=True)
    return LoadedSource(SourceList.TRADE_CSL, SourceFormat.CSL_JSON, (loaded,), records, warnings=warnings)
