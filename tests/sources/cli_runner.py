"""Run the `redline` command line in-process, as a user would, capturing output and exit code.

Imported by the tests that use it (`from tests.sources.cli_runner import redline_fixture`), so it stays out of the
shared conftest files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from redline.cli.app import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(name="redline")
def redline_fixture(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["redline", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
