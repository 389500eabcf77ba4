"""OFAC's legacy CSV quartet: the SDN list (`sdn`, `add`, `alt`, `sdn_comments`) and the consolidated non-SDN
list (`cons_prim`, `cons_add`, `cons_alt`, `cons_comments`).

Quirks (OFAC "SDN and Non-SDN Data File Specifications"): no header row; cp1252; a Ctrl-Z (0x1A) byte after the
last line; `-0-` (often `-0- ` with a space) for an empty field; several programs in one field as `A] [B`;
remarks longer than the field continue, mid-word, in the comments file under the same entity number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from redline.model import IdScheme, NameKind
from redline.model.records import RecordAddress, RecordName, RecordSchema, SourceRecord
from redline.sources.errors import shorten
from redline.sources.list_kinds import consolidated_lists, which_ofac_list
from redline.sources.loaded import (
    LoadedFile,
    LoadedSource,
    SourceFormat,
    SourceList,
    fail,
    read_input,
)
from redline.sources.ofac_fields import Parsed, parse_remarks

# Column count of each file of the quartet identifies it.
_ROLES = {12: "main", 6: "add", 5: "alt", 2: "comments"}
_MAIN_COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT",
    "Vess_flag", "Vess_owner", "Remarks",
)  # fmt: skip
_EXTRA_COLUMNS = (
    ("title", 4), ("call_sign", 5), ("vessel_type", 6), ("tonnage", 7), ("gross_registered_tonnage", 8),
    ("vessel_flag", 9), ("vessel_owner", 10),
)  # fmt: skip
_SCHEMAS = {"individual": RecordSchema.PERSON, "vessel": RecordSchema.VESSEL, "aircraft": RecordSchema.AIRPLANE}
_EMPTY = "-0-"


@dataclass(frozen=True, slots=True)
class _Row:
    file: str
    line: int
    values: list[str]


def _value(raw: str) -> str:
    value = raw.strip()
    return "" if value == _EMPTY else value


def decode_cp1252(path: Path, data: bytes) -> tuple[str, str | None]:
    """OFAC publishes cp1252; a UTF-8 file (a re-saved copy) is read as UTF-8 with a warning."""
    data = data.rstrip(b"\x1a\r\n") + b"\n"
    try:
        text = data.decode("utf-8")
        if not data.isascii():
            return text, f"{path}: file is UTF-8, not the cp1252 OFAC publishes; read as UTF-8"
        return text, None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(
            path, line, f"byte 0x{data[exc.start]:02x} is not cp1252 text (wrong encoding? OFAC files are cp1252)"
        ) from None


def _rows(path: Path, text: str) -> Iterator[_Row]:
    reader = csv.reader(io.StringIO(text))
    try:
        for values in reader:
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            yield _Row(str(path), reader.line_num, values)
    except csv.Error as exc:
        raise fail(path, reader.line_num, f"not valid CSV: {exc}") from None


def siblings(main: Path) -> dict[str, Path]:
    """The add/alt/comments files beside `sdn*.csv` or `cons_prim*.csv`, named the way OFAC names them."""
    stem, parent = main.name, main.parent
    lower = stem.lower()
    if lower.startswith("cons_prim"):
        rest = stem[len("cons_prim") :]
        names = {"add": f"cons_add{rest}", "alt": f"cons_alt{rest}", "comments": f"cons_comments{rest}"}
    elif lower.startswith("sdn"):
        rest = stem[len("sdn") :]
        names = {"add": f"add{rest}", "alt": f"alt{rest}", "comments": f"sdn_comments{rest}"}
    else:
        return {}
    return {role: parent / name for role, name in names.items() if (parent / name).is_file()}


def _role_of(path: Path, rows: list[_Row]) -> str:
    first = rows[0]
    role = _ROLES.get(len(first.values))
    if role is None:
        raise fail(
            path,
            first.line,
            f"{len(first.values)} fields: not an OFAC legacy CSV (the main file has 12 fields, add 6, alt 5, "
            "comments 2, and no header row)",
        )
    if not first.values[0].strip().isdigit():
        raise fail(
            path, first.line, f"first field {first.values[0][:40]!r} is not an OFAC entity number (a header row?)"
        )
    return role


def load_ofac_csv(
    paths: Sequence[Path], expected: SourceList | None = None, find_siblings: bool = True
) -> LoadedSource:
    """Read the quartet. `paths` may be the main file alone (siblings are found by name) or all four files."""
    files: dict[str, tuple[Path, list[_Row], LoadedFile]] = {}
    warnings: list[str] = []
    queue = list(paths)
    while queue:
        path = queue.pop(0)
        data, loaded = read_input(path)
        text, warning = decode_cp1252(path, data)
        if warning:
            warnings.append(warning)
        rows = list(_rows(path, text))
        if not rows:
            raise fail(path, None, "the file has no rows")
        role = _role_of(path, rows)
        if role in files:
            raise fail(path, None, f"two {role} files given: {files[role][0]} and {path}")
        files[role] = (path, rows, LoadedFile(loaded.path, role, loaded.sha256, loaded.size))
        if role == "main" and find_siblings and len(paths) == 1:
            queue.extend(p for r, p in siblings(path).items() if r not in files)
    if "main" not in files:
        given = ", ".join(f"{p} ({r})" for r, (p, _, _) in files.items())
        raise fail(paths[0], None, f"no main file (sdn.csv or cons_prim.csv) among {given}")
    main_path, main_rows, _ = files["main"]
    for role in ("add", "alt", "comments"):
        if role not in files:
            warnings.append(f"{main_path}: no {role} file found beside it; imported without it")

    source = _which_list(main_path, main_rows, expected)
    by_id = _parse_main(main_path, main_rows)
    continuations: dict[str, str] = {}
    if "comments" in files:
        path, rows, _ = files["comments"]
        for row in rows:
            _check_width(path, row, 2)
            ent = row.values[0].strip()
            _known(path, row, ent, by_id, warnings)
            continuations[ent] = continuations.get(ent, "") + row.values[1]
    names: dict[str, list[RecordName]] = {}
    if "alt" in files:
        path, rows, _ = files["alt"]
        for row in rows:
            _check_width(path, row, 5)
            ent, alt_type, alt_name = row.values[0].strip(), _value(row.values[2]).lower(), _value(row.values[3])
            if _known(path, row, ent, by_id, warnings) and alt_name:
                kind = NameKind.FORMER if alt_type == "fka" else NameKind.ALIAS
                weak = "weak" in _value(row.values[4]).lower()
                names.setdefault(ent, []).append(RecordName(alt_name, kind, weak=weak))
    addresses: dict[str, list[RecordAddress]] = {}
    if "add" in files:
        path, rows, _ = files["add"]
        for row in rows:
            _check_width(path, row, 6)
            ent = row.values[0].strip()
            street, city, country = (_value(row.values[i]) for i in (2, 3, 4))
            text = ", ".join(part for part in (street, city, country) if part)
            if _known(path, row, ent, by_id, warnings) and text:
                addresses.setdefault(ent, []).append(RecordAddress(text, country or None, city or None))

    records = []
    for ent, (row, base) in by_id.items():
        remarks = _value(row.values[11])
        if ent in continuations:
            remarks = row.values[11].rstrip("\r\n") + continuations[ent]
        parsed = Parsed()
        parse_remarks(remarks, parsed)
        schema = base.schema
        if schema is RecordSchema.ORGANIZATION and (parsed.identifiers or parsed.facts):
            schema = RecordSchema.COMPANY if _is_company(parsed) else schema
        programs = base.programs
        lists = consolidated_lists(programs, remarks) if source is SourceList.OFAC_CONS else ("SDN",)
        records.append(
            SourceRecord(
                source_id=ent,
                schema=schema,
                name=base.name,
                names=(RecordName(base.name, NameKind.PRIMARY), *names.get(ent, ()), *parsed.names),
                identifiers=tuple(parsed.identifiers),
                programs=programs,
                lists=lists,
                addresses=tuple(addresses.get(ent, ())),
                dates=tuple(parsed.dates),
                countries=tuple(dict.fromkeys(parsed.countries)),
                remarks=remarks.strip(),
                facts=tuple(parsed.facts),
                extra=(*base.extra, *parsed.extra),
            )
        )
    return LoadedSource(
        source=source,
        format=SourceFormat.OFAC_CSV,
        files=tuple(loaded for _, _, loaded in files.values()),
        records=records,
        warnings=warnings,
    )


def _is_company(parsed: Parsed) -> bool:
    company_schemes = {IdScheme.ISIN, IdScheme.TICKER, IdScheme.LEI, IdScheme.USCC, IdScheme.REGISTRATION}
    if any(ident.scheme in company_schemes for ident in parsed.identifiers):
        return True
    return any(fact.label == "Target Type" and "Company" in fact.value for fact in parsed.facts)


def _check_width(path: Path, row: _Row, width: int) -> None:
    if len(row.values) != width:
        raise fail(path, row.line, f"expected {width} fields, found {len(row.values)}")


def _known(path: Path, row: _Row, ent: str, by_id: dict[str, tuple[_Row, SourceRecord]], warnings: list[str]) -> bool:
    if ent in by_id:
        return True
    warnings.append(f"{path}:{row.line}: entity {shorten(ent)} is not in the main file; row skipped")
    return False


def _parse_main(path: Path, rows: list[_Row]) -> dict[str, tuple[_Row, SourceRecord]]:
    by_id: dict[str, tuple[_Row, SourceRecord]] = {}
    for row in rows:
        _check_width(path, row, 12)
        ent = row.values[0].strip()
        if not ent.isdigit():
            raise fail(path, row.line, f"{ent[:40]!r} is not an entity number", "ent_num")
        if ent in by_id:
            raise fail(path, row.line, f"duplicate entity number {ent} (first at line {by_id[ent][0].line})", "ent_num")
        name = _value(row.values[1])
        if not name:
            raise fail(path, row.line, "an entry needs a name", "SDN_Name")
        programs = tuple(p.strip(" []") for p in _value(row.values[3]).split("] [") if p.strip(" []"))
        schema = _SCHEMAS.get(_value(row.values[2]).lower(), RecordSchema.ORGANIZATION)
        extra = tuple((key, _value(row.values[i])) for key, i in _EXTRA_COLUMNS if _value(row.values[i]))
        by_id[ent] = (row, SourceRecord(ent, schema, name, programs=programs, extra=extra))
    return by_id


def _which_list(path: Path, rows: list[_Row], expected: SourceList | None) -> SourceList:
    programs = [
        tuple(p.strip(" []") for p in _value(row.values[3]).split("] [")) for row in rows if len(row.values) > 3
    ]
    return which_ofac_list(path, programs, expected)
