# Two commands for a fresh clone: `make run` and `make test` (see README.md).
# Both create .venv with Python 3.13 and install the pinned, hash-checked locks.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Development defaults; production sets these in its own environment.
export DEBUG ?= true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-dev install-npm demo lint format lock bench bench-scale audit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Python 3.13 is required (found " + sys.version.split()[0] + "); install it, e.g. pyenv install 3.13.0")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25"

# The stamp files record which lock was installed, so re-runs skip pip.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $(VENV)/.installed $@

# Browser checks' tools from package-lock.json (axe-core, vnu-jar, lighthouse).
# --ignore-scripts: vnu-jar's install script would download a Java runtime;
# Java and Chromium come from Debian. Without npm the browser tests skip
# (and fail under CI=true), so a missing npm only prints a note here.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: browser tests will be skipped (install Node.js 20)"; \
	fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-npm: node_modules/.installed

demo: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# With a coverage report ([tool.coverage] in pyproject.toml; docs/architecture.md: what
# stays uncovered and why).
test: install-dev install-npm
	$(BIN)/python -m pytest --cov --cov-report=term-missing:skip-covered $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the locks after changing dependencies in pyproject.toml.
lock: install-dev
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var/newsroom.sqlite3 var/audit node_modules test-artifacts

# Lighthouse on the front page, the demo article with every body element and
# the demo live ticker, served as in production;
# fails below 95 in any category (see docs/operations.md: accessibility and browser tests).
audit: install-dev install-npm
	$(BIN)/python bench/audit.py

# Benchmarks print side-by-side ratios; they are not part of `make test`.
bench: install-dev
	$(BIN)/python bench/renditions.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/search_load.py

# Every surface at 1,000 and 300,000 generated articles on PostgreSQL
# (BENCH_SCALE_ARGS=--million adds 1,000,000); see bench/README.md.
bench-scale: install-dev
	$(BIN)/python bench/scale.py $(BENCH_SCALE_ARGS)
