# guidegen: `make demo` renders the sample guide, `make test` runs the test suite.
# Both set everything up first (a virtual environment in .venv with the project
# installed in editable mode); the system libraries are named in the README.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint setup docs schemas messages benchmark clean

demo: $(STAMP)
	$(BIN)/guidegen render profiles/alex-rivera.yaml --prepared-by "Jordan Lee, Northstar Coaching"

# The suite runs on TEST_WORKERS processes (pytest-xdist; one per core of the 2-core
# machines it is measured on). With --dist loadgroup, tests/conftest.py's scheduler keeps
# each module that shares one costly fixture (a Dask cluster, one LibreOffice run) on one
# worker and sends every other test on its own; its ordering starts the longest,
# subprocess-bound tests first, and --no-loadscope-reorder keeps that order.
# `pytest` alone still runs serially.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/lint-imports --no-cache
	@# Bytecode once, up front: the suite starts `python -m guidegen` processes by the hundred, and
	@# with PYTHONDONTWRITEBYTECODE set (as on CI machines) each compiled src/ again.
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

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
	for kind in profile template translation brand; do $(BIN)/guidegen schema $$kind > schemas/$$kind.schema.json; done

# The gettext catalogs of every language in guidegen/language/catalogs.py, updated with
# every message in the code: new ones come in empty for translators to fill (a test fails
# until they are), gone ones are dropped; a new language gets its catalog.
LOCALE := src/guidegen/language/locale
messages: $(STAMP)
	$(BIN)/pybabel extract --no-default-keywords -k _ -k n_:1,2 -k _gettext -k _ngettext:1,2 \
		--no-location -w 100 --project guidegen --msgid-bugs-address "" \
		-o $(LOCALE)/guidegen.pot src/guidegen
	for lang in $$($(BIN)/python -c 'from guidegen.language.catalogs import LANGUAGES, SOURCE_LANGUAGE as en; print(*(l for l in LANGUAGES if l != en))'); do \
		if [ ! -f $(LOCALE)/$$lang/LC_MESSAGES/guidegen.po ]; then \
			$(BIN)/pybabel init -w 100 -D guidegen -i $(LOCALE)/guidegen.pot -d $(LOCALE) -l $$lang; \
		fi; \
		$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -w 100 -D guidegen \
			-i $(LOCALE)/guidegen.pot -d $(LOCALE) -l $$lang; \
	done
	rm $(LOCALE)/guidegen.pot

benchmark: $(STAMP)
	$(BIN)/python benchmarks/render_time.py
	$(BIN)/python benchmarks/batch_throughput.py
	$(BIN)/python benchmarks/batch_throughput.py --executor dask

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
	find output -mindepth 1 ! -name .gitkeep -delete
