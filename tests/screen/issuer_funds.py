"""The issuers' holdings fixtures (tests/screen/fixtures/issuer_funds), with the XLSX workbook written here so that
its content is readable in review."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "issuer_funds"
FUND_FILES = ("EMCN.csv", "ASIA.csv")
# (name, ticker, country, weight as a fraction); the ticker 728 of Guoyuan is stored as a number, shown 000728.
CHIQ = [
    ("CRRC Corp. Ltd. Class H", "1766 HK", "China", 0.0123),
    ("CRRC CORP LTD A", "601766 CH", "China", 0.0040),
    ("Guoyuan Securities Co Ltd A", 728, "China", 0.0011),
    ("SenseTime Group Inc Class B", "20", "Hong Kong", 0.0050),
    ("Xiaomi Corp Class B", "1810", "China", 0.0500),
    ("Meituan Class B", "3690", "China", 0.0710),
    ("Luokung Technology Corp", "LKCO", "China", 0.0008),
    ("Taiwan Mobile", "3045", "Taiwan", 0.0030),
    ("Mobile Telecommunications Co", "7020", "Saudi Arabia", 0.0020),
    ("Li Ning Co Ltd", "2331", "China", 0.0300),
    ("ANTA Sports Products Ltd", "2020", "China", 0.0400),
]


def write_chiq(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    overview = workbook.active
    overview.title = "Overview"
    overview.append(["Redline Test China Consumer & Industrials ETF"])
    overview.append(["Net assets", 123456789])
    holdings = workbook.create_sheet("Holdings")
    holdings.append(["As of", datetime(2021, 3, 1)])
    holdings.append([])
    holdings.append(["Security Name", "Ticker", "Country", "Weight"])
    for name, ticker, country, weight in CHIQ:
        holdings.append([name, ticker, country, weight])
        if isinstance(ticker, int):
            holdings.cell(row=holdings.max_row, column=2).number_format = "000000"
    disclaimer = workbook.create_sheet("Disclaimer")
    disclaimer.append(["Holdings are subject to change. Not an offer to buy or sell."])
    workbook.save(path)
    return path


def fund_folder(target: Path) -> Path:
    """The three funds in one folder: EMCN.csv, ASIA.csv and CHIQ.xlsx."""
    target.mkdir(parents=True, exist_ok=True)
    for name in FUND_FILES:
        shutil.copy(FIXTURES / name, target / name)
    write_chiq(target / "CHIQ.xlsx")
    return target
