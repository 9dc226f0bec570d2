# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format worker beat bench clean screenshots loadtest

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The browser tests inject axe-core from node_modules (never fetched while they run).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed

## run: migrate SQLite (or DATABASE_URL), load reference data, load the published demo campaign,
## create a local sign-in for each role and print them (safe every time: a second run writes
## nothing), serve
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py send_reminders
	@echo "Deadline reminders: swept once now (mail goes to this console unless EMAIL_BACKEND says"
	@echo "otherwise). Run 'python manage.py send_reminders' daily from cron, or set REDIS_URL and"
	@echo "run 'make worker' and 'make beat' beside this server (docs/reminders.md)."
	$(PY) manage.py local_signins
	$(PY) manage.py runserver $(HOST)

## worker: a Celery worker for reminders (needs REDIS_URL); run one per machine, as many as you like
worker: install
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0" && false)
	$(VENV)/bin/celery -A foitracker worker --loglevel=info

## beat: the Celery scheduler (needs REDIS_URL); run exactly ONE for the whole deployment
beat: install
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0" && false)
	$(VENV)/bin/celery -A foitracker beat --loglevel=info --schedule=$(or $(CELERY_BEAT_FILE),celerybeat-schedule)

## test: the whole suite (services that are missing are skipped with a reason, unless
## FOI_REQUIRE_SERVICES=1)
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

## screenshots: drive the demo in headless Chromium and save the README's screenshots
screenshots: install
	FOI_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/browser -q

## loadtest: seed a fresh PostgreSQL database (LOAD_DB), serve it with gunicorn on loopback, run
## 60 s of API consumers and researchers, then 30 s more with PostgreSQL restarted part-way
## (PG_RESTART; empty to skip). Prints the figures for docs/BENCHMARKS.md.
LOAD_SERVER ?= postgres://postgres@127.0.0.1:5432
LOAD_DB ?= foi_load
PG_RESTART ?= pg_ctlcluster --skip-systemctl-redirect $(shell pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $$1}') main restart
loadtest: install
	$(PY) -m loadtest.run --server $(LOAD_SERVER) --database $(LOAD_DB) --seconds 60 \
		--restart-seconds 30 --restart-command "$(PG_RESTART)"

## bench: seed a synthetic load into a benchmark database of its own (foi_bench beside
## DATABASE_URL's PostgreSQL; else a temporary SQLite file, smaller) and measure it against the
## floor; prints the table and writes docs/BENCHMARKS.md. Options: make bench BENCH_ARGS="--help"
bench: install
	$(PY) -m bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 .pytest_cache .ruff_cache
