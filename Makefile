# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run runserver serve test setup install system-packages test-packages messages translations migrate demo lint format check bench screenshots clean

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
	$(BIN)/pytest $(PYTEST_ARGS)

setup: system-packages install messages

# Debian packages the site needs: python3-venv on a bare Debian, gettext for the translations,
# Pango and HarfBuzz for WeasyPrint's certificates, DejaVu fonts; the tests also need Chromium.
# As root they are installed when missing; otherwise the command stops with the line to run.
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

lint:  ## ruff, djLint on the templates, import contracts, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint cms courses forum exchange themes
	$(BIN)/lint-imports
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup  ## Benchmarks: certificate PDFs and quiz grading, then exchange matching and browsing, partner recommendations
	$(MANAGE) bench_courses
	$(MANAGE) bench_exchange
	$(MANAGE) bench_partners

screenshots: setup  ## Refresh the README's screenshots from the browser journeys
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/browser $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles var
