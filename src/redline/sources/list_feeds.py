"""Which Redline list each kind of imported file feeds: `src/redline/data/list_feeds.yaml`, read and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.model import ListId
from redline.sources.errors import RowProblem, SourceError
from redline.sources.loaded import SourceList

FILE = "list_feeds.yaml"


@dataclass(frozen=True, slots=True)
class ListFeed:
    source: SourceList
    lists: dict[str, ListId]  # an entry's list code -> the Redline list; "*" for any code
    authoritative: frozenset[ListId]
    cite: tuple[str, ...]  # keys into sources.yaml

    def list_of(self, code: str) -> ListId | None:
        return self.lists.get(code) or self.lists.get("*")


def parse_feeds(text: str, known_citations: set[str] | None = None) -> dict[SourceList, ListFeed]:
    """Raises SourceError naming every problem (unknown source, list or citation key)."""
    problems: list[RowProblem] = []

    def bad(where: str, message: str) -> None:
        problems.append(RowProblem(FILE, None, where, message))

    import yaml  # only when the file is read: a saved catalog loads without it

    try:
        loaded = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise SourceError([RowProblem(FILE, None, None, str(exc).splitlines()[0])]) from None
    if not isinstance(loaded, dict):
        raise SourceError([RowProblem(FILE, None, None, "must be a mapping of source -> feed")])
    feeds: dict[SourceList, ListFeed] = {}
    for key, spec in loaded.items():
        try:
            source = SourceList(key)
        except ValueError:
            bad(str(key), f"unknown source (known: {', '.join(s.value for s in SourceList)})")
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("lists", {}), dict):
            bad(str(key), "must be a mapping with `lists` (code -> list), `authoritative` and `cite`")
            continue
        lists: dict[str, ListId] = {}
        for code, list_name in (spec.get("lists") or {}).items():
            try:
                lists[str(code)] = ListId(list_name)
            except ValueError:
                bad(f"{key}.lists.{code}", f"unknown list {list_name!r}")
        authoritative: set[ListId] = set()
        for list_name in spec.get("authoritative") or ():
            try:
                authoritative.add(ListId(list_name))
            except ValueError:
                bad(f"{key}.authoritative", f"unknown list {list_name!r}")
        cites = tuple(str(c) for c in spec.get("cite") or ())
        if known_citations is not None:
            for cite in cites:
                if cite not in known_citations:
                    bad(f"{key}.cite", f"unknown source key {cite!r} (see sources.yaml)")
        feeds[source] = ListFeed(source, lists, frozenset(authoritative), cites)
    if problems:
        raise SourceError(problems)
    return feeds


@lru_cache(maxsize=1)
def list_feeds() -> dict[SourceList, ListFeed]:
    text = resources.files("redline.data").joinpath(FILE).read_text(encoding="utf-8")
    return parse_feeds(text)
