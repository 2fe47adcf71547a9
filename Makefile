# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Line coverage with the floor of pyproject.toml ([tool.coverage.report] fail_under); empty it
# to run part of the suite: `make test COVERAGE= PYTEST_ARGS=tests/cms`.
COVERAGE ?= --cov --cov-report=term

.PHONY: run runserver serve test setup install system-packages test-packages messages translations migrate demo lint format check bench bench-pages soak screenshots clean

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
	SECURE_SSL_REDIRECT=False SECURE_COOKIES=False SECURE_HSTS_SECONDS=0
serve: setup  ## Production configuration locally: gunicorn, Celery worker and beat (needs DATABASE_URL, REDIS_URL)
	@test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" || { \
		echo "make serve needs DATABASE_URL and REDIS_URL, e.g."; \
		echo "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/tvc REDIS_URL=redis://127.0.0.1:6379/0 make serve"; \
		exit 2; }
	$(SERVE_ENV) $(MANAGE) migrate --no-input
	$(MAKE) staticfiles/staticfiles.json
	mkdir -p var
	PATH="$(CURDIR)/$(BIN):$$PATH" BIND_ADDRESS=$(HOST) $(SERVE_ENV) $(BIN)/honcho start --port $(PORT)

test: test-packages setup  ## Set up, then run the whole test suite (browser journeys included)
	$(BIN)/pytest $(COVERAGE) $(PYTEST_ARGS)

setup: system-packages install messages

# Debian packages the site needs: python3-venv on a bare Debian, gettext for the translations,
# Pango and HarfBuzz for WeasyPrint's certificates, DejaVu fonts; the tests also need Chromium.
# As root they are installed when missing; otherwise the command stops with the line to run.
# With a PostgreSQL server on this machine, also the Polish search dictionary (hunspell-pl) and
# stop words in its tsearch_data (cms/search/tsearch_data/install-polish.sh); without them
# Polish is searched unstemmed, so a failure only warns.
DEBIAN_PACKAGES = python3-venv gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
define ensure_debian_packages
	@missing=""; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	/sbin/ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	/sbin/ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing="$$missing libharfbuzz-subset0"; \
	test -d /usr/share/fonts/truetype/dejavu || missing="$$missing fonts-dejavu-core"; \
	$(if $(1),command -v chromium >/dev/null || missing="$$missing chromium";) \
	$(if $(1),command -v redis-server >/dev/null || missing="$$missing redis-server";) \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "Missing Debian packages. Run as root, then try again:"; \
			echo "  apt-get install --no-install-recommends$$missing"; \
			exit 1; \
		fi; \
	fi; \
	if [ "$$(id -u)" = 0 ] && ls -d /usr/share/postgresql/*/tsearch_data >/dev/null 2>&1 \
		&& ! ls /usr/share/postgresql/*/tsearch_data/polish.stop >/dev/null 2>&1; then \
		sh cms/search/tsearch_data/install-polish.sh \
			|| echo "Polish search files not installed: Polish is searched without stemming"; \
	fi
endef

system-packages:  ## Install the Debian packages the site needs when missing (as root)
	$(call ensure_debian_packages,)

test-packages:  ## The same, plus Chromium for the browser journeys
	$(call ensure_debian_packages,with-chromium)

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
	$(MANAGE) migrate --no-input --verbosity 0

demo:  ## Load the demo content (skipped when it is already there)
	$(MANAGE) load_demo --skip-if-loaded

lint:  ## ruff, djLint on the templates, import contracts, types of services and selectors, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint cms courses forum exchange themes
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup bench-pages  ## Benchmarks: the key pages under load, certificate PDFs and quiz grading, exchange matching and browsing, partner recommendations
	$(MANAGE) bench_courses
	$(MANAGE) bench_exchange
	$(MANAGE) bench_partners

# The key pages, anonymous and signed in, on the data in DATABASE_URL (seed_scale --size large
# on PostgreSQL): queries, server time, and wrk against gunicorn beside a bare view, in the
# production settings of `make serve`; the table goes to docs/performance.md. BENCH_PORT: the
# port of its gunicorn (default PORT + 1).
bench-pages: setup  ## The key pages under load (needs DATABASE_URL, REDIS_URL, wrk); table in docs/performance.md
	@test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" || { \
		echo "make bench needs DATABASE_URL and REDIS_URL (the large data set: manage.py seed_scale --size large)"; \
		exit 2; }
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk"; exit 2; }
	$(MAKE) staticfiles/staticfiles.json
	BENCH_PORT=$${BENCH_PORT:-$$(( $(PORT) + 1 ))} $(SERVE_ENV) $(MANAGE) bench_pages

# Ten minutes of mixed load (browsing, signing in, quiz attempts, forum replies, listing searches,
# newsletters) against `make serve` on PORT, with memory sampled: tests/scaleout/soak.py.
soak: setup  ## Soak test against make serve (needs DATABASE_URL, REDIS_URL); figures in docs/performance.md
	@test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" || { \
		echo "make soak needs DATABASE_URL and REDIS_URL (the large data set: manage.py seed_scale --size large)"; \
		exit 2; }
	$(SERVE_ENV) $(BIN)/python -m tests.scaleout.soak --port $(PORT) --minutes $${SOAK_MINUTES:-10}

screenshots: setup  ## Refresh the README's screenshots from the browser journeys
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/browser $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles var
