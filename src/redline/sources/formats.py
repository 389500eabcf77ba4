"""Which loader reads a file: detected from its first bytes, or named by the user (`--as KIND`).

A KIND names a list and a format (`ofac-sdn-csv`, `un-xml`, ...). When the user names one, the file must be
that: an SDN file given as the consolidated list, or a UN file given as OFAC XML, is refused, not imported.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from redline.model import InstantError, parse_instant
from redline.sources.errors import shorten
from redline.sources.loaded import IssuedFrom, LoadedSource, SourceFormat, SourceList, check_bytes, fail


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    format: SourceFormat
    source: SourceList | None  # None: the loader works it out (SDN vs consolidated)
    help: str


LIST_FILE_KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("ofac-sdn-csv", SourceFormat.OFAC_CSV, SourceList.OFAC_SDN, "OFAC SDN legacy CSV (sdn/add/alt/comments)"),
        Kind(
            "ofac-cons-csv", SourceFormat.OFAC_CSV, SourceList.OFAC_CONS, "OFAC consolidated legacy CSV (cons_prim...)"
        ),
        Kind("ofac-sdn-xml", SourceFormat.OFAC_XML, SourceList.OFAC_SDN, "OFAC sdn.xml"),
        Kind("ofac-cons-xml", SourceFormat.OFAC_XML, SourceList.OFAC_CONS, "OFAC consolidated.xml"),
        Kind("ofac-advanced-xml", SourceFormat.OFAC_ADVANCED_XML, None, "OFAC sdn_advanced.xml / cons_advanced.xml"),
        Kind("un-xml", SourceFormat.UN_XML, SourceList.UN_SC, "UN Security Council consolidated list XML"),
        Kind("csl-csv", SourceFormat.CSL_CSV, SourceList.TRADE_CSL, "trade.gov Consolidated Screening List CSV"),
        Kind("csl-json", SourceFormat.CSL_JSON, SourceList.TRADE_CSL, "trade.gov Consolidated Screening List JSON"),
        Kind("ftm", SourceFormat.FTM_JSON, SourceList.FTM, "FollowTheMoney entities, JSON lines (OpenSanctions)"),
    )
}

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_XML_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_ROOTS = {
    b"CONSOLIDATED_LIST": SourceFormat.UN_XML,
    b"sdnList": SourceFormat.OFAC_XML,
    b"Sanctions": SourceFormat.OFAC_ADVANCED_XML,
}


def detect_format(path: Path, data: bytes) -> SourceFormat:
    """The format of a file from its first bytes."""
    check_bytes(path, data)
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.DOTALL)
        match = _XML_ROOT.search(body)
        root = match.group(2) if match else b"?"
        if root in _ROOTS:
            return _ROOTS[root]
        raise fail(path, 1, f"XML with root <{root.decode(errors='replace')}> is not a list format Redline reads")
    if head.startswith((b"{", b"[")):
        first_line = head.split(b"\n", 1)[0]
        try:
            first = json.loads(first_line)
        except ValueError:
            return SourceFormat.CSL_JSON  # one JSON document over many lines: the CSL download
        except RecursionError:
            raise fail(path, 1, "JSON nested too deeply") from None
        if isinstance(first, dict) and "schema" in first and "properties" in first:
            return SourceFormat.FTM_JSON
        return SourceFormat.CSL_JSON
    first_line = head.split(b"\n", 1)[0]
    if first_line.lower().startswith((b"_id,", b'"_id",')) and b"source" in first_line:
        return SourceFormat.CSL_CSV
    if re.match(rb"^\d+,", first_line):
        return SourceFormat.OFAC_CSV
    raise fail(
        path, 1, "not a list format Redline recognises (OFAC CSV/XML, UN XML, CSL CSV/JSON, FtM JSON); use --as KIND"
    )


def load(
    paths: Sequence[Path], kind: str | None = None, issued: datetime | None = None, label: str | None = None
) -> LoadedSource:
    """Read one list file (or the OFAC quartet) with the right loader, checking it against `kind` when given."""
    if not paths:
        raise ValueError("no file given")
    main = paths[0]
    try:
        data = main.read_bytes()
    except OSError as exc:
        raise fail(main, None, f"cannot read: {exc.strerror or exc}") from None
    found = detect_format(main, data)
    expected: Kind | None = None
    if kind is not None:
        if kind not in LIST_FILE_KINDS:
            raise fail(main, None, f"unknown kind {shorten(kind)}; one of {', '.join(LIST_FILE_KINDS)}")
        expected = LIST_FILE_KINDS[kind]
        if expected.format is not found:
            raise fail(main, None, f"given as {kind} but the file is {found.value}")
    if len(paths) > 1 and found is not SourceFormat.OFAC_CSV:
        raise fail(paths[1], None, "only the OFAC CSV quartet is imported from several files at once")
    loaded = _LOADERS[found](paths, expected.source if expected else None)
    if issued is not None:
        loaded.issued_at, loaded.issued_from = issued, IssuedFrom.OPTION
    elif loaded.issued_at is None:
        # Files without a date inside (OFAC and CSL CSV) are often saved under their date: sdn_2021-07-07.csv.
        dated = _DATE_IN_NAME.search(main.name)
        if dated:
            with contextlib.suppress(InstantError):  # 2021-13-45 is not a date; then there is none
                loaded.issued_at, loaded.issued_from = parse_instant(dated.group(1)), IssuedFrom.FILENAME
    if label:
        loaded.label = label
    return loaded


def _ofac_csv(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.ofac_csv import load_ofac_csv

    return load_ofac_csv(paths, source)


def _ofac_xml(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.ofac_xml import load_ofac_xml

    return load_ofac_xml(paths[0], source)


def _ofac_advanced(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.ofac_advanced import load_ofac_advanced_xml

    return load_ofac_advanced_xml(paths[0], source)


def _un_xml(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.un_xml import load_un_xml

    return load_un_xml(paths[0])


def _csl_csv(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.csl import load_csl_csv

    return load_csl_csv(paths[0])


def _csl_json(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.csl import load_csl_json

    return load_csl_json(paths[0])


def _ftm(paths: Sequence[Path], source: SourceList | None) -> LoadedSource:
    from redline.sources.ftm import load_ftm

    return load_ftm(paths[0])


_LOADERS: dict[SourceFormat, Callable[[Sequence[Path], SourceList | None], LoadedSource]] = {
    SourceFormat.OFAC_CSV: _ofac_csv,
    SourceFormat.OFAC_XML: _ofac_xml,
    SourceFormat.OFAC_ADVANCED_XML: _ofac_advanced,
    SourceFormat.UN_XML: _un_xml,
    SourceFormat.CSL_CSV: _csl_csv,
    SourceFormat.CSL_JSON: _csl_json,
    SourceFormat.FTM_JSON: _ftm,
}
