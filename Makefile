# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test setup install messages translations migrate demo lint format check bench screenshots clean

run: setup migrate demo serve  ## Set up, migrate, load demo data once and serve on http://127.0.0.1:8000

serve:  ## Serve the site (after `make setup migrate`)
	$(MANAGE) runserver $(HOST):$(PORT)

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
