# ISCG — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-browser quality install system-deps migrate demo worker beat bench faults backup restore-check clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --quiet --disable-pip-version-check --upgrade pip 2>&1 | { grep -v "is ignored" || true; }
	@$(PIP) install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | { grep -v "is ignored" || true; }
	@$(PY) -c "import django, weasyprint" >/dev/null
	@touch $(STAMP)

install: $(STAMP) system-deps

# WeasyPrint needs Pango and HarfBuzz; the browser tests need Debian's Chromium.
system-deps:
	@scripts/system_deps.sh

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "ISCG démarre sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -q

test-browser: install
	@scripts/system_deps.sh --browser
	$(PY) -m pytest -q tests/browser -o addopts="-p no:cacheprovider" -m browser

quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/djlint --check templates cases
	$(VENV)/bin/djlint --lint templates cases

worker: install
	$(VENV)/bin/celery -A iscg worker -l info

beat: install
	$(VENV)/bin/celery -A iscg beat -l info

bench: install
	bench/run.sh

# Faults injected on ISCG run as in production, on its own PostgreSQL, Redis and SMTP
# (spare loopback ports): Redis down, PostgreSQL restarted, worker killed, SMTP down,
# two tabs, hostile input. Prints each measurement beside its target (faults/README.md).
faults: install
	$(PY) -m faults.run

# A backup of the configured database and private files (BACKUP_ROOT), then the proof that
# the latest one restores: row counts and file checksums compared with its manifest.
backup: install
	$(PY) manage.py backup

restore-check: install
	$(PY) manage.py restore_check

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-private
