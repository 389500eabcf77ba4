"""Resolver benchmark: Redline vs nomenklatura logic-v2 and logic-v1, same pairs, same process.

    .venv/bin/pip install -e '.[dev,bench]'
    .venv/bin/python bench/resolve/run.py [--json bench/resolve/results.json] [--shared ../shared/data]

Sets:
1. yente's UN fixture (../shared/data/matching): treated rows are noisy copies of untreated rows, row for
   row, queried with their birth dates against an index of the UN consolidated XML; the 1,000 synthetic
   people are the negatives. Reported: recall at zero false positives (threshold just above the best
   negative score) and at Redline's default threshold, end to end through the index.
2. china_set.csv against the bundled lists, end to end: precision and recall at the default threshold.
3. The same queries as entity pairs for all three matchers: the positive pair is (query, expected entity
   with all its names and birth dates); the negative pair is (query, the list entity nearest to it by
   rapidfuzz WRatio over all names, a neutral choice). F1 at each matcher's default threshold (Redline
   0.80, nomenklatura 0.70), recall at zero false positives, and pairs per second on one core.
4. Latency of `Resolver.resolve` against bundled + OFAC SDN + OFAC consolidated + UN: p50/p95, build time,
   memory (RSS growth while building).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from redline.resolve import DEFAULT_THRESHOLD, Record, Resolver
from redline.resolve.forms import prepare
from redline.resolve.persons import compare_birth_dates, parse_birth_date
from redline.resolve.resolver import _person_flag, best_name_score
from redline.resolve.text import fold
from redline.sources.ofac_csv import load_ofac_csv
from redline.sources.un_xml import load_un_xml
from redline.store.reference import bundled_store

HERE = Path(__file__).resolve().parent
_QUERY_IDS = itertools.count()
NK_THRESHOLD = 0.70


@dataclass
class Query:
    text: str
    schema: str
    birth_date: str | None
    expected: str | None  # entity id ("a|b": either is right), or None for a negative


@dataclass
class Pair:
    query: Query
    target: Record
    positive: bool


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def load_un(shared: Path) -> list[Record]:
    source = load_un_xml(shared / "un" / "UN_consolidated_2026-02-27.xml")
    return [Record.from_source_record(r, "UN", "un-") for r in source.records]


def load_ofac(shared: Path) -> list[Record]:
    sdn = load_ofac_csv([shared / "ofac" / "sdn_2021-07-07.csv"])
    cons = load_ofac_csv([shared / "ofac" / "cons_prim_2025-12-19.csv"])
    return [Record.from_source_record(r, "SDN", "sdn-") for r in sdn.records] + [
        Record.from_source_record(r, "CONS", "cons-") for r in cons.records
    ]


def un_queries(shared: Path, records: list[Record]) -> list[Query]:
    by_name: dict[str, list[str]] = {}  # a name the UN list gives two entries (the same person twice) names both
    for record in records:
        for name in record.names:
            ids = by_name.setdefault(fold(name), [])
            if record.entity_id not in ids:
                ids.append(record.entity_id)
    folder = shared / "matching"
    treated = list(csv.DictReader((folder / "positives_un_treated.csv").open(encoding="utf-8")))
    untreated = list(csv.DictReader((folder / "positives_un_untreated.csv").open(encoding="utf-8")))
    queries: list[Query] = []
    unknown = 0
    for noisy, clean in zip(treated, untreated, strict=True):
        expected = by_name.get(fold(clean["full_name"]))
        if expected is None:
            unknown += 1
            continue
        queries.append(Query(noisy["full_name"], "Person", noisy["date_of_birth"] or None, "|".join(expected)))
    if unknown:
        print(f"  UN fixture: {unknown} untreated names not found in the UN XML (left out)")
    for row in csv.DictReader((folder / "negatives_us_synthetic_1000.csv").open(encoding="utf-8")):
        queries.append(Query(row["full_name"], "Person", row["date_of_birth"] or None, None))
    return queries


def china_queries() -> tuple[list[Query], list[Query]]:
    scored, review = [], []
    for row in csv.DictReader((HERE / "china_set.csv").open(encoding="utf-8")):
        query = Query(row["query"], "Company", None, row["expected"] or None)
        (review if row["note"] == "review-only" else scored).append(query)
    return scored, review


def end_to_end(resolver: Resolver, queries: list[Query]) -> dict[str, Any]:
    """Top candidate per query; recall at the default threshold and at zero false positives."""
    top_negative = 0.0
    positives: list[tuple[float, bool]] = []  # (score of the expected entity if ranked first, found)
    tp = fp = fn = 0
    misses: list[str] = []
    false_positives: list[str] = []
    for q in queries:
        candidates = resolver.resolve(q.text, schema=q.schema, birth_date=q.birth_date, limit=5)
        best = candidates[0] if candidates else None
        if q.expected is None:
            score = best.score if best else 0.0
            top_negative = max(top_negative, score)
            if best and best.match:
                fp += 1
                false_positives.append(f"{q.text} -> {best.name} {best.score:.2f}")
            continue
        if best and best.entity_id in q.expected.split("|"):
            positives.append((best.score, True))
            if best.match:
                tp += 1
            else:
                fn += 1
                misses.append(f"{q.text} -> {best.name} {best.score:.2f} (below threshold)")
        else:
            positives.append((0.0, False))
            fn += 1
            if best and best.match:
                fp += 1
            misses.append(f"{q.text} -> {best.name if best else None} {best.score if best else 0:.2f} (wrong/none)")
    n_pos = len(positives)
    at_zero_fp = sum(1 for score, ok in positives if ok and score > top_negative) / n_pos if n_pos else 0.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / n_pos if n_pos else 0.0
    return {
        "queries": len(queries),
        "positives": n_pos,
        "negatives": len(queries) - n_pos,
        "threshold": resolver.threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "false_positives": fp,
        "best_negative_score": round(top_negative, 4),
        "recall_at_zero_fp": round(at_zero_fp, 4),
        "misses": misses[:25],
        "false_positive_examples": false_positives[:25],
    }


def make_pairs(queries: list[Query], records: list[Record]) -> list[Pair]:
    by_id = {r.entity_id: r for r in records}
    names: list[str] = []
    owners: list[int] = []
    for number, record in enumerate(records):
        for name in record.names:
            names.append(name)
            owners.append(number)
    pairs = []
    for q in queries:
        if q.expected:
            pairs.append(Pair(q, by_id[q.expected.split("|")[0]], True))
        else:
            found = process.extractOne(q.text, names, scorer=fuzz.WRatio)
            pairs.append(Pair(q, records[owners[found[2]]], False))
    return pairs


def redline_scorer() -> Callable[[Pair], float]:
    cache: dict[str, Any] = {}

    def score(pair: Pair) -> float:
        q, target = pair.query, pair.target
        person = _person_flag(q.schema)
        key = target.entity_id
        if key not in cache:
            cache[key] = [f for n in target.names for f in prepare(n, _person_flag(target.schema)) if f.tokens]
        queries = [f for f in prepare(q.text, person) if f.tokens]
        best = best_name_score(queries, cache[key])
        value = best[0].score if best else 0.0
        dob = parse_birth_date(q.birth_date) if q.birth_date else None
        dates = [d for d in map(parse_birth_date, target.birth_dates) if d]
        if dob and dates:
            value = max(0.0, value + compare_birth_dates(dob, dates)[0])
        return value

    return score


def nomenklatura_scorer(name: str) -> Callable[[Pair], float]:
    from followthemoney import Dataset, StatementEntity
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    dataset = Dataset.make({"name": "bench", "title": "bench"})
    algorithm = get_algorithm(name)
    assert algorithm is not None
    config = ScoringConfig.defaults()
    cache: dict[str, Any] = {}

    def entity(eid: str, schema: str, names: list[str], dobs: list[str]) -> Any:
        schema = schema if schema in ("Person", "Company", "Organization", "Vessel") else "LegalEntity"
        props: dict[str, list[str]] = {"name": names}
        if dobs:
            props["birthDate"] = dobs
        return StatementEntity.from_data(dataset, {"id": eid, "schema": schema, "properties": props})

    def score(pair: Pair) -> float:
        q, target = pair.query, pair.target
        if target.entity_id not in cache:
            dobs = list(target.birth_dates) if target.schema == "Person" else []
            cache[target.entity_id] = entity(target.entity_id, target.schema, list(target.names), dobs)
        # an id never used before in this process: nomenklatura caches name analysis by entity id
        query = entity(f"query-{next(_QUERY_IDS)}", q.schema if target.schema == q.schema else target.schema, [q.text],
                       [q.birth_date] if q.birth_date and target.schema == "Person" else [])  # fmt: skip
        return float(algorithm.compare(query, cache[target.entity_id], config).score)

    return score


WARM_UP = 50


def warm_up_pairs() -> list[Pair]:
    """The hard pairs (Latin, Han, Hangul, legal forms, persons): scored before timing by every matcher, so
    one-time loading (legal-form lists, CC-CEDICT, pypinyin, rigour's data) is not counted as per-pair cost."""
    out = []
    for number, (left, right, schema, same) in enumerate(HARD_PAIRS):
        target = Record(f"warm-{number}", right, schema, (right,))
        out.append(Pair(Query(left, schema, None, target.entity_id if same else None), target, same))
    return out


def pair_metrics(pairs: list[Pair], scorer: Callable[[Pair], float], threshold: float) -> dict[str, Any]:
    for pair in [*warm_up_pairs(), *pairs[:WARM_UP]]:
        scorer(pair)
    started = time.process_time()
    scores = [scorer(p) for p in pairs]
    elapsed = time.process_time() - started
    tp = sum(1 for p, s in zip(pairs, scores, strict=True) if p.positive and s >= threshold)
    fp = sum(1 for p, s in zip(pairs, scores, strict=True) if not p.positive and s >= threshold)
    n_pos = sum(1 for p in pairs if p.positive)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / n_pos if n_pos else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    top_negative = max((s for p, s in zip(pairs, scores, strict=True) if not p.positive), default=0.0)
    at_zero = sum(1 for p, s in zip(pairs, scores, strict=True) if p.positive and s > top_negative) / n_pos
    bins: dict[str, list[int]] = {}  # score band -> [pairs, true pairs]: how far a score reads as a probability
    for p, s in zip(pairs, scores, strict=True):
        band = f"{min(int(s * 10), 9) / 10:.1f}"
        bins.setdefault(band, [0, 0])
        bins[band][0] += 1
        bins[band][1] += int(p.positive)
    return {
        "reliability": {band: round(t / n, 3) for band, (n, t) in sorted(bins.items())},
        "band_counts": {band: n for band, (n, _) in sorted(bins.items())},
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "recall_at_zero_fp": round(at_zero, 4),
        "pairs": len(pairs),
        "pairs_per_second_cpu": round(len(pairs) / elapsed, 1) if elapsed else None,
    }


def compare_matchers(label: str, pairs: list[Pair]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["redline"] = pair_metrics(pairs, redline_scorer(), DEFAULT_THRESHOLD)
    for name in ("logic-v2", "logic-v1"):
        out[name] = pair_metrics(pairs, nomenklatura_scorer(name), NK_THRESHOLD)
    rl, v2 = out["redline"]["pairs_per_second_cpu"], out["logic-v2"]["pairs_per_second_cpu"]
    out["speed_ratio_vs_logic_v2"] = round(rl / v2, 1) if rl and v2 else None
    print(f"\n[{label}] {len(pairs)} pairs")
    for name in ("redline", "logic-v2", "logic-v1"):
        m = out[name]
        print(f"  {name:9s} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} "
              f"R@0FP {m['recall_at_zero_fp']:.3f}  {m['pairs_per_second_cpu']} pairs/s")  # fmt: skip
    print(f"  Redline / logic-v2 speed: {out['speed_ratio_vs_logic_v2']}x")
    print(f"  Redline share of true pairs per score band: {out['redline']['reliability']}")
    return out


HARD_PAIRS = [  # the pairs of issue 4 and ../shared/reference/anchors, as (left, right, schema, same entity?)
    ("Xiaomi Corporation", "小米集团", "Company", True),
    ("Semiconductor Manufacturing International Corporation", "SMIC", "Company", True),
    ("Huawei Technologies Co., Ltd.", "华为技术有限公司", "Company", True),
    ("Xi Jinping", "习近平", "Person", True),
    ("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision", "Company", True),
    ("China National Offshore Oil Corporation", "CNOOC Limited", "Company", False),
    ("Industrial and Commercial Bank of China", "Agricultural Bank of China", "Company", False),
    ("BELLETECH CORP", "11420 CORP.", "Company", False),
    ("George Bush", "George Habbash", "Person", False),
    ("OOO Gazprom Export", "Gazprom Export LLC", "Company", True),
    ("Kim Jong Un", "김정은", "Person", True),
]


def hard_pairs() -> list[dict[str, Any]]:
    scorers = {"redline": redline_scorer(), "logic-v2": nomenklatura_scorer("logic-v2"),
               "logic-v1": nomenklatura_scorer("logic-v1")}  # fmt: skip
    rows = []
    print("\n[hard pairs] left | right | same? | redline logic-v2 logic-v1")
    for number, (left, right, schema, same) in enumerate(HARD_PAIRS):
        target = Record(f"hard-{number}", right, schema, (right,))
        pair = Pair(Query(left, schema, None, target.entity_id if same else None), target, same)
        scores = {name: round(score(pair), 3) for name, score in scorers.items()}
        rows.append({"left": left, "right": right, "same": same, **scores})
        print(f"  {left} | {right} | {same} | {scores['redline']} {scores['logic-v2']} {scores['logic-v1']}")
    return rows


def latency(shared: Path, un: list[Record], ofac: list[Record], probes: list[str]) -> dict[str, Any]:
    store = bundled_store()
    bundled = [Record.from_entity(e, [x.value for x in store.lists_of(e.id)]) for e in store.entities()]
    before = rss_mb()
    started = time.perf_counter()
    resolver = Resolver.from_records([*bundled, *ofac, *un])
    build = time.perf_counter() - started
    grown = rss_mb() - before
    timings = []
    for text in probes:
        t0 = time.perf_counter()
        resolver.resolve(text)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    result = {
        "records": len(resolver.records),
        "name_forms": len(resolver._index.forms),
        "build_seconds": round(build, 2),
        "index_rss_mb": round(grown, 1),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95)], 2),
        "max_ms": round(timings[-1], 2),
    }
    print(f"\n[latency] {result}")
    return result


def _summary(result: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in result.items() if not isinstance(v, list)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=HERE.parents[2] / "shared" / "data")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
    }
    print(f"load average at start: {os.getloadavg()}")

    un = load_un(args.shared)
    un_resolver = Resolver.from_records(un)
    queries = un_queries(args.shared, un)
    results["un_end_to_end"] = end_to_end(un_resolver, queries)
    print(f"\n[UN fixture, end to end] {_summary(results['un_end_to_end'])}")
    results["un_pairs"] = compare_matchers("UN fixture pairs", make_pairs(queries, un))

    store = bundled_store()
    bundled = [Record.from_entity(e, [x.value for x in store.lists_of(e.id)]) for e in store.entities()]
    china, review = china_queries()
    resolver = Resolver.from_records(bundled)
    results["china_end_to_end"] = end_to_end(resolver, china)
    print(f"\n[China set, end to end] {_summary(results['china_end_to_end'])}")
    leads = []
    for q in review:
        found = {c.entity_id: c for c in resolver.resolve(q.text)}
        hit = found.get(q.expected or "")
        leads.append(
            {"query": q.text, "expected": q.expected, "candidate": bool(hit), "score": hit.score if hit else None}
        )
    results["china_review_leads"] = leads
    print(f"  review-only translations: {leads}")
    results["china_pairs"] = compare_matchers("China set pairs", make_pairs(china, bundled))

    results["hard_pairs"] = hard_pairs()
    ofac = load_ofac(args.shared)
    probes = [q.text for q in queries[::3]] + [q.text for q in china]
    results["latency"] = latency(args.shared, un, ofac, probes)
    results["machine"]["load_end"] = os.getloadavg()
    results["machine"]["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nresults -> {args.json}")


if __name__ == "__main__":
    main()
