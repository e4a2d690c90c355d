# Jiayuan: `make run` serves the demo city, `make test` runs the whole suite on SQLite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEMO_PASSWORD ?= jiayuan-demo-2026
HOST ?= 127.0.0.1:8000

.PHONY: install run seed test test-pg test-browser lint typecheck check messages bench bench-cases clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "Jiayuan needs Python 3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed --if-empty --preset yinchuan --scale demo --seed 1 --demo-password $(DEMO_PASSWORD)
	$(PY) manage.py demo_logins --demo-password $(DEMO_PASSWORD)
	$(PY) manage.py runserver $(HOST)

seed: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed --preset yinchuan --scale demo --seed 1 --demo-password $(DEMO_PASSWORD)

test: install
	$(PY) -m pytest -q -n 2

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jiayuan} $(PY) -m pytest -q -n 2

test-browser: install
	$(PY) -m pytest -q -m browser -p no:xdist

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy jiayuan config

MAKEMESSAGES := $(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location --no-wrap \
	--ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'tests/*' --ignore '*/tests/*'

check: lint typecheck
	$(BIN)/lint-imports
	$(PY) manage.py policy_check
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKEMESSAGES) >/dev/null
	git diff --exit-code -I 'POT-Creation-Date' -- locale || { echo "locale/ is not up to date: run make messages and translate"; exit 1; }

messages: install
	$(MAKEMESSAGES)
	$(PY) manage.py compilemessages --ignore '.venv/*' 

bench: install
	$(PY) bench/seed_city.py

# The city plus two million cases (loaded once, kept): filing through the API, the ledger's latency.
bench-cases: install
	$(PY) bench/cases_city.py

clean:
	rm -rf $(VENV) var
