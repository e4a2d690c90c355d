# Jiayuan: `make run` serves the demo city, `make test` runs the whole suite on SQLite.
# The first of python3.13, python3.12, python3.11 and python3 that is Python 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEMO_PASSWORD ?= jiayuan-demo-2026
HOST ?= 127.0.0.1:8000
# The address in text messages, on QR posters and printed by demo_logins: the one `make run` serves.
SITE_URL ?= http://$(HOST)

.PHONY: install run seed test test-pg test-browser lint typecheck check lock-check restore-drill fuzz messages bench bench-cases clean

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Jiayuan needs Python 3.11, 3.12 or 3.13, and none was found as python3.13,"; \
		echo "python3.12, python3.11 or python3. Install one (Debian/Ubuntu: apt-get install python3 python3-venv;"; \
		echo "elsewhere: https://www.python.org/downloads/), or name it: make PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
run: export SITE_URL := $(SITE_URL)
run:
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed --if-empty --preset yinchuan --scale demo --seed 1 --demo-password $(DEMO_PASSWORD)
	$(PY) manage.py demo_logins --demo-password $(DEMO_PASSWORD)
	@# The worker beside the server: texts (codes included, shown in this console), periodic jobs.
	$(PY) manage.py run_huey --quiet --workers 2 & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
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

check: lint typecheck lock-check
	$(BIN)/lint-imports
	$(PY) manage.py policy_check
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKEMESSAGES) >/dev/null
	git diff --exit-code -I 'POT-Creation-Date' -- locale || { echo "locale/ is not up to date: run make messages and translate"; exit 1; }

# Every pinned package has a wheel for each Python the project admits (requires-python).
lock-check: install
	@for v in 3.11 3.12 3.13; do \
		out=$$($(BIN)/pip install --quiet --dry-run --ignore-installed --python-version $$v --only-binary=:all: \
			--target $(VENV)/lock-check -r requirements.lock 2>&1) \
		|| { echo "$$out" | grep -v '^WARNING: Location'; echo "requirements.lock does not resolve for Python $$v"; exit 1; }; \
		echo "requirements.lock resolves for Python $$v"; done

messages: install
	$(MAKEMESSAGES)
	$(PY) manage.py compilemessages --ignore '.venv/*' 

bench: install
	$(PY) bench/seed_city.py

# The city plus two million cases (loaded once, kept): filing through the API, the ledger's latency.
bench-cases: install
	$(PY) bench/cases_city.py

# Fuzz the API of a served demo with an officer's and an owner's token (ops/fuzz): FUZZ_SECONDS per role.
FUZZ_SECONDS ?= 600
FUZZ_REPORT ?= bench/reports/fuzz.md
fuzz: install
	ops/fuzz $(FUZZ_SECONDS) $(FUZZ_REPORT)

# Back up a demo database with pg_dump, restore it into a fresh one, compare (docs/operations.md).
restore-drill: install
	ops/restore-drill

clean:
	rm -rf $(VENV) var
