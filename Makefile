# SPDX-License-Identifier: EUPL-1.2
# Two commands matter on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REGION ?= gelderland-midden
PYTEST_ARGS ?=

.PHONY: demo test lint typecheck contracts check ci load-region env-help bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Run the demo: install, migrate, load a region with demo users, serve on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/ketentafel demo --region $(REGION)

## Run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

check: $(STAMP)
	$(BIN)/ketentafel makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=ketentafel.config.settings.prod SECRET_KEY=ci-dummy-secret-key-that-is-long-enough-to-pass-the-deploy-check-0123456789 \
	AUDIT_SIGNING_KEY=Y2ktZHVtbXktYXVkaXQtc2lnbmluZy1rZXktMzJieXQ= \
	ALLOWED_HOSTS=ketentafel.example.org $(BIN)/ketentafel check --deploy --fail-level WARNING

load-region: $(STAMP)
	$(BIN)/ketentafel migrate --no-input
	$(BIN)/ketentafel load-region $(REGION)

env-help: $(STAMP)
	@$(BIN)/ketentafel env-help

## Benchmark on its own PostgreSQL database (created and migrated if needed; docs/performance.md)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ketentafel_bench
BENCH_ARGS ?= --output var/bench.json
bench: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=ketentafel.config.settings.bench \
	$(BIN)/ketentafel bench --prepare $(BENCH_ARGS)

ci:
	.ci/run

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache .mypy_cache .ruff_cache
