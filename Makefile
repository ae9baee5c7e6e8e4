# Baqylau: `make run` brings up the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BAQYLAU := DJANGO_SETTINGS_MODULE=baqylau.settings.dev $(BIN)/baqylau
# Production settings unless the environment names others; secrets and addresses come from it too.
PRODUCTION := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-baqylau.settings.production} $(BIN)/baqylau
DATABASE_URL_TEST ?= postgresql://postgres@127.0.0.1:5432/baqylau_test
HOST ?= 127.0.0.1
PORT ?= 8000

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve smoke test test-postgres bench loadtest lint install install-dev demo messages browser briefing-deps clean

# The venv is rebuilt when pyproject.toml changes; the stamp files say what was installed.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed messages briefing-deps
install-dev: $(VENV)/.installed-dev messages briefing-deps

# Briefings: WeasyPrint lays out PDFs with Pango; DejaVu and Noto have every Kazakh letter and are
# embedded in the PDFs; pdftoppm/pdftotext (poppler) let people and tests look at the pages.
BRIEFING_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core poppler-utils
briefing-deps:
	@dpkg -s $(BRIEFING_PACKAGES) >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BRIEFING_PACKAGES))

# Translations: the .po files are committed, the .mo files are built (and git-ignored).
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext)
	cd src/baqylau && DJANGO_SETTINGS_MODULE=baqylau.settings.dev ../../$(BIN)/baqylau compilemessages -v 0

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
browser: $(CHROMIUM)
$(CHROMIUM):
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

demo: install
	@mkdir -p var
	$(BAQYLAU) migrate --no-input -v 0
	$(BAQYLAU) load-demo
	$(BAQYLAU) create-demo-accounts

run: demo
	@echo ""
	@echo "Baqylau is starting: open http://$(HOST):$(PORT)/  (administration: http://$(HOST):$(PORT)/admin/)"
	@echo "Log in as office, reviewer, energy, akimat or viewer; password: $${BAQYLAU_DEMO_PASSWORD:-baqylau-demo} (demo only)"
	@echo ""
	@# A background worker runs queued work (workbook imports); it stops with the server.
	$(BAQYLAU) db_worker --interval 1 > var/worker.log 2>&1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BAQYLAU) runserver $(HOST):$(PORT)

# The product as deployed, on this machine: migrate, collect the static files, then gunicorn and a
# queue worker (`baqylau serve`). Reads BAQYLAU_SECRET_KEY, DATABASE_URL, ... (docs/deployment.md).
serve: install
	$(PRODUCTION) migrate --no-input
	$(PRODUCTION) collectstatic --no-input -v 0
	$(PRODUCTION) serve

# The production smoke test (CI runs it after the suites): serve on a new PostgreSQL database and a
# free port, log in and open every page with a real HTTP client, import a workbook through the worker.
smoke: install-dev
	$(BIN)/python deploy/smoke.py

# Benchmarks at national scale (docs/performance.md): the datasets are built once into var/bench/ and
# PostgreSQL databases baqylau_bench_*; prints one table, writes bench/results.json, fails on a miss.
bench: install-dev
	$(BIN)/python bench/run.py

# 50 simulated people for two minutes against `baqylau serve` on PostgreSQL (loopback only).
loadtest: install-dev
	$(BIN)/python bench/loadtest.py

test: install-dev browser
	$(BIN)/pytest

test-postgres: install-dev browser
	DATABASE_URL=$(DATABASE_URL_TEST) $(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
