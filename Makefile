# guidegen: `make demo` renders the sample guide, `make test` runs the test suite.
# Both set everything up first (a virtual environment in .venv with the project
# installed in editable mode); the system libraries are named in the README.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint setup docs schemas benchmark clean

demo: $(STAMP)
	$(BIN)/guidegen render profiles/alex-rivera.yaml --prepared-by "Jordan Lee, Northstar Coaching"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check src tests benchmarks docs

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "guidegen needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# The README's picture of page 1, made from the sample guide (not drawn by hand).
docs: $(STAMP)
	$(BIN)/python docs/make_images.py

# The JSON Schemas editors use (a test fails when they are stale).
schemas: $(STAMP)
	for kind in profile template brand; do $(BIN)/guidegen schema $$kind > schemas/$$kind.schema.json; done

benchmark: $(STAMP)
	$(BIN)/python benchmarks/render_time.py
	$(BIN)/python benchmarks/batch_throughput.py
	$(BIN)/python benchmarks/batch_throughput.py --executor dask

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
	find output -mindepth 1 ! -name .gitkeep -delete
