"""Fund constituent files for look-through.

Under EO 13959 and EO 14032 a fund or derivative giving exposure to a listed company is itself covered, whatever
the weighting (OFAC FAQ 861). Issuers publish holdings files (ticker, name, weight, sometimes ISIN); each file
describes one fund, named by its `fund` column or else by the file name (KWEB.csv -> KWEB).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from redline.screen.columns import detect_columns
from redline.screen.readers import FORMATS, InputError, open_table
from redline.screen.rows import RowReader, ScreenRow


@dataclass
class Fund:
    key: str  # how portfolio rows name the fund: ticker, ISIN or name
    source: str
    constituents: list[ScreenRow] = field(default_factory=list)


@dataclass
class FundBook:
    funds: dict[str, Fund] = field(default_factory=dict)  # casefolded key -> fund
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def fund_of(self, row: ScreenRow) -> Fund | None:
        """The fund the row holds, matched on its ticker, ISIN or name."""
        if not self.funds:
            return None
        for value in (row.identifiers.get("ticker"), row.identifiers.get("isin"), row.name):
            if value:
                found = self.funds.get(value.casefold())
                if found is not None:
                    return found
        return None


def load_constituents(location: Path) -> FundBook:
    """Read one constituents file or every supported file in a folder."""
    book = FundBook()
    if location.is_dir():
        paths = sorted(p for p in location.iterdir() if p.suffix.lower() in FORMATS and not p.name.startswith("."))
        if not paths:
            raise InputError(f"{location}: no constituents files (.csv, .parquet, .xlsx) in this folder")
    elif location.is_file():
        paths = [location]
    else:
        raise InputError(f"{location}: no such file or folder")
    for path in paths:
        book.files.append(path)
        reader = open_table(path)
        try:
            book.problems.extend(f"{path.name}: {problem}" for problem in reader.problems)
            columns = detect_columns(reader.header)
            if not any(name in columns.index for name in ("ticker", "isin", "name")):
                book.problems.append(f"{path.name}: no ticker, ISIN or name column; found {', '.join(reader.header)}")
                continue
            fund_column = columns.index.get("fund")
            row_reader = RowReader(columns)
            for batch in reader.batches(5000):
                for line, values, problem in zip(batch.lines, batch.values, batch.problems, strict=True):
                    row = row_reader.read(line, values)
                    for message in ([problem] if problem else []) + row.problems:
                        book.problems.append(f"{path.name} line {line}: {message}")
                    key = str(values[fund_column]).strip() if fund_column is not None else path.stem
                    fund = book.funds.setdefault(key.casefold(), Fund(key, path.name))
                    fund.constituents.append(row)
        finally:
            reader.close()
    return book
