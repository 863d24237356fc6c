# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit services bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "thinktwice needs $(PYTHON) on PATH (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## Set everything up and start the bot (the console when no Slack or Teams credentials are set).
run: $(STAMP)
	$(BIN)/thinktwice start

## Set everything up and run every check: ruff, mypy and the test suite.
test: $(STAMP) services lint typecheck unit

## The real servers the tests start on loopback: redis-server, and chromium for the report page.
services:
	@bash scripts/install-test-services.sh

lint: $(STAMP)
	$(BIN)/ruff check bot adapters tests bench
	$(BIN)/ruff format --check bot adapters tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) services
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
