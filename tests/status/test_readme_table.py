"""The README's regime table is the one generated from regimes.yaml (`redline data regimes`)."""

from __future__ import annotations

from pathlib import Path

from redline.sources.bundled import load_reference
from redline.status.regime_table import END, START, readme_section

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_regime_table_is_generated_from_the_data() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    assert text[start:end] == readme_section(load_reference().regimes), "run `redline data regimes` and paste"
