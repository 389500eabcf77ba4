"""Files the page tests and the browser test share."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = ROOT / "examples" / "portfolio.csv"
CSL = ROOT / "tests" / "sources" / "fixtures" / "csl.csv"


def later_csl() -> str:
    """The CSL fixture one version later: HANIYA removed, the Beijing entry renamed, a Shenzhen entry added."""
    lines = CSL.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith('"9639"')]
    old_name = "Beijing Example Technology Co., Ltd."
    renamed = [line.replace(old_name, "Beijing Example Technology Group Co., Ltd.") for line in kept]
    added = next(line for line in lines if line.startswith('"e0b1"'))
    added = added.replace('"e0b1"', '"e0b2"', 1).replace(old_name, "Shenzhen New Front Ltd.")
    return "\n".join([*renamed, added]) + "\n"
