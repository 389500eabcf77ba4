"""Fuzzing each reader and loader for a few seconds: hostile and damaged files end in the reader's own one-line
error or in a screened file, never in a traceback. `bench/fuzz/run.py` runs the same for 100,000 inputs each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.targets import Target, feed, inputs, targets

FAST = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs every run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("fuzz")


_NAMES = ["screen-csv", "screen-xlsx", "screen-parquet", "ofac-sdn-csv", "ofac-cons-xml", "ofac-advanced-xml",
          "un-xml", "csl-csv", "csl-json", "ftm"]  # fmt: skip


@pytest.fixture(scope="module")
def all_targets(folder: Path) -> dict[str, Target]:
    found = targets(folder)
    assert sorted(found) == sorted(_NAMES)
    return found


@pytest.mark.parametrize("name", _NAMES)
def test_no_input_crashes_the_reader(name: str, all_targets: dict[str, Target], folder: Path) -> None:
    target = all_targets[name]
    assert feed(target, target.seed, folder) is None  # the seed itself reads

    @FAST
    @given(inputs(target))
    def check(data: bytes) -> None:
        crash = feed(target, data, folder)
        assert crash is None, f"{type(crash).__name__}: {crash}"

    check()
