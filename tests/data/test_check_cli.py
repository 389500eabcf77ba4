"""`redline data check` on a deliberately broken copy of the bundled data: row-level messages, non-zero exit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli.app import app
from redline.sources.bundled import data_dir


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], f"{old!r} not on line {line} of {path.name}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _line_of(path: Path, prefix: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.startswith(prefix):
            return number
    raise AssertionError(f"no line starting {prefix!r} in {path.name}")


def _run(directory: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["data", "check", "--dir", str(directory)])
    return result.exit_code, result.output


def test_the_bundled_data_passes() -> None:
    code, output = _run(data_dir())
    assert code == 0, output
    assert "0 error(s)" in output


def test_load_errors_name_file_line_and_field(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    listings = data / "listings.csv"
    smic = _line_of(listings, "ccmc-smic,")
    _edit(listings, smic, ",2020-12-03,2020-12-03,", ",2020-13-03,2020-12-03,")  # no 13th month
    sensetime = _line_of(listings, "nscmic-sensetime,")
    _edit(listings, sensetime, "ofac-nscmic-2021-12-10", "no-such-source")
    code, output = _run(data)
    assert code == 1
    assert f"listings.csv:{smic} [valid_from]: not a valid date" in output
    assert f"listings.csv:{sensetime} [source]: unknown source key(s) no-such-source" in output


def test_check_digit_and_stated_date_errors_name_the_row(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    identifiers = data / "identifiers.csv"
    isin_line = _line_of(identifiers, "smic,isin,KYG8020E1199,")
    _edit(identifiers, isin_line, "KYG8020E1199", "KYG8020E1198")
    listings = data / "listings.csv"
    xiaomi = _line_of(listings, "ccmc-xiaomi,")
    _edit(listings, xiaomi, "2021-03-15T09:30", "2021-03-15T09:00")  # EO 13959: 9:30 a.m., not 9:00
    code, output = _run(data)
    assert code == 1
    assert f"identifiers.csv:{isin_line} [value]: ISIN KYG8020E1198" in output
    assert f"listings.csv:{xiaomi} [stated_effective]: stated 2021-03-15T09:00:00-04:00" in output


def test_a_published_typo_is_a_warning_only_with_its_note(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    identifiers = data / "identifiers.csv"
    line = _line_of(identifiers, "cnooc-ltd,isin,BRC1EODR004,")
    code, output = _run(data)
    assert code == 0 and f"warning identifiers.csv:{line} [value]" in output
    _edit(identifiers, line, "published with a bad check digit", "as printed")
    code, output = _run(data)
    assert code == 1 and f"error identifiers.csv:{line} [value]" in output


@pytest.mark.parametrize(
    ("file", "prefix", "old", "new", "message"),
    [
        # one legal person entered twice: the same listed name on two entities
        (
            "listings.csv",
            "nscmic-cnooc,",
            ",CHINA NATIONAL OFFSHORE OIL CORPORATION,",
            ",CNOOC LIMITED,",
            "share the listed name",
        ),
        # a fact said to be public before any of its sources existed
        ("names.csv", "smic,SMIC,", ",2020-12-03,", ",2019-01-01,", "[published]: public 2019-01-01"),
        # a parent that is its own subsidiary
        ("relations.csv", "cnooc-ltd,subsidiary_of,cnooc,", ",cnooc,", ",cnooc-ltd,", "its own (indirect) parent"),
    ],
)
def test_cross_row_checks(tmp_path: Path, file: str, prefix: str, old: str, new: str, message: str) -> None:
    data = _copy(tmp_path)
    path = data / file
    _edit(path, _line_of(path, prefix), old, new)
    code, output = _run(data)
    assert code == 1
    assert message in output


def test_a_rule_without_a_valid_citation_fails(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    regimes = data / "regimes.yaml"
    text = regimes.read_text(encoding="utf-8")
    # The EO 14032 later-determination rule loses its authority; a doubt cites a source that does not exist.
    text = text.replace("    later: [eo14032, ofac-faq-899]\n", "", 1)
    text = text.replace("cite: [nyse-adr-suspension-2021-01, ofac-faq-857]", "cite: [no-such-faq]", 1)
    regimes.write_text(text, encoding="utf-8")
    code, output = _run(data)
    assert code == 1
    assert "EO14032.cite.later" in output and "needs a cite" in output
    assert "EO13959.doubts[0].cite" in output and "no-such-faq" in output


def test_a_note_naming_a_later_date_fails(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    listings = data / "listings.csv"
    xiaomi = _line_of(listings, "ccmc-xiaomi,")
    _edit(listings, xiaomi, ",high,Tranche 5", ",high,Tranche 5; designation vacated 2021-05-25")
    code, output = _run(data)
    assert code == 1
    assert f"listings.csv:{xiaomi} [note]: names 2021-05-25" in output


def test_a_state_without_a_rule_or_a_citation_fails(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    states = data / "states.yaml"
    text = states.read_text(encoding="utf-8")
    text = text.replace("  cite: [ofac-faq-1046]  # may hold after the window; neither buy nor sell\n", "", 1)
    states.write_text(text, encoding="utf-8")
    code, output = _run(data)
    assert code == 1
    assert "holding_only.cite" in output and "needs a cite" in output


def test_a_decision_rule_without_citation_fails(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    decisions = data / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(text.replace("  cite: [eo13959, eo14032]\n", "", 1), encoding="utf-8")
    code, output = _run(data)
    assert code == 1 and "trades.buy.cite" in output


def test_an_unknown_decision_fails(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    decisions = data / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(text.replace("decision: HOLD-ONLY", "decision: MAYBE"), encoding="utf-8")
    code, output = _run(data)
    assert code == 1 and "positions: unknown decision 'MAYBE'" in output


def test_the_fund_rule_must_cite_faq_861_with_its_address(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    sources = data / "sources.yaml"
    line = _line_of(sources, "  url: https://ofac.treasury.gov/faqs/861")
    _edit(sources, line, "  url: https://ofac.treasury.gov/faqs/861", "  note: address removed")
    code, output = _run(data)
    assert code == 1
    assert "sources.yaml [ofac-faq-861]: the fund rule's source ofac-faq-861 has no https URL" in output
