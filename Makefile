# Two commands on a fresh Linux machine with Python 3.10 or newer:
#   make run   - install everything and analyse the bundled sample call (embedded model, no network)
#   make test  - install what the tests need and run them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/copilot demo

test: $(VENV)/.installed
	$(BIN)/ruff check copilot tests
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/copilot bench detect
	$(BIN)/copilot bench analyze assets/samples/discovery_call.opus tests/data/calls/*.opus

clean:
	rm -rf $(VENV)
