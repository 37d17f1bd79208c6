# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= .council
PORT ?= 8501

.PHONY: install run ingest app test lint typecheck pytest bench browser fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is pinned to the CPU build that pip finds on this machine's disk; any other
# version pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/python -m ingest.onnx_model fp32  # export the bundled model to ONNX once, offline
	touch $(STAMP)

install: $(STAMP)

ingest: install
	$(BIN)/council ingest corpus/

app: install
	$(BIN)/streamlit run app/main.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

run: ingest app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy ingest assistant

pytest: install
	$(BIN)/pytest -q

# The browser test drives Debian's chromium; without it (no apt, not root) it skips with a reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		>/dev/null 2>&1 || echo "chromium could not be installed: the browser test will skip"; }

test: lint typecheck browser pytest

# A longer fuzzing run of every parser than the test suite's.
fuzz: install
	FUZZ_EXAMPLES=2000 $(BIN)/pytest -q tests/ingest/test_fuzz.py

bench: install
	$(BIN)/python -m evals.bench

clean:
	rm -rf $(DATA) .pytest_cache .mypy_cache .ruff_cache
