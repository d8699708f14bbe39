# Two commands on a fresh Linux machine with Python 3.10 or newer:
#   make run   - install everything and analyse the bundled sample call (embedded model, no network)
#   make test  - install what the tests need and run them (all of them: CI runs this)
#   make test-fast - the same without the end-to-end runs of the real speech model (on both cores)
#   make dist  - the frozen app: dist/live-call-copilot-<version>-linux-x86_64.tar.gz (packaging/README.md)
#   make dist-check - unpack that archive and check it as a rep gets it (self-test, analyze, window)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench dist dist-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/copilot demo

lint: $(VENV)/.installed
	$(BIN)/ruff check copilot tests tools packaging
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Compiled files are kept even where PYTHONDONTWRITEBYTECODE is set: without them each worker rewrites and compiles
# every test module's asserts again on every run (~3.5 s of its start).
test-fast: lint
	PYTHONDONTWRITEBYTECODE= QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not e2e" -n 2 --dist worksteal

bench: $(VENV)/.installed
	$(BIN)/copilot bench detect
	$(BIN)/copilot bench analyze assets/samples/discovery_call.opus tests/data/calls/*.opus

$(VENV)/.dist: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $@

dist: $(VENV)/.dist
	$(BIN)/python packaging/build.py

dist-check: dist
	$(BIN)/python packaging/check_build.py --screenshot dist/frozen-app.png

clean:
	rm -rf $(VENV) build dist
