# Baqylau: `make run` brings up the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BAQYLAU := DJANGO_SETTINGS_MODULE=baqylau.settings.dev $(BIN)/baqylau
DATABASE_URL_TEST ?= postgresql://postgres@127.0.0.1:5432/baqylau_test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres lint install install-dev demo clean

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

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

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
	$(BAQYLAU) runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest

test-postgres: install-dev
	DATABASE_URL=$(DATABASE_URL_TEST) $(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
