# Convene: `make run` serves the site, `make test` checks everything.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/convene
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test messages lint format clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Compiled catalogues are built, not committed; Babel needs no system gettext.
messages: $(VENV)/.installed-run
	@$(VENV)/bin/pybabel -q compile --use-fuzzy=false -d locale -D django 2>/dev/null || \
	  $(VENV)/bin/pybabel compile -d locale -D django

run: $(VENV)/.installed-run messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$${HOST:-127.0.0.1}:$${PORT:-8000}/ (Ctrl-C to stop)"
	exec $(VENV)/bin/gunicorn --config config/gunicorn.conf.py config.wsgi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The whole suite on DATABASE_URL when set (CI: PostgreSQL). Otherwise on SQLite,
# then again on the local PostgreSQL server when one answers.
test: $(VENV)/.installed-test messages lint
	$(PY) manage.py makemigrations --check --dry-run
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== Test suite on $${DATABASE_URL%%://*}"; \
	  $(PYTEST); \
	else \
	  echo "== Test suite on SQLite"; \
	  $(PYTEST) || exit $$?; \
	  if $(PY) bin/postgres_answers.py "$(PG_TEST_URL)"; then \
	    echo "== Test suite again on PostgreSQL ($(PG_TEST_URL)), browser tests excluded"; \
	    DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "not browser"; \
	  else \
	    echo "== PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL run skipped"; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache

# Load test (not part of `make test`): registration rush and public page on gunicorn and
# PostgreSQL, results in var/bench/results.json. BENCH_DATABASE_URL names a database that
# is dropped and re-created (default postgres://postgres@127.0.0.1:5432/convene_bench).
.PHONY: bench
bench: $(VENV)/.installed-run messages
	$(PY) -m bench.run $(BENCH_ARGS)

# The task worker (production: TASKS_BACKEND=database, under a supervisor; see README).
.PHONY: worker
worker: $(VENV)/.installed-run messages
	exec $(PY) manage.py run_task_worker
