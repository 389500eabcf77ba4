"""What changed between two versions of one list: entries added and removed, and for entries in both, the
names, identifiers, programs and lists gained or lost. Entries are matched by their id in the list.

The JSON form (`DiffReport.to_json`) is stable and documented in docs/sources.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from redline.model.list_diff import Change as Change
from redline.model.list_diff import DiffReport as DiffReport
from redline.model.list_diff import Entry as Entry
from redline.model.records import RecordIdentifier, SourceRecord


def _ident(identifier: RecordIdentifier) -> str:
    label = f"{identifier.scheme.value.upper()} {identifier.value}"
    return f"{label} {identifier.exchange}" if identifier.exchange else label


def _entry(record: SourceRecord) -> Entry:
    return Entry(record.source_id, record.name, record.schema.value, record.programs)


def _delta(before: Iterable[str], after: Iterable[str]) -> tuple[list[str], list[str]]:
    old, new = dict.fromkeys(before), dict.fromkeys(after)
    return [item for item in new if item not in old], [item for item in old if item not in new]


def _change(old: SourceRecord, new: SourceRecord) -> Change | None:
    change = Change(new.source_id, new.name)
    itemised = {
        "name": ([old.name], [new.name]),
        "names": ([n.text for n in old.names], [n.text for n in new.names]),
        "identifiers": ([_ident(i) for i in old.identifiers], [_ident(i) for i in new.identifiers]),
        "programs": (list(old.programs), list(new.programs)),
        "lists": (list(old.lists), list(new.lists)),
    }
    for name, (before, after) in itemised.items():
        added, removed = _delta(before, after)
        if added or removed:
            change.fields[name] = (added, removed)
    if "name" in change.fields:
        # The primary name is reported once, as a rename; names keeps the other spellings.
        names = change.fields.get("names", ([], []))
        renamed = {old.name, new.name}
        remaining = ([n for n in names[0] if n not in renamed], [n for n in names[1] if n not in renamed])
        if any(remaining):
            change.fields["names"] = remaining
        else:
            change.fields.pop("names", None)
    for name in ("schema", "addresses", "dates", "countries", "remarks", "facts", "extra"):
        if getattr(old, name) != getattr(new, name):
            change.other.append(name)
    return change if change.fields or change.other else None


def diff_records(before: Iterable[SourceRecord], after: Iterable[SourceRecord], labels: tuple[str, str]) -> DiffReport:
    old = {record.source_id: record for record in before}
    new = {record.source_id: record for record in after}
    added = [_entry(new[key]) for key in new if key not in old]
    removed = [_entry(old[key]) for key in old if key not in new]
    changed: list[Change] = []
    unchanged = 0
    for key in new.keys() & old.keys():
        change = _change(old[key], new[key])
        if change is None:
            unchanged += 1
        else:
            changed.append(change)

    def order(item: Entry | Change) -> tuple[int, str]:
        return (int(item.id), item.id) if item.id.isdigit() else (0, item.id)

    return DiffReport(
        labels[0],
        labels[1],
        sorted(added, key=order),
        sorted(removed, key=order),
        sorted(changed, key=order),
        unchanged,
    )
