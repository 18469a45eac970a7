# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`: one per core, or a number (1 for one process).
TEST_WORKERS ?= auto

.PHONY: help run worker beat test lint format check typecheck migrate superuser clean lock lock-check bench
.DEFAULT_GOAL := help

## Print this list: each target with its `## ` line.
help:
	@awk '/^## / { doc = substr($$0, 4); next } /^#/ { next } \
	  /^[a-z][a-z-]*:/ && doc { sub(/:.*/, ""); printf "  make %-10s %s\n", $$0, doc } { doc = "" }' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# requirements-dev.txt pins every package (the production set included) with
# its hashes; pip refuses anything that is not pinned and hashed there.
$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# One command for the lock files: the same resolution on every platform, for
# the image's Python (3.11). The lock file given as -o is read first, so its
# pins are kept unless the .in files ask for something else.
COMPILE := pip compile --quiet --universal --python-version 3.11 --generate-hashes

## Serve on http://127.0.0.1:8000 with an SQLite database (debug on).
run: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Run background tasks from REDIS_URL (or CELERY_BROKER_URL); `make run` needs one then.
worker: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/celery -A config worker --loglevel=INFO

## Send the periodic tasks (the daily clean-up) to the workers; run exactly one.
beat: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/celery -A config beat --loglevel=INFO

## The test suite on every core with coverage (fails under 90%). SQLite unless DATABASE_URL is set.
# pytest-xdist runs it in TEST_WORKERS processes; pytest-cov combines their coverage.
test: $(VENV)/.installed
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --cov --cov-report=term-missing:skip-covered --cov-fail-under=90 $(PYTEST_ARGS)

## ruff: the linter and the formatter's check (what CI and pre-commit run).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## ruff: fix what it can and format the code.
format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Django's own checks: migrations in step with models, the schema valid.
check: $(VENV)/.installed
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=true $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

## mypy with the Django and DRF plugins (mypy.ini): every function of the apps typed.
typecheck: $(VENV)/.installed
	DJANGO_DEBUG=true $(BIN)/mypy

## Throughput against the seed's design (../shared/bench): a table, docs/benchmarks.md.
bench: $(VENV)/.installed
	bash scripts/bench.sh

## Apply the migrations to the database of DATABASE_URL (SQLite without it).
migrate: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --noinput

## Create an admin account for /admin/.
superuser: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py createsuperuser

## Recompile requirements*.txt from requirements*.in (after editing a .in file).
# Upgrades: make lock LOCK_ARGS="--upgrade-package NAME" (or "--upgrade" for all).
lock: $(VENV)/.installed
	$(BIN)/uv $(COMPILE) $(LOCK_ARGS) requirements.in -o requirements.txt
	$(BIN)/uv $(COMPILE) $(LOCK_ARGS) requirements-dev.in -o requirements-dev.txt

## Fail when requirements*.txt are not what `make lock` makes of requirements*.in.
# Compiled in a scratch copy and compared without the hash lines, so a wheel
# that an index adds later to a pinned release is not a failure.
lock-check: $(VENV)/.installed
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	cp requirements*.in requirements*.txt "$$scratch" && \
	(cd "$$scratch" && $(CURDIR)/$(BIN)/uv $(COMPILE) requirements.in -o requirements.txt \
	  && $(CURDIR)/$(BIN)/uv $(COMPILE) requirements-dev.in -o requirements-dev.txt) && \
	for lock in requirements.txt requirements-dev.txt; do \
	  grep -v -- '--hash=' "$$lock" >"$$scratch/committed" && \
	  grep -v -- '--hash=' "$$scratch/$$lock" >"$$scratch/compiled" && \
	  diff -u --label "$$lock (committed)" --label "$$lock (compiled)" "$$scratch/committed" "$$scratch/compiled" \
	    || { echo "$$lock is out of step with its .in file: run make lock" >&2; exit 1; }; \
	done && echo "requirements*.txt are in step with requirements*.in"

## Remove the virtualenv, caches and coverage data.
clean:
	rm -rf $(VENV) staticfiles .coverage htmlcov .pytest_cache .ruff_cache .mypy_cache
