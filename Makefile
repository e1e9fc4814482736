# rws-music: `make demo` runs the pipeline on the bundled sample; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else as a module of the machine's python3 (installed through pip when missing).
PYTHON ?= python3
UV := $(shell command -v uv >/dev/null 2>&1 && echo uv || echo "$(PYTHON) -m uv")
# .env is loaded for every command (the extractors read it themselves; dbt needs it in the environment).
ENV_FILE := $(if $(wildcard .env),--env-file .env,)
RUN := $(UV) run --frozen $(ENV_FILE)
DBT := $(RUN) dbt
# the SQL linter (.sqlfluff): the models, the singular tests and the extractors' SQL files (extractors/**/*.sql,
# whose values extractors/.sqlfluff stands in for)
# PYTHONWARNINGS: sqlfluff's worker pool may leave a "leaked semaphore" warning at exit (sqlfluff issue 4080).
SQL_PATHS ?= models tests/singular extractors
SQLFLUFF := PYTHONWARNINGS=ignore:resource_tracker:UserWarning $(RUN) sqlfluff lint --quiet $(SQL_PATHS)

.PHONY: help setup demo report test lint format enrich extract ingest dbt status bench clean-demo

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --compile-bytecode: every command starts from compiled modules, also where PYTHONDONTWRITEBYTECODE is set
# (dbt imports thousands of modules: its start takes 1.6 s instead of 2.6 s, on every dbt and make command)
.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		{ echo "installing uv with pip"; $(PYTHON) -m pip install --quiet uv; }
	$(UV) sync --frozen --compile-bytecode
	@command -v uv >/dev/null 2>&1 || echo "note: uv was installed for $(PYTHON) but is not on PATH; the README's \
	\`uv run …\` commands need it there (or type \`$(PYTHON) -m uv run …\`)"
	@touch $@

# your settings: a copy of .env.example to fill in (never overwritten), so `uv run --env-file .env …` always works
.env:
	@cp .env.example .env && echo "created .env from .env.example: fill in your credentials there"

setup: .venv/.synced .env ## install the locked dependencies into .venv and create .env from .env.example if missing

demo: setup ## the whole pipeline on the bundled sample, offline (recorded API answers on 127.0.0.1)
	$(RUN) python -m scripts.demo

report: setup ## one offline HTML report of the warehouse (writes DATA_DIR/exports/report.html)
	$(RUN) python -m scripts.report

# pytest in two processes (pytest-xdist): most tests wait on one single-threaded subprocess (dbt, the extractors),
# so two keep both cores busy. --dist loadfile: a file's tests run in one worker, so its module builds are made
# once (conftest's session builds, sample and empty_build, once in each worker whose files read them)
test: setup ## lint and type-check (ruff, mypy, sqlfluff), then every test (pytest, including dbt build on test data)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(SQLFLUFF)
	$(RUN) pytest -n 2 --dist loadfile

lint: setup ## ruff check and format check, mypy over extractors/ and scripts/, sqlfluff over the SQL
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(SQLFLUFF)

format: setup ## apply ruff's formatting and safe fixes
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

ingest: setup ## poll your latest Spotify plays into the history (cron: every ten minutes)
	$(RUN) python -m extractors recently-played

extract: setup ## every extractor in order (sources without credentials are skipped)
	$(RUN) python -m extractors all --skip-on-error

dbt: setup ## dbt build: parse the landed data into the warehouse, run every test
	$(RUN) python -m scripts.build_stamp pending
	$(DBT) build
	$(RUN) python -m scripts.build_stamp commit

# one `make enrich` at a time (cron runs that overlap): the second says so and exits 1
ENRICH_LOCK ?= .enrich.lock

enrich: setup ## every extractor in order, then dbt build if anything changed (even if a source failed; the exit says so)
	@flock -n -E 75 $(ENRICH_LOCK) $(MAKE) --no-print-directory enrich-locked; status=$$?; \
		if [ $$status = 75 ]; then echo "make enrich: another run is in progress ($(ENRICH_LOCK)); exiting" >&2; \
		exit 1; fi; exit $$status

# extractors, then a quiet dbt build unless nothing it reads changed since the last successful build
# (scripts/enrich.py, scripts/build_stamp.py)
enrich-locked:
	@$(RUN) python -m scripts.enrich

status: setup ## rows, landed, missing and not-found keys per source
	$(RUN) python -m extractors status

clean-demo: ## remove the demo's data folder (data/demo)
	rm -rf data/demo

bench: setup ## requests per key, wall time and peak memory against the fake APIs (writes data/bench/*.json)
	$(RUN) python -m scripts.bench
