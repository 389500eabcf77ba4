"""Derive `src/redline/resolve/legal_forms.csv` from the ISO 20275 ELF code list published by GLEIF.

Usage: python tools/derive_legal_forms.py PATH/TO/gleif_elf_codes_1.4.1.csv

The ELF file itself is not redistributed; the derived table keeps only what name matching needs: each
abbreviation (local and transliterated) and each local full name of an active legal form, folded the way
`redline.resolve.text.fold` folds names, with the ISO 3166 countries that use it. Full names longer than
six words are dropped (they are descriptions such as "Private company limited by shares", not forms that
end company names).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from redline.resolve.text import fold

OUT = Path(__file__).resolve().parents[1] / "src" / "redline" / "resolve" / "legal_forms.csv"
HEADER = (
    "# Derived from the GLEIF ISO 20275 Entity Legal Forms code list v1.4.1 (gleif_elf_codes_1.4.1.csv)"
    " by tools/derive_legal_forms.py\n"
)


def main(source: Path) -> None:
    forms: dict[str, set[str]] = {}
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["ELF Status ACTV/INAC"] != "ACTV":
                continue
            country = row["Country Code (ISO 3166-1)"] or "*"
            texts = [
                a
                for key in ("Abbreviations Local language", "Abbreviations transliterated")
                for a in row[key].split(";")
            ]
            for key in (
                "Entity Legal Form name Local name",
                "Entity Legal Form name Transliterated name (per ISO 01-140-10)",
            ):
                if 0 < len(row[key].split()) <= 6:
                    texts.append(row[key])
            for text in texts:
                folded = fold(text)
                if folded and any(ch.isalpha() for ch in folded):
                    forms.setdefault(folded, set()).add(country)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["form", "countries"])
        for form in sorted(forms):
            writer.writerow([form, " ".join(sorted(forms[form]))])
    print(f"{len(forms)} legal forms -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
