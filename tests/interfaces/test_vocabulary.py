"""Every value of every enum of the model's vocabulary is documented, under its own heading in docs/api.md
("Vocabulary"), as datasette's tests keep its settings documented."""

from __future__ import annotations

import inspect
import re
from enum import StrEnum
from pathlib import Path

import pytest

from redline.model import vocabulary
from redline.model.vocabulary import VOCABULARY

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def sections() -> dict[str, str]:
    """The Vocabulary section's subsections, by the enum named in backticks in their heading."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("\n## Vocabulary\n")
    end = text.index("\n## ", start + 1)
    found = {}
    for part in text[start:end].split("\n### ")[1:]:
        heading, _, body = part.partition("\n")
        named = re.search(r"`(\w+)`", heading)
        assert named, f"a Vocabulary heading names no enum: {heading!r}"
        found[named.group(1)] = body
    return found


def test_the_vocabulary_lists_every_enum_of_the_module() -> None:
    defined = {
        obj
        for _, obj in inspect.getmembers(vocabulary, inspect.isclass)
        if issubclass(obj, StrEnum) and obj is not StrEnum
    }
    assert defined == set(VOCABULARY), sorted(cls.__name__ for cls in defined ^ set(VOCABULARY))


@pytest.mark.parametrize("enum", VOCABULARY, ids=lambda enum: enum.__name__)
def test_every_value_is_documented(enum: type[StrEnum]) -> None:
    found = sections()
    assert enum.__name__ in found, f"docs/api.md has no Vocabulary heading for `{enum.__name__}`"
    missing = [member.value for member in enum if f"`{member.value}`" not in found[enum.__name__]]
    assert not missing, f"{enum.__name__}: undocumented values {missing}"


def test_no_documented_enum_is_unknown() -> None:
    assert set(sections()) <= {enum.__name__ for enum in VOCABULARY}
