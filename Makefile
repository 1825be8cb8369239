# fund-assistant task runner. `make run` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
EVAL_TMP ?= $(shell mktemp -d)

.PHONY: install postgres-server run serve ingest test lint format typecheck bench eval soak soak-throughput clean browser

install: $(STAMP)

# torch first and pinned: an unpinned torch pulls GBs of CUDA wheels. LAC (its trained model
# files, read by assistant/redaction/lac_ner.py) without its PaddlePaddle, pinned by hash.
$(STAMP): pyproject.toml requirements-lac.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes \
	  --build-constraint build-constraints-lac.txt -r requirements-lac.txt
	touch $(STAMP)

ingest: install
	$(BIN)/fund-assistant ingest

run: ingest
	$(BIN)/fund-assistant serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/fund-assistant serve --host $(HOST) --port $(PORT)

# The tests start a real PostgreSQL server (tests/postgres.py) from Debian's package: installed
# here when missing (as root, with apt-get), so that `make test` works on a fresh machine.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y --no-install-recommends postgresql; \
	  else \
	    echo "make test needs Debian's postgresql package (apt-get install postgresql)," \
	      "or deselect its tests: pytest -m 'not postgres'" >&2; exit 1; \
	  fi; }

# The browser tests drive Debian's Chromium (never Playwright's download) and need CJK glyphs.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1; then \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium fonts-wqy-microhei; \
	fi

test: install postgres-server browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assistant ingestion api evals
	$(BIN)/python -m pytest -q
	$(BIN)/fund-assistant eval --fast --check --out $(EVAL_TMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assistant ingestion api evals

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy assistant ingestion api evals

bench: install browser
	$(BIN)/python -m evals.retrieval
	$(BIN)/python -m evals.answering
	$(BIN)/python -m evals.web_bench
	$(BIN)/python -m evals.kb2
	$(BIN)/python -m evals.kb2 --kb kb3
	$(BIN)/python -m evals.kb2 --kb kb5
	$(BIN)/python -m evals.kb2 --kb kb8
	$(BIN)/python -m evals.kb2 --kb kb9
	$(BIN)/python -m evals.kb2 --kb kb3 --set english_blind
	$(BIN)/python -m evals.kb2 --kb kb5 --set english_blind
	$(BIN)/python -m evals.kb2.fund_names
	$(BIN)/python -m evals.kb2.mid_conversation --kb kb4
	$(BIN)/python -m evals.kb2.multiturn --kb kb4
	$(BIN)/python -m evals.which_fund --kb kb4
	$(BIN)/python -m evals.pii_bench
	$(BIN)/python -m evals.realtext_bench
	$(BIN)/python -m evals.offtopic_answered
	$(BIN)/python -m evals.crisis_bench

# The reliability benchmark (issue 13): throughput of serve --workers 3 on PostgreSQL and a
# Chroma server, faults, races on PostgreSQL and SQLite, fuzzing; prints what happened.
soak: install postgres-server
	$(BIN)/python -m evals.reliability

# Only the throughput figure (3 workers, PostgreSQL, Chroma server, 50 clients).
soak-throughput: install postgres-server
	$(BIN)/python -m evals.reliability --throughput

eval: install
	$(BIN)/fund-assistant eval --check --out evals/runs

clean:
	rm -rf $(VENV) data evals/runs
