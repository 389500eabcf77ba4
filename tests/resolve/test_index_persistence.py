"""Identifier lookups without the name index, saving and loading a built resolver, `redline match --batch`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli.app import app
from redline.resolve import Resolver
from redline.services.status import StatusService


def test_an_identifier_query_does_not_build_the_name_index() -> None:
    resolver = Resolver.from_records(StatusService.bundled().catalog.resolver.records)
    best = resolver.resolve("0981.HK")[0]
    assert (best.entity_id, best.decisive) == ("smic", True)
    assert resolver._forms == []  # no name of any entity was prepared
    assert resolver.resolve("Xiaomi Corporation")[0].entity_id == "xiaomi"
    assert len(resolver._forms) == len(resolver.records)


def test_a_saved_resolver_answers_as_the_built_one(tmp_path: Path) -> None:
    built = Resolver.from_records(StatusService.bundled().catalog.resolver.records)
    path = tmp_path / "index" / "resolver.pickle"
    built.save(path)
    loaded = Resolver.load(path)
    for query in ["小米集团", "Dawning Information Industry Co. (Sugon)", "0981.HK", "China Mobile", "CND10002K094"]:
        assert [c.to_dict() for c in loaded.resolve(query)] == [c.to_dict() for c in built.resolve(query)]
    assert [p.name for p in path.parent.iterdir()] == ["resolver.pickle"]  # no temporary file left behind


def test_loading_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "resolver.pickle"
    path.write_bytes(b"not a pickle")
    with pytest.raises(ValueError, match="not a saved resolver"):
        Resolver.load(path)


def test_match_batch_prints_one_json_object_per_query(tmp_path: Path) -> None:
    plain = tmp_path / "queries.txt"
    plain.write_text("0981.HK\n\nXiaomi\n!!!\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "--batch", str(plain), "--bundled-only", "--limit", "1"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["0981.HK", "Xiaomi", "!!!"]
    assert lines[0]["candidates"][0]["entity_id"] == "smic" and lines[1]["candidates"][0]["entity_id"] == "xiaomi"
    assert "line 4" in lines[2]["error"]
    single = CliRunner().invoke(app, ["match", "0981.HK", "--json", "--bundled-only", "--limit", "1"])
    assert json.loads(single.stdout) == lines[0]  # the same shape as `redline match --json`
    table = tmp_path / "queries.csv"
    table.write_text('id,query\n1,"Huawei Technologies Co., Ltd."\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "--batch", str(table), "--bundled-only", "--limit", "1"])
    assert json.loads(result.stdout)["candidates"][0]["entity_id"] == "huawei"


def test_status_for_an_identifier_imports_no_transliteration() -> None:
    import subprocess

    code = (
        "import sys; from redline.services.status import StatusService; "
        "s = StatusService.bundled(); e, _ = s.resolve('1810.HK'); "
        "print(e.id, 'pypinyin' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["xiaomi", "False", "False"]


def _status_imports(home: Path, query: str, modules: tuple[str, ...]) -> dict[str, bool]:
    """Which of `modules` a cold `redline status QUERY` (a new process, as a user runs it) has imported at exit."""
    import os
    import subprocess

    code = (
        "import atexit, sys; "
        f"atexit.register(lambda: print(*[m in sys.modules for m in {modules!r}], file=sys.stderr)); "
        "from redline.cli.app import main; main()"
    )
    env = {**os.environ, "REDLINE_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", code, "status", query, "--on", "2021-03-16"], capture_output=True, text=True, env=env
    )
    assert "xiaomi" in done.stdout.lower(), done.stdout + done.stderr
    return dict(zip(modules, (flag == "True" for flag in done.stderr.split()[-len(modules) :]), strict=True))


# Loaded by no cold status answer: building the catalog or the name index (YAML, CC-CEDICT, pinyin), the store
# (SQLAlchemy, no database yet), the full name library (rigour.names: normality, ICU), certificates, the server.
NEVER_ON_STATUS = (
    "yaml", "pypinyin", "opencc", "sqlalchemy", "rigour.names", "normality", "pydantic", "fastapi", "cryptography",
    "redline.sources.check", "redline.screen", "redline.model.records", "redline.catalog.entities",
    "redline.sources.list_feeds",
)  # fmt: skip


def test_cli_status_for_an_identifier_imports_no_name_matcher(tmp_path: Path) -> None:
    """`redline status 1810.HK` reads the match threshold, not the matcher, and checks no check digit of "1810.HK"."""
    heavy = ("redline.resolve.resolver", "rapidfuzz", "numpy", "stdnum", "anyascii", *NEVER_ON_STATUS)
    _status_imports(tmp_path, "1810.HK", heavy)  # the first run builds and saves the catalog
    imported = _status_imports(tmp_path, "1810.HK", heavy)
    assert [m for m, flag in imported.items() if flag] == []


def test_cli_status_for_a_name_loads_the_saved_index_without_numpy(tmp_path: Path) -> None:
    """A cold `redline status NAME` with the saved index: the matcher, but no numpy for the small bundled catalog."""
    _status_imports(tmp_path, "Xiaomi Corporation", ())  # builds and saves the catalog and its name index
    imported = _status_imports(tmp_path, "Xiaomi Corporation", ("redline.resolve.resolver", "numpy", *NEVER_ON_STATUS))
    assert [m for m, flag in imported.items() if flag] == ["redline.resolve.resolver"]


def test_match_answers_are_kept_per_catalog_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """POST /match reads `StatusService.match`: the same question twice is scored once, an import (a new catalog
    version) is scored again, and the answer is the resolver's own."""
    catalog = StatusService.bundled().catalog
    service = StatusService(lambda: catalog)
    calls: list[str] = []
    resolve = Resolver.resolve

    def counted(self: Resolver, query: str, **options: object) -> object:
        calls.append(query)
        return resolve(self, query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Resolver, "resolve", counted)
    first = service.match("Semiconductor Manufacturing International Corp", limit=3)
    assert service.match("Semiconductor Manufacturing International Corp", limit=3) == first
    assert calls == ["Semiconductor Manufacturing International Corp"]
    assert first == catalog.resolver.match("Semiconductor Manufacturing International Corp", limit=3)
    monkeypatch.setattr(catalog, "version", "after-an-import")
    service.match("Semiconductor Manufacturing International Corp", limit=3)
    assert len(calls) == 3
