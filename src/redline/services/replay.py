"""Replaying a certificate: ask its question again with today's code against the data it recorded, and say
whether the answer is the same, and if not, what changed and why.

Two comparisons (docs/certificates.md#replay):
1. *Replayed*: today's code on the recorded data: the recorded snapshots (immutable, found by id and checked by
   content hash), the recorded accepted news facts, and today's bundled files (a release ships one version of them:
   when their hash differs from the recorded one, the report says which files changed). A difference here is a
   **rule fix** when no recorded data hash differs (the engine or a rules file: regimes.yaml, states.yaml,
   decisions.yaml, list_feeds.yaml) and a **data correction** when a bundled data file differs.
2. *With today's data*: today's code on today's catalog, as known at the same instant. A difference from (1) is a
   **data correction**: the snapshots or news facts added since the certificate, which are named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redline import __version__
from redline.catalog import Catalog, current_catalog, pinned_catalog
from redline.services.answers import ASKED, answer
from redline.services.certificates import has_news
from redline.services.status import StatusService
from redline.sources.bundled import data_files, data_version
from redline.store.news import NewsStore
from redline.store.snapshots import SnapshotNotFound, SnapshotStore

# Bundled files that hold rules (how the law is read) rather than facts about entities and lists.
RULE_FILES = frozenset({"regimes.yaml", "states.yaml", "decisions.yaml", "list_feeds.yaml"})
RULE_FIX = "rule_fix"
DATA_CORRECTION = "data_correction"


class CannotReplay(Exception):
    """The certificate's question cannot be asked again here (a screening without its file, missing snapshots)."""


@dataclass(frozen=True, slots=True)
class Difference:
    path: str  # a JSON path into the answer: `regimes[0].state`
    recorded: Any
    today: Any

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "recorded": self.recorded, "today": self.today}


def differences(recorded: Any, today: Any, path: str = "") -> list[Difference]:
    """Every leaf of two JSON values that differs, with its path (a list compared position by position)."""
    if isinstance(recorded, dict) and isinstance(today, dict):
        found: list[Difference] = []
        for key in sorted(set(recorded) | set(today)):
            where = f"{path}.{key}" if path else str(key)
            if key not in recorded or key not in today:
                found.append(Difference(where, recorded.get(key), today.get(key)))
            else:
                found += differences(recorded[key], today[key], where)
        return found
    if isinstance(recorded, list) and isinstance(today, list):
        found = []
        for index in range(max(len(recorded), len(today))):
            where = f"{path}[{index}]"
            if index >= len(recorded) or index >= len(today):
                found.append(Difference(where, recorded[index] if index < len(recorded) else None,
                                        today[index] if index < len(today) else None))  # fmt: skip
            else:
                found += differences(recorded[index], today[index], where)
        return found
    return [] if recorded == today else [Difference(path or "$", recorded, today)]


@dataclass(frozen=True, slots=True)
class Comparison:
    same: bool
    differences: tuple[Difference, ...]
    reason: dict[str, Any] | None  # {kind: rule_fix | data_correction, detail}

    def to_json(self) -> dict[str, Any]:
        return {
            "same": self.same,
            "differences": [d.to_json() for d in self.differences],
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ReplayReport:
    certificate_id: str
    kind: str
    bundled: dict[str, Any]
    engine: dict[str, str]
    replayed: Comparison
    with_today_data: Comparison
    notes: tuple[str, ...] = field(default=())

    @property
    def same(self) -> bool:
        return self.replayed.same and self.with_today_data.same

    def to_json(self) -> dict[str, Any]:
        return {
            "certificate": self.certificate_id,
            "kind": self.kind,
            "same": self.same,
            "engine": self.engine,
            "bundled_data": self.bundled,
            "replayed": self.replayed.to_json(),
            "with_today_data": self.with_today_data.to_json(),
            "notes": list(self.notes),
        }


def _bundled_changes(recorded: dict[str, Any]) -> dict[str, Any]:
    then, now = recorded.get("files", {}), data_files()
    changed = sorted(name for name in set(then) | set(now) if then.get(name) != now.get(name))
    return {
        "recorded": recorded.get("version"),
        "today": data_version(),
        "same": recorded.get("version") == data_version(),
        "changed_files": changed,
    }


def _replay_reason(bundled: dict[str, Any], engine: dict[str, str]) -> dict[str, Any]:
    """Why today's code on the recorded data answers differently: which recorded hash differs tells it."""
    data_changed = [name for name in bundled["changed_files"] if name not in RULE_FILES]
    rules_changed = [name for name in bundled["changed_files"] if name in RULE_FILES]
    if data_changed:
        detail = (
            f"a data correction: the bundled data changed since the certificate ({', '.join(data_changed)}; "
            f"data version {bundled['recorded']} then, {bundled['today']} now)"
        )
        return {"kind": DATA_CORRECTION, "detail": detail, "files": data_changed}
    versions = f"Redline {engine['recorded']} then, {engine['today']} now"
    if rules_changed:
        detail = f"a rule fix: the rules files changed ({', '.join(rules_changed)}); the recorded data is unchanged"
        return {"kind": RULE_FIX, "detail": f"{detail} ({versions})", "files": rules_changed}
    detail = f"a rule fix in the code: every recorded data hash still matches ({versions})"
    return {"kind": RULE_FIX, "detail": detail, "files": []}


def _added_since(recorded: dict[str, Any], today: Catalog, news: NewsStore) -> list[str]:
    """The editions and news facts today's catalog holds that the certificate's data did not."""
    known = {snapshot["id"] for snapshot in recorded.get("snapshots", [])}
    added = [
        f"snapshot {snapshot.id} ({snapshot.list_key}, known from {snapshot.known_from.date()}, "
        f"sha256 {snapshot.short_hash}...)"
        for snapshot, _ in today.editions
        if snapshot.id not in known
    ]
    accepted = set(recorded.get("news", {}).get("accepted", []))
    if has_news(today):
        added += [f"news fact {p.id} ({p.kind} {p.entity_id})" for p in news.accepted() if p.id not in accepted]
    return added


def _check_snapshots(recorded: dict[str, Any], snapshots: SnapshotStore) -> list[str]:
    problems = []
    for snapshot in recorded.get("snapshots", []):
        try:
            stored = snapshots.get(str(snapshot["id"]))
        except SnapshotNotFound:
            problems.append(f"snapshot {snapshot['id']} ({snapshot['list']}) is not in this database")
            continue
        if stored.content_hash != snapshot["content_sha256"] or stored.records_sha256 != snapshot["records_sha256"]:
            problems.append(f"snapshot {snapshot['id']} in this database is not the one recorded (its hash differs)")
    return problems


def replay(
    document: dict[str, Any],
    snapshots: SnapshotStore | None = None,
    news: NewsStore | None = None,
    today: Callable[[], Catalog] = current_catalog,
) -> ReplayReport:
    """Ask a verified certificate's question again (see the module docstring)."""
    body = document["certificate"]
    kind, question, recorded_answer, data = body["kind"], body["question"], body["answer"], body["data"]
    if kind not in ASKED:
        raise CannotReplay(f"a {kind} certificate is replayed by screening its file again (`redline screen`)")
    snapshots = snapshots or SnapshotStore()
    news = news or NewsStore()
    problems = _check_snapshots(data, snapshots)
    if problems:
        raise CannotReplay("; ".join(problems))
    recorded_ids = [snapshot["id"] for snapshot in data.get("snapshots", [])]
    pinned = pinned_catalog(recorded_ids, data.get("news", {}).get("accepted", []))
    replayed_answer = answer(kind, question, StatusService(lambda: pinned))
    bundled = _bundled_changes(data.get("bundled", {}))
    engine = {"recorded": body.get("engine", {}).get("redline", "?"), "today": __version__}
    found = differences(recorded_answer, replayed_answer)
    replayed = Comparison(not found, tuple(found), _replay_reason(bundled, engine) if found else None)
    current = today()
    added = _added_since(data, current, news)
    now_found: list[Difference] = []
    if added:
        now_found = differences(replayed_answer, answer(kind, question, StatusService(lambda: current)))
    reason = None
    if now_found:
        reason = {"kind": DATA_CORRECTION, "detail": f"a data correction: added since the certificate: "
                  f"{'; '.join(added)}", "added": added}  # fmt: skip
    notes = []
    if not bundled["same"]:
        notes.append(
            f"the bundled data version differs: {bundled['recorded']} recorded, {bundled['today']} today "
            f"(changed: {', '.join(bundled['changed_files'])}); the replay used today's bundled files"
        )
    if added and not now_found:
        notes.append(f"data added since the certificate does not change this answer: {'; '.join(added)}")
    return ReplayReport(
        body["id"],
        kind,
        bundled,
        engine,
        replayed,
        Comparison(not now_found, tuple(now_found), reason),
        tuple(notes),
    )
