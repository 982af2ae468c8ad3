# UNSCAR Grants. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test fuzz deploy-test bench clean messages catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

# The catalogues of the six UN languages (translations/, unscar/i18n.py). `make messages`
# extracts every wrapped string (templates/_macros too: --ignore-dirs) into messages.pot and merges it into each language's .po;
# `make catalogues` compiles the .po files the application reads (the .mo are not kept).
LANGUAGE_CODES := fr es ar zh ru
CATALOGUES := $(foreach lang,$(LANGUAGE_CODES),translations/$(lang)/LC_MESSAGES/messages.mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.runtime
	$(BIN)/pybabel compile -d translations -l $*

catalogues: $(CATALOGUES)

messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k NC_:1c,2 -k ngettext:1,2 -k lazy_ngettext:1,2 \
		--ignore-dirs='.* __pycache__' --no-location --sort-output --omit-header -o translations/messages.pot .
	for lang in $(LANGUAGE_CODES); do \
		if [ -f translations/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -l $$lang; \
		else \
			$(BIN)/pybabel init -i translations/messages.pot -d translations -l $$lang; \
		fi; \
	done

run: $(VENV)/.runtime instance/secret_key catalogues
	$(FLASK) db upgrade
	$(FLASK) unscar demo --if-empty
	@echo "Serving on http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Two workers: each test has its own SQLite file; on PostgreSQL each worker has its own
# database (<name>_gw0, <name>_gw1; tests/conftest.py).
PYTEST_WORKERS ?= 2

test: $(VENV)/.dev catalogues
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

# Not part of `test` (minutes): two gunicorn servers, the mail worker, a private PostgreSQL
# cluster and Redis, under load and faults (tests/deploy/). CI runs it after the suites.
deploy-test: $(VENV)/.dev catalogues
	$(BIN)/python -m pytest -m deploy tests/deploy -p no:cacheprovider

clean:
	rm -rf $(VENV) .pytest_cache

# The API fuzz and the life-cycle state machines again, deeper than in `test` (CI runs it
# after `make test`): FUZZ_DEPTH multiplies their examples and steps.
FUZZ_DEPTH ?= 3
SCHEMATHESIS_EXAMPLES ?= 8
FUZZ_TESTS := tests/api/test_fuzz.py tests/api/test_fuzz_stateful.py tests/calls/test_call_machine.py \
	tests/proposals/test_proposal_machine.py tests/grants/test_grant_machine.py tests/funds/test_ledger_property.py

fuzz: $(VENV)/.dev catalogues
	FUZZ_DEPTH=$(FUZZ_DEPTH) SCHEMATHESIS_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(FUZZ_TESTS)

# Not part of `test`: seeds and measures at scale, writes bench/RESULTS.md (BENCH_SCALE=0.05 for a quick run).
bench: $(VENV)/.dev catalogues
	$(BIN)/python bench/run.py
