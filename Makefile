# fund-assistant task runner. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
EVAL_TMP ?= $(shell mktemp -d)

.PHONY: install run serve ingest test lint format typecheck bench eval clean

install: $(STAMP)

# torch first and pinned: an unpinned torch pulls GBs of CUDA wheels.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

ingest: install
	$(BIN)/fund-assistant ingest

run: ingest
	$(BIN)/fund-assistant serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/fund-assistant serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assistant ingestion api
	$(BIN)/python -m pytest -q
	$(BIN)/fund-assistant eval --fast --check --out $(EVAL_TMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy assistant ingestion api

bench: install
	$(BIN)/python -m evals.retrieval
	$(BIN)/python -m evals.answering

eval: install
	$(BIN)/fund-assistant eval --check --out evals/runs

clean:
	rm -rf $(VENV) data evals/runs
