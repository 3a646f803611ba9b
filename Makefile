# TalentBridge — the README's commands. `make run` and `make test` set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1

.PHONY: install browser run demo serve test lint format bench bench-console clean migration

install: $(STAMP) ## create or update .venv with the project, its test tools and the CPU build of torch

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first, pinned: this version's CPU build is what the machines have on disk; an unpinned
	# torch pulled in by sentence-transformers would be a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[st,dev]'
	touch $(STAMP)

# The console's browser tests drive Debian's Chromium (never a browser that a test tool downloads), with CJK fonts
# so that screenshots show Chinese. Installing needs root (as in CI) or sudo; without either the tests say so.
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk
browser: ## Debian's Chromium and CJK fonts for the browser tests (skipped when already there)
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else \
		echo "browser: run 'apt-get install $(BROWSER_PACKAGES)' as root for the browser tests" >&2; exit 0; fi; \
	$$SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null

demo: install ## create the database, load the synthetic demo data, build the indexes
	$(BIN)/talent demo

serve: install ## serve the API on http://127.0.0.1:8000 (docs at /docs)
	$(BIN)/talent serve

run: demo serve ## everything a newcomer needs: set up, load the demo, serve

# Two workers (one per core of the CI machine); a file's tests stay on one worker, so module fixtures load once.
# Tests marked serial (processes racing each other on purpose) run afterwards, alone.
TEST_WORKERS ?= 2
test: install browser ## the test suite (PostgreSQL half too when TALENT_TEST_POSTGRES_URL is set)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial"
	$(BIN)/python -m pytest -m serial

lint: install ## ruff, mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## encoder throughput and exact vs approximate search (figures, not a test)
	$(BIN)/talent bench

bench-console: demo ## how long each web-console page takes per role on the demo data (figures, not a test)
	$(BIN)/talent bench --console

migration: install ## autogenerate a migration from the models: make migration m="what changed"
	$(BIN)/python -c "import sys; from matcher.config import get_settings; from matcher.store.db import make_engine; \
	from matcher.store.migrate import revision, upgrade; e = make_engine(get_settings().resolved_database_url); \
	upgrade(e); revision(e, sys.argv[1])" "$(m)"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
