"""The resolver on the bundled data and on small records of our own."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from redline.model import Identifier, IdScheme
from redline.resolve import QueryError, Record, Resolver, score_pair
from redline.store.reference import bundled_store


def _over_bundled(extra: list[Record]) -> Resolver:
    """A resolver over the bundled entities plus `extra` (the catalog builds the real one the same way)."""
    store = bundled_store()
    records = [Record.from_entity(e, [x.value for x in store.lists_of(e.id)]) for e in store.entities()]
    return Resolver.from_records([*records, *extra])


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    people = [
        Record("un-kim", "KIM JONG UN", "Person", ("KIM JONG UN", "김정은"), ("UN",), (), ("1984-01-08",)),
        Record("un-luckson", "LUCKSON ELAN", "Person", ("LUCKSON ELAN",), ("UN",), (), ("1988-01-06",)),
        Record("xi", "Xi Jinping", "Person", ("Xi Jinping",), (), (), ()),
    ]
    return _over_bundled(people)


def _top(resolver: Resolver, query: str, **options: object) -> tuple[str, float, bool]:
    best = resolver.resolve(query, **options)[0]  # type: ignore[arg-type]
    return best.entity_id, best.score, best.match


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("小米集团", "xiaomi"),
        ("小米集團", "xiaomi"),
        ("Xiaomi", "xiaomi"),
        ("XIAOMI CORP.", "xiaomi"),
        ("Hikvision", "hikvision"),
        ("海康威视", "hikvision"),
        ("Semiconductor Manufacturing International Corp", "smic"),
        ("SMIC", "smic"),
        ("Luokong Technology", "luokung"),
        ("中国移动有限公司", "china-mobile-ltd"),
        ("习近平", "xi"),
        ("Kim Jong Un", "un-kim"),
    ],
)
def test_names_in_any_script_reach_their_entity(resolver: Resolver, query: str, expected: str) -> None:
    entity_id, score, match = _top(resolver, query)
    assert entity_id == expected
    assert match, f"{query} scored {score}"


@pytest.mark.parametrize("query", ["1810.HK", "1810 HK", "01810", "XIACF", "KYG9830T1067", "HKEX:1810"])
def test_identifiers_are_decisive(resolver: Resolver, query: str) -> None:
    best = resolver.resolve(query)[0]
    assert (best.entity_id, best.score, best.decisive) == ("xiaomi", 1.0, True)
    assert best.explanation.identifier


@pytest.mark.parametrize(("query", "expected"), [("002415.SZ", "hikvision"), ("002415 CH", "hikvision")])
def test_a_share_tickers(resolver: Resolver, query: str, expected: str) -> None:
    assert resolver.resolve(query)[0].entity_id == expected


def test_subsidiary_outranks_parent(resolver: Resolver) -> None:
    ranked = [c.entity_id for c in resolver.resolve("CNOOC Ltd")]
    assert ranked.index("cnooc-ltd") < ranked.index("cnooc")


def test_gloss_is_a_lead_not_a_match() -> None:
    # only the Han name is loaded, so "Basket" can reach 箩筐 (large wicker basket) through CC-CEDICT alone
    resolver = Resolver.from_records([Record("lk", "箩筐技术", "Company", ("箩筐技术",))])
    found = {c.entity_id: c for c in resolver.resolve("Basket Technologies")}
    assert "lk" in found
    assert not found["lk"].match
    assert any("gloss" in f for f in found["lk"].explanation.features)


def test_birth_date_tolerance(resolver: Resolver) -> None:
    near = resolver.resolve("LUCKSON ELAN", schema="Person", birth_date="1989-01-06")[0]
    swapped = resolver.resolve("LUCKSON ELAN", schema="Person", birth_date="1988-06-01")[0]
    far = resolver.resolve("LUCKSON ELAN", schema="Person", birth_date="1950-03-03")[0]
    assert near.match and swapped.match
    assert not far.match
    assert "birth dates differ" in far.explanation.features


def test_look_alikes_do_not_match() -> None:
    assert score_pair("Industrial and Commercial Bank of China", "Agricultural Bank of China").score < 0.6
    assert score_pair("BELLETECH CORP", "11420 CORP.").score < 0.3
    assert score_pair("George Bush", "George Habbash", "Person").score < 0.6
    assert score_pair("China Mobile Ltd", "China Unicom Ltd").score < 0.5


def test_explanation_names_both_names(resolver: Resolver) -> None:
    result = resolver.match("Huawei Technologies Co., Ltd.") | resolver.match("中芯国际")
    for candidate in result["candidates"]:
        assert set(candidate) >= {"entity_id", "name", "score", "match", "lists", "explanation"}
        assert candidate["explanation"]["list_name"]


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01", "!!!"])
def test_empty_queries_are_refused(resolver: Resolver, query: str) -> None:
    with pytest.raises(QueryError):
        resolver.resolve(query)


def test_long_input_is_bounded(resolver: Resolver) -> None:
    started = time.perf_counter()
    resolver.resolve("Xiaomi " * 1500)
    assert time.perf_counter() - started < 5  # a bound on pathological input, not a benchmark


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_answers_or_refuses_cleanly(text: str) -> None:
    resolver = _shared()
    try:
        candidates = resolver.resolve(text)
    except QueryError:
        return
    assert all(0.0 <= c.score <= 1.0 for c in candidates)
    assert [c.score for c in candidates if not c.decisive] == sorted(
        (c.score for c in candidates if not c.decisive), reverse=True
    )


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30))
@example("𣨼")  # a Han character pypinyin has no reading for: it once met itself only through its gloss (0.65)
def test_score_pair_is_bounded_and_identity_is_high(text: str) -> None:
    try:
        same = score_pair(text, text)
    except QueryError:
        return
    assert same.score >= 0.95


_CACHE: list[Resolver] = []


def _shared() -> Resolver:
    if not _CACHE:
        extra = Record(
            "mixed",
            "Ωmega 株式会社 ☃",
            "Company",
            ("Ωmega 株式会社 ☃",),
            (),
            (Identifier(IdScheme.TICKER, "7203", "T"),),
        )
        _CACHE.append(_over_bundled([extra]))
    return _CACHE[0]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("BYD", "比亚迪股份有限公司"),  # CC-CEDICT gives the company's own Latin name
        ("Aerosun Corporatiion", "Aerosun Corporation"),  # a typo inside the legal form
        ("China Aerospace Science and Tech Corp", "China Aerospace Science and Technology Corporation"),
        ("XIAOMI CORPORATION 小米集团", "Xiaomi Corporation"),  # each script part is a name on its own
        ("Zhong Wei Ban Dao Ti She Bei (Shang Hai)", "中微半导体设备(上海)股份有限公司"),
    ],
)
def test_variants_that_match(left: str, right: str) -> None:
    assert score_pair(left, right).score >= 0.8


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Chengdu Moutai Automation Tech Co., Ltd.", "Chengdu JOUAV Automation Tech Co., Ltd."),
        ("Sany Aircraft Industries (Group) Co., Ltd.", "Xi'an Aircraft Industry Group Co., Ltd."),
        ("Dahua Bank", "Zhejiang Dahua Technology Co., Ltd."),
        ("Nanjing Panda Zoo", "Nanjing Panda Electronics Company Limited"),
    ],
)
def test_look_alikes_with_shared_generic_words(left: str, right: str) -> None:
    assert score_pair(left, right).score < 0.8


def test_brand_needs_the_entitys_own_line_of_business() -> None:
    catl = Record("catl", "Contemporary Amperex Technology Co., Limited", "Company", ("CATL",))
    hik = Record("hik", "Hikvision", "Company", ("Hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd."))
    resolver = Resolver.from_records([catl, hik])
    other = resolver.resolve("CATL Logistics Services Inc")[0]
    assert (other.entity_id, other.match) == ("catl", False)
    assert any("no listed name" in f for f in other.explanation.features)
    assert resolver.resolve("Hikvision Digital Technology")[0].match


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_fast_fold_agrees_with_the_reference(text: str) -> None:
    from redline.resolve.text import fold, fold_any

    assert fold(text) == fold_any(text)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Путин Владимир", "Vladimir PUTIN"),  # Cyrillic, name parts reversed
        ("J. SMITH", "John Smith"),  # an initial
        ("Mohammed Omar", "Muhammad Omar"),  # transliteration variant
        ("SALEK, ABDULHAI", "ABDULHAI SALEK"),  # "Family, Given"
    ],
)
def test_person_name_variants(left: str, right: str) -> None:
    assert score_pair(left, right, "Person").score >= 0.8


def test_security_identifiers_are_decisive() -> None:
    record = Record(
        "apple",
        "Apple Inc.",
        "Company",
        ("Apple Inc.",),
        (),
        (
            Identifier(IdScheme.CUSIP, "037833100"),
            Identifier(IdScheme.FIGI, "BBG000B9XRY4"),
            Identifier(IdScheme.SEDOL, "2046251"),
        ),
    )
    resolver = Resolver.from_records([record])
    for query in ("037833100", "BBG000B9XRY4", "2046251"):
        best = resolver.resolve(query)[0]
        assert (best.entity_id, best.decisive) == ("apple", True), query


def test_rules_for_firms_that_are_not_the_listed_one() -> None:
    ctg = Record("ctg", "China Three Gorges Corporation", "Company", ("China Three Gorges Corporation", "CTG"))
    inst = Record("inst", "China South Industries Group Corporation No. 59 Research Institute Co., Ltd.", "Company")
    resolver = Resolver.from_records([ctg, inst])
    # three-letter initials name many firms: a lead for review, not a match
    telecom = resolver.resolve("China Telecom Global")[0]
    assert (telecom.entity_id, telecom.match) == ("ctg", False)
    # a distinctive word the entity never carries makes another firm
    other = resolver.resolve("China South Industries Group Poly No. 59 Research Institute Co., Ltd.")[0]
    assert (other.entity_id, other.match) == ("inst", False)
    assert any("adds distinctive words" in f for f in other.explanation.features)


def test_dictionary_cross_references_give_the_company_name() -> None:
    assert score_pair("Tencent Holdings", "腾讯").score >= 0.8  # 腾讯: see 腾讯控股有限公司 (Tencent Holdings Limited)
    assert score_pair("商汤科技", "SenseTime Group Limited").score >= 0.8  # the whole name is a dictionary entry


def test_hangul_name_meets_its_usual_romanisation() -> None:
    assert score_pair("Kim Jong Un", "김정은", "Person").score >= 0.8  # Gim Jeong-eun by the Revised Romanisation
