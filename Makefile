# Lindung: one entry point for people and CI.
#   make run    set up everything and serve at http://127.0.0.1:8000 with the worker
#   make test   lint, then the whole suite on SQLite and on PostgreSQL, plus the browser tests
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/lock.txt | sha1sum | cut -c1-12)
LINDUNG := $(BIN)/lindung
PYTEST_ARGS ?=

.PHONY: run test test-lanes test-lane-sqlite-browser test-lane-postgres test-sqlite test-postgres test-browser lint fmt bench bench-intake bench-verify bench-deps bench-register bench-allocate bench-billing bench-participants bench-reconcile bench-monitoring venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/lock.txt
	@scripts/ensure-pango.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

run: venv
	$(LINDUNG) migrate --no-input
	$(LINDUNG) load-regions
	$(LINDUNG) demo
	$(LINDUNG) serve --bind 127.0.0.1:8000

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	LINDUNG_ENV=test LINDUNG_VAR_DIR=$$(mktemp -d) $(LINDUNG) makemigrations --check --dry-run
	LINDUNG_ENV=test LINDUNG_VAR_DIR=$$(mktemp -d) $(LINDUNG) check --fail-level WARNING

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

REPORTS := var/test-reports

# The legs run side by side on two lanes (SQLite then the browser; PostgreSQL), each lane's
# output printed whole when it ends; every leg runs even when another fails, and the summary
# adds up their reports. The tools the legs need are installed first, one at a time.
test: lint
	@rm -rf $(REPORTS) && mkdir -p $(REPORTS)
	@scripts/ensure-chromium.sh && scripts/with-postgres.sh --install-only
	@status=0; $(MAKE) --no-print-directory -j2 --output-sync=target test-lanes || status=$$?; \
	$(BIN)/python scripts/test-summary.py $(REPORTS)/sqlite.xml $(REPORTS)/postgresql.xml \
		$(REPORTS)/browser.xml || status=1; exit $$status

test-lanes: test-lane-sqlite-browser test-lane-postgres

test-lane-sqlite-browser:
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite PYTEST_ARGS="$(PYTEST_ARGS) --junitxml=$(REPORTS)/sqlite.xml" || status=1; \
	$(MAKE) --no-print-directory test-browser PYTEST_ARGS="$(PYTEST_ARGS) --junitxml=$(REPORTS)/browser.xml" || status=1; \
	exit $$status

test-lane-postgres:
	$(MAKE) --no-print-directory test-postgres PYTEST_ARGS="$(PYTEST_ARGS) --junitxml=$(REPORTS)/postgresql.xml"

test-sqlite: venv
	LINDUNG_ENV=test LINDUNG_VAR_DIR=$$(mktemp -d) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# The same tests on a real PostgreSQL server, installed and started when missing.
test-postgres: venv
	LINDUNG_ENV=test LINDUNG_VAR_DIR=$$(mktemp -d) scripts/with-postgres.sh \
		$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# Real browser (Debian's Chromium, driven by Playwright) against a served demo Pemda.
test-browser: venv
	scripts/ensure-chromium.sh
	LINDUNG_ENV=test LINDUNG_VAR_DIR=$$(mktemp -d) $(BIN)/pytest -m browser $(PYTEST_ARGS)

# Timed bulk paths against the bars of DESIGN §7 (figures in docs/benchmarks.md); fails when a
# bar is missed. With DATABASE_URL set, PostgreSQL is measured as well. BENCH_ARGS: --runs N,
# --profile (cProfile of the in-process breakdown), --rows N.
# `bench` runs the intake, register and verification benchmarks (all three, even when one
# misses a bar) and fails when any does. Intake measures two lists: workers of the regency and
# workers living all over East Java (--addresses regency|province|both).
BENCH_ARGS ?=
bench: venv bench-deps
	@status=0; \
	$(BIN)/python scripts/bench_intake.py $(BENCH_ARGS) || status=1; \
	$(BIN)/python scripts/bench_register.py $(REGISTER_ARGS) || status=1; \
	$(BIN)/python scripts/bench_verify.py $(VERIFY_ARGS) || status=1; \
	$(BIN)/python scripts/bench_allocate.py $(ALLOCATE_ARGS) || status=1; \
	$(BIN)/python scripts/bench_billing.py $(BILLING_ARGS) || status=1; \
	$(BIN)/python scripts/bench_participants.py $(PARTICIPANTS_ARGS) || status=1; \
	$(BIN)/python scripts/bench_reconcile.py $(RECONCILE_ARGS) || status=1; \
	$(BIN)/python scripts/bench_monitoring.py $(MONITORING_ARGS) || status=1; \
	exit $$status

# Verification of 100.000 rows against 1.000.000 register rows and 200.000 enrolments (bars
# 10 s and a fifth of Splink's time), and matching quality against Splink on a synthetic set
# with known truth. VERIFY_ARGS: --runs N (default 5), --splink-runs N (Splink after each of
# our runs, or after the first N), --dataset a|b|both, --register N --rows N --enrolments N
# (smaller sizes), --no-splink, --seed N.
VERIFY_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-$(shell cat requirements/bench-lock.txt | sha1sum | cut -c1-12)
bench-deps: $(BENCH_STAMP)
$(BENCH_STAMP): requirements/bench-lock.txt | venv
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/bench-lock.txt
	@rm -f $(VENV)/.bench-* && touch $@
bench-verify: venv bench-deps
	$(BIN)/python scripts/bench_verify.py $(VERIFY_ARGS)
bench-intake: venv
	$(BIN)/python scripts/bench_intake.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Welfare-register snapshot of 1.000.000 rows with addresses all over East Java: bar 20 s.
# REGISTER_ARGS: --runs N, --rows N, --history N, --addresses regency|province, --bar S.
REGISTER_ARGS ?=
bench-register: venv
	$(BIN)/python scripts/bench_register.py $(REGISTER_ARGS)

# Allocation of 100.000 eligible candidates within quota and money, proposal recorded: bar
# 10 s. ALLOCATE_ARGS: --runs N, --candidates N, --seed N.
ALLOCATE_ARGS ?=
bench-allocate: venv
	$(BIN)/python scripts/bench_allocate.py $(ALLOCATE_ARGS)

# One month's bills for 500.000 active participants, lines written: bar 10 s.
# BILLING_ARGS: --runs N, --participants N, --seed N.
BILLING_ARGS ?=
bench-billing: venv
	$(BIN)/python scripts/bench_billing.py $(BILLING_ARGS)

# The participants register with 500.000 participants (bar: p95 200 ms for every search and
# filter) and 500 cards as one PDF (bar: 20 s). PARTICIPANTS_ARGS: --participants N,
# --runs N, --keep DIR (build once into DIR and reuse it).
PARTICIPANTS_ARGS ?=
bench-participants: venv
	$(BIN)/python scripts/bench_participants.py $(PARTICIPANTS_ARGS)

# Reconciliation of a 500.000-line BPJS bill with our 500.000 bill lines of the month, planted
# differences counted: bar 20 s. RECONCILE_ARGS: --runs N, --lines N.
RECONCILE_ARGS ?=
bench-reconcile: venv
	$(BIN)/python scripts/bench_reconcile.py $(RECONCILE_ARGS)

# The monitoring dashboard with 500.000 participants (bar 500 ms) and coverage as of a past
# date (bar 2 s). MONITORING_ARGS: --participants N, --runs N, --seed N.
MONITORING_ARGS ?=
bench-monitoring: venv
	$(BIN)/python scripts/bench_monitoring.py $(MONITORING_ARGS)
