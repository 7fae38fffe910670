# The two commands of kinlink (see README.md):
#   make run   - create the environment, install, load the demo lists, create the first
#                administrator, the demo supervisor and case worker, and start the web
#                application on http://127.0.0.1:8000
#   make test  - install what the tests need and run the whole suite (lint, types, tests)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,morphology,bench,spark]'
	touch $@ $(VENV)/.installed

# After the demo lists: the first administrator and the demo supervisor and case worker
# (each printed once; nothing for an account that exists), then
# the web application on this machine only, over plain http (hence cookies not Secure).
run: $(VENV)/.installed
	$(BIN)/kinlink demo run
	$(BIN)/kinlink users create-admin
	$(BIN)/kinlink users create-demo
	KINLINK_COOKIE_SECURE=false $(BIN)/kinlink serve --host 127.0.0.1 --port 8000

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: $(VENV)/.installed-test lint
	scripts/ensure-postgres
	scripts/ensure-chromium
	scripts/ensure-tesseract
	scripts/ensure-java
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
