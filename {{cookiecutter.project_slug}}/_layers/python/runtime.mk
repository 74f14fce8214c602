# Python recipes, included by the Makefile.
PYTHON_SERIES := {{ cookiecutter._runtimes[cookiecutter.runtime].version }}
# Tests and native mode work on any Python from PYTHON_OLDEST on (the generated code, pytest and
# awslambdaric support it); only PYTHON_SERIES is what Lambda runs, so another passes with a note.
PYTHON_OLDEST := 3.10
# The runtime's own Python when it runs here (a version manager's shim may not), else python3.
PYTHON ?= $(shell python$(PYTHON_SERIES) --version >/dev/null 2>&1 && echo python$(PYTHON_SERIES) || echo python3)
VENV := .venv
# Tests run on the venv's Python once it exists, else on the one that makes it.
TEST_PYTHON = $(if $(wildcard $(VENV)/bin/python),$(VENV)/bin/python,$(PYTHON))

toolchain:
	@$(CHECK) --tool Python --min $(PYTHON_OLDEST) --prefer $(PYTHON_SERIES) \
		--fix 'install Python $(PYTHON_SERIES) (e.g. uv python install $(PYTHON_SERIES)) or set PYTHON to one, $(OR_CONTAINER_MODE)' \
		-- $(TEST_PYTHON) --version

native-toolchain: toolchain

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-ric.txt | toolchain
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

.PHONY: deps unit-test native-build
deps: $(VENV)/.installed ## Create .venv with the function's and the tests' dependencies

unit-test: deps
	$(VENV)/bin/python -m pytest -q

native-build: deps ## Prepare native emulator mode (the code runs from src/ in .venv)
