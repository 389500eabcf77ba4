"""Run the `redline` command line in-process, as a user would, capturing output and exit code."""

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


@pytest.fixture
def redline(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
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
