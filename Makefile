# `make run` and `make test` work on a fresh machine with only Python 3.11: both build .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit datacheck bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/redline demo
	BIN=$(BIN) examples/story.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

datacheck: $(STAMP)
	$(BIN)/redline data check

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck datacheck unit

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
