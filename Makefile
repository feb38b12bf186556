# Approdi: `make run` starts the demo, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint install install-dev migrate demo messages clean security requirements bench load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements*.txt are compiled from requirements*.in (`make requirements`): every pin with its hashes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "Approdi is at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(BIN)/waitress-serve --listen=$(HOST):$(PORT) --threads=8 config.wsgi:application

# mypy loads the settings (django-stubs): without DATABASE_URL they run embedded and need no secrets.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DATABASE_URL= APPRODI_VAR_DIR=var/typecheck $(BIN)/python .ci/mypy_baseline.py

test: lint
	@command -v chromium >/dev/null 2>&1 || echo "NOTE: Debian's chromium is not installed: the browser tests will be SKIPPED (apt-get install chromium)."
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The security suite, the tests marked `security` (tests/security and the route walk): every route for
# every role and organisation, schemathesis against the OpenAPI document (FUZZ_REQUESTS requests, no 500,
# every answer as documented), no live formula in any CSV/XLSX, hostile imports, the CSP and no-store headers.
# On the database DATABASE_URL names, like the rest of the suite.
FUZZ_REQUESTS ?= 5000
security: install-dev
	APPRODI_FUZZ_REQUESTS=$(FUZZ_REQUESTS) $(BIN)/python -m pytest -n 2 -m security -p no:cacheprovider $(PYTEST_ARGS)

# Every list page and API list at national scale (1,000,000 contacts, 100,000 people, 20,000 cases, 500 users) on
# SQLite and PostgreSQL (127.0.0.1:5432, user postgres), beside its goal, and the signed-in throughput through
# waitress (Debian's wrk if installed), then a contacts file of 100,000 rows through the import beside its floor
# (bench/import_scale.py; 500 rows at tiny scale). The first run builds the world and keeps it (/tmp/approdi-bench-pages-*,
# approdi_bench_pages_*); later runs reuse it. A quick run: make bench BENCH_ARGS="--scale tiny --repeat 3 --seconds 2"
BENCH_ARGS ?=
bench: install-dev
	$(BIN)/python -m bench.pages --reuse $(BENCH_ARGS)

# Load held: 50 simulated users (street operators, the Ufficio Filtro, case workers, a coordinator) for 10 minutes
# against two app processes and a worker on PostgreSQL (127.0.0.1:5432) with Redis (127.0.0.1:6379), through Locust
# on 127.0.0.1 only; p95 per page and the errors, non-zero exit on any error (bench/load.py). The world is kept
# (approdi_bench_load) for the next run. CI's: make load LOAD_ARGS="--minutes 2"
LOAD_ARGS ?=
load: install-dev
	$(BIN)/python -m bench.load --reuse $(LOAD_ARGS)

# Needs GNU gettext (apt-get install gettext): refreshes locale/it from the code, then compiles it.
messages: install-dev
	$(BIN)/python manage.py makemessages -l it --no-wrap --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py makemessages -d djangojs -l it --no-wrap --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=var --ignore=node_modules
	$(BIN)/python manage.py compilemessages -l it --ignore=.venv

# After changing requirements*.in (needs pip-tools: pip install pip-tools). Existing pins are kept; to move
# one, pass it: make requirements PIP_COMPILE_ARGS="--upgrade-package django".
requirements: install-dev
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS) -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS) -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache
