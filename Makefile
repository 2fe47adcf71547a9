# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run runserver serve test setup install messages translations migrate demo lint format check bench screenshots clean

run: setup migrate demo runserver  ## Set up, migrate, load demo data once and serve on http://127.0.0.1:8000 (SQLite)

runserver:  ## Django's development server (after `make setup migrate`)
	$(MANAGE) runserver $(HOST):$(PORT)

# The production configuration on this machine: gunicorn (WEB_CONCURRENCY workers), a Celery
# worker and Celery beat from the Procfile, run by honcho, against DATABASE_URL and REDIS_URL.
# Plain HTTP on loopback, so no HTTPS redirect and no secure-only cookies; media on local disk
# are served by Django unless S3_BUCKET is set.
SERVE_ENV := DJANGO_SETTINGS_MODULE=cms.settings.production \
	SECRET_KEY="$${SECRET_KEY:-local-serve-$$(hostname)-not-for-the-internet}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" \
	SECURE_SSL_REDIRECT=False SECURE_COOKIES=False SECURE_HSTS_SECONDS=0 MEDIA_SERVE="$${MEDIA_SERVE:-True}"
serve: setup  ## Production configuration locally: gunicorn, Celery worker and beat (needs DATABASE_URL, REDIS_URL)
	@test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" || { \
		echo "make serve needs DATABASE_URL and REDIS_URL, e.g."; \
		echo "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/tvc REDIS_URL=redis://127.0.0.1:6379/0 make serve"; \
		exit 2; }
	$(SERVE_ENV) $(MANAGE) migrate --no-input
	$(MAKE) staticfiles/staticfiles.json
	mkdir -p var
	PATH="$(CURDIR)/$(BIN):$$PATH" BIND_ADDRESS=$(HOST) $(SERVE_ENV) $(BIN)/honcho start --port $(PORT)

test: setup  ## Set up, then run the whole test suite (browser journeys included)
	$(BIN)/pytest $(PYTEST_ARGS)

setup: install messages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

messages:  ## Compile the UI translations (.po -> .mo)
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

# No source locations and a sorted catalogue: branches that add strings then merge cleanly
# (.gitattributes merges .po files as a union; `msgfmt --check` in `make messages` catches
# the rare clash).
translations:  ## Extract the UI strings into every app's .po files (pl, it) for translators
	$(MANAGE) makemessages --locale pl --locale it --no-obsolete --no-location \
		--ignore=.venv --ignore=tests --ignore=media --ignore=staticfiles --ignore=var
	for po in $$(git ls-files '*/locale/*/LC_MESSAGES/django.po'); do \
		msgcat --no-location --sort-output -o $$po $$po && sed -i '/^"POT-Creation-Date:/d' $$po; \
	done

# Hashed, compressed static files for WhiteNoise; rebuilt only when a static file changed.
staticfiles/staticfiles.json: $(shell git ls-files '*/static/*')
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input --verbosity 0

migrate:
	$(MANAGE) migrate --no-input

demo:  ## Load the demo content (skipped when it is already there)
	$(MANAGE) load_demo --skip-if-loaded

lint:  ## ruff, template checks, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup  ## Benchmarks: certificate PDFs and quiz grading, then exchange matching and browsing
	$(MANAGE) bench_courses
	$(MANAGE) bench_exchange

screenshots: setup  ## Refresh the README's screenshots from the browser journeys
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/browser $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles var
