# Two commands on a fresh machine with Python 3.11+:
#   make run    set up, build the bundled example corpus, serve it on http://127.0.0.1:8000
#   make test   set up (incl. Debian's chromium for the browser tests) and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= kg-store
PORT ?= 8000

.PHONY: run test setup setup-test browser bench eval clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	rm -rf build  # setuptools would copy a stale build/lib (a since-removed module) into the wheel
	$(BIN)/pip install -q .
	@touch $(BIN)/kg

setup: $(BIN)/kg

run: setup
	$(BIN)/kg build examples/hf-daily-papers --store $(STORE)
	$(BIN)/kg serve --store $(STORE) --port $(PORT)

setup-test:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "install Debian's chromium (sudo apt-get install chromium) for the browser tests" >&2; exit 1; fi; }

test: setup-test browser
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/kg eval --gold ../shared/gold/dev.gold.json

bench: setup-test
	$(BIN)/pip install -q '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(STORE) build dist *.egg-info
