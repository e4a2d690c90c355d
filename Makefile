# Jiayuan: `make run` serves the demo city, `make test` runs the whole suite on SQLite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEMO_PASSWORD ?= jiayuan-demo-2026
HOST ?= 127.0.0.1:8000

.PHONY: install run seed test test-pg test-browser lint typecheck check messages bench clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Jiayuan needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
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

check: lint typecheck
	$(PY) manage.py policy_check
	$(PY) manage.py makemigrations --check --dry-run

messages: install
	cd jiayuan && ../$(PY) ../manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore '*/tests/*'
	$(PY) manage.py compilemessages

bench: install
	$(PY) bench/seed_city.py

clean:
	rm -rf $(VENV) var
