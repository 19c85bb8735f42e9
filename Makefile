# dcmodel: two commands do all set-up on a fresh machine.
#   make run   install what is missing, migrate, start web + worker (embedded default)
#   make test  install what is missing, then run the whole suite
# Installs are stamped, so a second run only checks and starts.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: run test lint format install install-dev node migrate clean-var

run: install node migrate
	$(PY) manage.py ensure_admin
	PORT=$(PORT) $(PY) manage.py serve --port $(PORT)

test: install-dev node
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed
node: node_eval/node_modules/.installed

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "dcmodel needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

node_eval/node_modules/.installed: node_eval/package.json node_eval/package-lock.json
	@command -v node >/dev/null 2>&1 || { echo "dcmodel needs Node.js 20+ (node) on PATH"; exit 1; }
	cd node_eval && npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

clean-var:
	rm -rf var/
