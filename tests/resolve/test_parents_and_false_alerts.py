"""Parent and subsidiary kept apart, ties shown as ties, look-alike names kept below the threshold, printed forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli.app import app
from redline.resolve import DEFAULT_THRESHOLD, Resolver, score_pair
from redline.resolve.printed import printed_names
from redline.services.status import StatusService


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return StatusService.bundled().catalog.resolver


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("中国海洋石油有限公司", "cnooc-ltd"),  # CNOOC Limited's own Chinese name
        ("中国海洋石油集团有限公司", "cnooc"),  # 集团: the group
        ("中国电信集团有限公司", "china-telecom-group"),
        ("中国电信股份有限公司", "china-telecom-corp-ltd"),
        ("China Mobile Group", "china-mobile-group"),
        ("China Mobile Limited", "china-mobile-ltd"),
        ("CNOOC Limited", "cnooc-ltd"),
        ("Semiconductor Manufacturing International Corporation (SMIC)", "smic"),
        ("Dawning Information Industry Co. (Sugon)", "dawning"),
        ("Hangzhou Hikvision Digital Technology Co., Ltd. (Hikvision)", "hikvision"),
        ("Hangzhou Hikvision Digital Technology Co Ltd-A", "hikvision"),
        ("BYD Co Ltd-H", "byd"),
        ("Xiaomi Corp Class B", "xiaomi"),
        ("China Railway Construction Corp A/H", "crcc"),
        ("Semiconductor Mfg Intl Corp", "smic"),
        ("China Communications Construction Co Ltd-H", "cccc"),
    ],
)
def test_the_right_legal_person_comes_first(resolver: Resolver, query: str, expected: str) -> None:
    best = resolver.resolve(query)[0]
    assert (best.entity_id, best.match) == (expected, True), resolver.resolve(query)[:3]


def test_a_listing_suffix_is_noted_not_scored(resolver: Resolver) -> None:
    best = resolver.resolve("Hangzhou Hikvision Digital Technology Co Ltd-A")[0]
    assert best.score >= 0.95
    assert any("listing suffix ignored: A" in f for f in best.explanation.features)


@pytest.mark.parametrize(
    ("query", "entities"),
    [
        ("China Mobile", {"china-mobile-group", "china-mobile-ltd"}),  # both carry the name: a tie, not a pick
        ("CHINA TELECOM", {"china-telecom-group", "china-telecom-corp-ltd"}),
    ],
)
def test_a_name_both_parent_and_subsidiary_carry_is_a_tie(resolver: Resolver, query: str, entities: set[str]) -> None:
    found = resolver.resolve(query)[:2]
    assert {c.entity_id for c in found} == entities
    assert abs(found[0].score - found[1].score) < 0.05  # status reports this as ambiguous


@pytest.mark.parametrize("query", ["Taiwan Mobile", "Mobile Telecommunications", "Taiwan Mobile Co., Ltd."])
def test_look_alikes_stay_below_the_threshold(resolver: Resolver, query: str) -> None:
    assert all(c.score < DEFAULT_THRESHOLD for c in resolver.resolve(query) if c.entity_id.startswith("china-mobile"))


@pytest.mark.parametrize(("left", "right"), [("MING", "MING"), ("KIM, Chol Sam", "KIM Chol Sam"), ("Ko Ko", "KO KO")])
def test_names_that_end_like_a_legal_form_are_kept_without_schema(left: str, right: str) -> None:
    assert score_pair(left, right).score >= 0.95


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        ("Dawning Information Industry Co. (Sugon)", ["Dawning Information Industry Co.", "Sugon"]),
        ("AVIC Airborne (formerly China Avionics Systems)", ["AVIC Airborne", "China Avionics Systems"]),
        ("CSSC Offshore & Marine Engineering (Group) Company Limited", []),  # a qualifier, not a short name
        ("Semiconductor Manufacturing International (Shenzhen) Corporation", []),
        ("Baidu Inc - Spon ADR", []),
    ],
)  # fmt: skip
def test_printed_names_split_into_their_parts(printed: str, parts: list[str]) -> None:
    found = printed_names(printed)
    assert [p.text for p in found if p.part] == parts
    assert found[0].part == ""  # the name as printed is always kept


def test_match_pairs_accepts_every_ftm_schema(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text("left,right,schema\nAcme Corp,ACME Corporation,LegalEntity\nMING,MING,PublicBody\n", "utf-8")
    result = CliRunner().invoke(app, ["match-pairs", str(source), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.csv").read_text("utf-8").count(",true") == 2
    source.write_text("left,right,schema\nA,B,Banana\n", "utf-8")
    result = CliRunner().invoke(app, ["match-pairs", str(source), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code != 0 and "line 2: field schema: 'Banana' is not a FollowTheMoney schema" in str(
        result.exception
    )  # `main` turns this UserError into one line and exit 2


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("NAZARENKO, Yuriy Gennadievich", "NAZARENKO, Yuri", True),  # patronymic left out
        ("CUSPERT, Denis Mamadou", "CUSPERT, Denis", True),  # middle name left out
        ("KIM CHOL SAM", "KIM CHOL NAM", False),  # one word differs: another person
        ("LIMITED LIABILITY COMPANY OMZ-SPETSSTAL", "OMZ SPETSSTAL OOO", True),  # a spelled-out form opens it
        ("AL-HARAMAYN FOUNDATION (KENYA)", "AL-HARAMAYN FOUNDATION (TANZANIA)", False),  # two branches
    ],
)
def test_general_names(left: str, right: str, same: bool) -> None:
    schema = "Person" if "," in left or left.startswith("KIM") else "Organization"
    assert (score_pair(left, right, schema).score >= DEFAULT_THRESHOLD) is same
