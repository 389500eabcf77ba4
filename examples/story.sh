#!/usr/bin/env bash
# `make run`: the 2021 story told by screening the example book, blotter and fund file (examples/README.md).
# State goes to out/redline-home (a throwaway $REDLINE_HOME); outputs and HTML reports to out/.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export REDLINE_HOME=${REDLINE_HOME:-$PWD/out/redline-home}
mkdir -p out

# Exit code 1 means "findings", which is the point of the story; only 2 (errors) stops it.
screen() {
  "$BIN/redline" screen "$@"
  local code=$?
  if [ "$code" -eq 2 ]; then echo "screening failed (exit 2)" >&2; exit 2; fi
  echo
}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "2021-01-10: before Xiaomi's listing; SMIC listed (2020-12-03) but its prohibitions start only on 2021-02-01"
screen examples/portfolio.csv --on 2021-01-10 --constituents examples/funds -o out/portfolio-2021-01-10.csv

say "2021-03-01: SMIC and the Annex companies (Hikvision) in their divestment windows; the fund is covered too (FAQ 861)"
screen examples/portfolio.csv --on 2021-03-01 --constituents examples/funds -o out/portfolio-2021-03-01.csv \
  --deadline-days 365

say "2021-03-16 as known at 2021-03-11: Xiaomi's prohibitions started 2021-03-15 and the injunction is not yet public"
screen examples/portfolio.csv --on 2021-03-16 --known-at 2021-03-11 --constituents examples/funds \
  -o out/portfolio-2021-03-16-known-2021-03-11.csv

say "2021-03-16 as known today: the 2021-03-12 injunction means the ban never bit Xiaomi"
screen examples/portfolio.csv --on 2021-03-16 --constituents examples/funds -o out/portfolio-2021-03-16.csv \
  --deadline-days 365 --report out/portfolio-2021-03-16.html

say "2021-08-03: section 1237 listings removed (2021-06-03); EO 14032's NS-CMIC Annex in force since 2021-08-02"
screen examples/portfolio.csv --on 2021-08-03 --constituents examples/funds -o out/portfolio-2021-08-03.csv

say "2022-06-10: the EO 14032 window closed on 2022-06-03: hold only, neither buy nor sell (FAQ 1046)"
screen examples/portfolio.csv --on 2022-06-10 --constituents examples/funds -o out/portfolio-2022-06-10.csv

say "The trade blotter: each trade judged at its own time"
screen examples/blotter.csv --kind trades --constituents examples/funds -o out/blotter.csv \
  --report out/blotter.html

say "Alerts raised, and the audit log"
"$BIN/redline" alerts list --limit 12
"$BIN/redline" audit verify || exit 2

say "Reports"
echo "HTML report of the book on 2021-03-16: $PWD/out/portfolio-2021-03-16.html"
echo "HTML report of the trade blotter:     $PWD/out/blotter.html"
echo "Screened files: $PWD/out/*.csv   State (runs, alerts, audit log): $REDLINE_HOME"
