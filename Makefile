# asof — the two commands of the quick start are `make demo` and `make test`.
# Each installs what it needs into .venv (created if missing, refreshed when pyproject changes).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: help install demo ui-demo browser test test-fast lint neo4j-up neo4j-down bench soak clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --find-links "$$(scripts/llama-wheel $(PY))" -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install asof with its dev extras

demo: $(STAMP)  ## the main job on the embedded SQLite store
	$(VENV)/bin/asof demo

ui-demo: $(STAMP)  ## the demo store in the web UI: prints the URL and a key, serves until Ctrl-C
	$(VENV)/bin/asof demo --serve

# The browser tests drive Debian's chromium through Playwright (no browser download: the
# tests point Playwright at /usr/bin/chromium). Without it they fail, never skip.
browser:  ## install Debian's chromium for the browser tests (apt) if it is missing
	@command -v chromium >/dev/null 2>&1 || { \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq chromium; }

test: $(STAMP) browser  ## the whole suite, against a real local Neo4j (started and stopped here)
	ASOF_PYTHON=$(abspath $(PY)) ASOF_REQUIRE_NEO4J=$${ASOF_REQUIRE_NEO4J:-1} scripts/run-tests

test-fast: $(STAMP) browser  ## everything that needs no Neo4j server
	$(PY) -m pytest -m "not neo4j" -q

lint: $(STAMP)  ## ruff and mypy --strict
	$(VENV)/bin/ruff check .
	scripts/typecheck

neo4j-up: $(STAMP)  ## start a local Neo4j 5.26 Community (no Docker needed); prints its bolt:// URI
	@ASOF_PYTHON=$(abspath $(PY)) scripts/neo4j-local up

neo4j-down:  ## stop the local Neo4j
	@scripts/neo4j-local down

clean:  ## remove the virtualenv and the local Neo4j (its data too)
	-scripts/neo4j-local down
	rm -rf $(VENV) .neo4j

soak: $(STAMP)  ## deep reliability run: tests/reliability with ASOF_SOAK=1 (~15 min)
	ASOF_PYTHON=$(abspath $(PY)) scripts/soak
