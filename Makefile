# Every target makes (or reuses) a local virtual environment in .venv, so a fresh machine
# needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)  ## sync the embedded demo responses to out/ (no Google account, no network)
	$(BIN)/smwsync sync --config config/demo.toml

test: $(STAMP)  ## run the whole test suite
	$(BIN)/pytest

lint: $(STAMP)  ## check style
	$(BIN)/ruff check smwsync tests bench
	$(BIN)/ruff format --check smwsync tests bench

bench: $(STAMP)  ## measure speed and memory against baselines (see bench/README.md)
	$(BIN)/python bench/sync_10k.py

clean:
	rm -rf out bench/out .pytest_cache .ruff_cache .hypothesis
