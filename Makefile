# Two commands matter: `make run` (a bare machine to the running demo) and `make test` (everything green).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
PORT ?= 8000
# Tests run on the real PostgreSQL and Redis of this machine.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/segment1
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0
SCREENSHOT_DIR ?= $(CURDIR)/var/screenshots
# The scale benchmark runs on a PostgreSQL database of its own, seeded up to CASES synthetic cases.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/segment1_bench
CASES ?= 100000

.PHONY: install static run test test-unit test-e2e screenshots lint services system-deps system-deps-run clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

static: install
	$(PY) manage.py collectstatic --noinput -v0

# The demo on the embedded default: SQLite file, Celery (worker with beat for the deadline sweep) on a
# filesystem broker, mail to the console.
run: install system-deps-run
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py demo_logins --url http://127.0.0.1:$(PORT)/
	@DJANGO_DEBUG=1 $(VENV)/bin/celery -A segment1 worker --beat --schedule=var/celerybeat-schedule --pool=solo --loglevel=warning & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the product needs: Pango, HarfBuzz-Subset and a font for WeasyPrint (the letters as PDF).
system-deps-run:
	@missing=""; ldconfig -p | grep -q libpangoft2 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	  ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	  [ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	  if [ -n "$$missing" ]; then echo "Installing$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

# And those the tests use: Chromium (with its Dutch locale data, so date fields show dd-mm-jjjj in the
# screenshots) for the browser tests, docker-compose to validate the stack file, poppler-utils (pdftotext,
# pdfinfo) to read the letters back.
system-deps: system-deps-run
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	  [ -d /usr/lib/chromium/locales ] && ls /usr/lib/chromium/locales | grep -q '^nl' || missing="$$missing chromium-l10n"; \
	  command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  if [ -n "$$missing" ]; then echo "Installing$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

services:
	@$(PY) scripts/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_BROKER_URL)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run -v0

test-unit: static system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	  $(VENV)/bin/pytest tests --ignore=tests/e2e -q

test-e2e: static system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) SCREENSHOT_DIR=$(SCREENSHOT_DIR) \
	  $(VENV)/bin/pytest tests/e2e -q

test: lint test-unit test-e2e

# Refresh the screenshots in docs/screenshots/ that docs/handleiding.md shows (the browser tests take them).
screenshots:
	$(MAKE) test-e2e SCREENSHOT_DIR=$(CURDIR)/docs/screenshots

# Figures of docs/performance.md: message throughput (no database), then the scale benchmark on PostgreSQL:
# seeds up to CASES cases (reusing what is there; CASES=1000000 for national size) and writes bench/results.*.
bench: install
	DJANGO_SETTINGS_MODULE=segment1.settings $(PY) manage.py bench_messages
	$(PY) scripts/ensure_database.py "$(BENCH_DATABASE_URL)"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench --cases $(CASES)

clean:
	rm -rf var staticfiles
