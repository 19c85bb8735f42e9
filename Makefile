# dcmodel: two commands do all set-up on a fresh machine.
#   make run   install what is missing, migrate, start web + worker (embedded default)
#   make test  install what is missing, then run the whole suite
# Installs are stamped, so a second run only checks and starts.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint format install install-dev node chromium migrate clean-var

run: install node migrate
	$(PY) manage.py ensure_admin
	PORT=$(PORT) $(PY) manage.py serve --port $(PORT)

test: install-dev node chromium
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

# The browser tests (tests/browser) drive Debian's chromium through Playwright, never a
# downloaded browser. Installed from apt when missing (as root, or with password-less
# sudo); `apt-get update` only when the first try fails. If it cannot be installed the
# browser tests skip and say why; the rest of the suite runs.
chromium:
	@if [ -x "$(CHROMIUM)" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "chromium missing and no apt-get: the browser tests will be skipped" >&2; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  echo "Installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y chromium \
	  || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; } \
	  || echo "chromium could not be installed: the browser tests will be skipped" >&2; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

clean-var:
	rm -rf var/
