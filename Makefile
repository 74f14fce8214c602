# lambda-container: `make demo` proves the default project works; `make test` runs this repository's tests.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PROJECT := demo/hello-lambda
# Tools the test extras install (hadolint, shellcheck, the AWS CLI, moto...) live in .venv/bin: found first.
export PATH := $(abspath $(BIN)):$(PATH)
PYTEST_WORKERS ?= 2
# The demo proves the project without a container engine on Linux (the RIE as a local process);
# macOS and Windows have no native mode, so there it needs docker, podman or finch.
DEMO_EMULATOR_MODE ?= $(if $(filter Linux,$(shell uname -s)),native,container)

.PHONY: help install demo test test-fast lint bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed ## Create .venv with lambda-container and its test tools

demo: $(BIN)/.installed ## Generate the default project into demo/ and prove it: unit tests + emulator test
	rm -rf demo
	$(BIN)/lambda-container new demo --no-input
	@if [ "$(DEMO_EMULATOR_MODE)" = native ] && ! command -v aws-lambda-rie >/dev/null && [ -z "$$RIE_BIN" ] \
		&& [ ! -x "$$HOME/.aws-lambda-rie/aws-lambda-rie" ]; then $(MAKE) -C $(DEMO_PROJECT) rie; fi
	$(MAKE) -C $(DEMO_PROJECT) test
	EMULATOR_MODE=$(DEMO_EMULATOR_MODE) $(MAKE) -C $(DEMO_PROJECT) emulator-test

test: $(BIN)/.installed ## Run every test tier (toolchain tests skip where a toolchain is missing)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

test-fast: $(BIN)/.installed ## Only the fast tier: bake, lint, hooks, wizard
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not slow"

lint: $(BIN)/.installed ## Lint, format-check and type-check this repository's Python (ruff, mypy)
	ruff check .
	ruff format --check .
	mypy

bench: $(BIN)/.installed ## Measure generation, inner loops (native, make dev, container) and cold starts into docs/benchmarks.md
	$(BIN)/python -m bench.run $(if $(RUNS),--runs $(RUNS)) $(if $(LANGUAGES),--languages $(LANGUAGES))

clean: ## Remove the venv, caches and the demo
	rm -rf $(VENV) .cache demo
