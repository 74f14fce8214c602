# Python recipes, included by the Makefile.
PYTHON ?= python3
VENV := .venv

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

.PHONY: deps unit-test native-build
deps: $(VENV)/.installed ## Create .venv with the function's and the tests' dependencies

unit-test: deps
	$(VENV)/bin/python -m pytest -q

native-build: deps ## Prepare native emulator mode (the code runs from src/ in .venv)
