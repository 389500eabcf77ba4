"""What changed between two versions of one list, as a report: entries added and removed, and for entries in both,
the names, identifiers, programs and lists gained or lost (computed by `redline.sources.diff`).

The JSON form (`DiffReport.to_json`) is stable and documented in docs/sources.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    name: str
    schema: str
    programs: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "schema": self.schema, "programs": list(self.programs)}


@dataclass
class Change:
    id: str
    name: str
    fields: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # field -> (added, removed)
    other: list[str] = field(default_factory=list)  # fields that changed in ways not itemised (remarks, dates)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            **{name: {"added": added, "removed": removed} for name, (added, removed) in self.fields.items()},
            "other_changes": self.other,
        }


@dataclass
class DiffReport:
    before: str
    after: str
    added: list[Entry]
    removed: list[Entry]
    changed: list[Change]
    unchanged: int

    def to_json(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
            },
            "added": [entry.to_json() for entry in self.added],
            "removed": [entry.to_json() for entry in self.removed],
            "changed": [change.to_json() for change in self.changed],
        }
