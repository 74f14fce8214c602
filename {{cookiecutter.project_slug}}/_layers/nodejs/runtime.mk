# Node.js recipes, included by the Makefile.
NODE_MAJOR := {{ cookiecutter._runtimes[cookiecutter.runtime].version }}
# The client's version: the one runtime-interface-client/package.json pins (Dependabot updates it there).
RIC_PACKAGE := aws-lambda-ric@$(shell sed -n 's/.*"aws-lambda-ric": *"\([^"]*\)".*/\1/p' runtime-interface-client/package.json)
# Native emulator mode runs dist/ under aws-lambda-ric, whose install compiles curl, aws-lambda-cpp and a
# Node-API addon (about a minute; needs cmake, make, g++, python3). It is no project dependency, so
# `npm ci` stays fast: `make ric` builds it once per machine into this cache (AWS_LAMBDA_RIC_DIR overrides).
RIC_DIR ?= $(or $(AWS_LAMBDA_RIC_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/lambda-container/$(RIC_PACKAGE)-$(shell uname -m))
RIC := $(RIC_DIR)/node_modules/aws-lambda-ric

# The oldest Node.js the code and its test runner work on: package.json's engines.node.
NODE_OLDEST = $(shell sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' package.json)

.PHONY: deps unit-test native-build ric

toolchain:
	@$(CHECK) --tool Node.js --min '$(NODE_OLDEST)' \
		--fix 'install Node.js $(NODE_MAJOR) (e.g. nvm install $(NODE_MAJOR)), $(OR_CONTAINER_MODE)' \
		-- node --version

native-toolchain: toolchain

node_modules/.installed: package.json package-lock.json | toolchain
	@node -e 'if (process.versions.node.split(".")[0] !== "$(NODE_MAJOR)") console.warn("warning: the function runs on Node.js $(NODE_MAJOR), but node here is " + process.version)'
	npm ci --no-audit --no-fund
	touch $@

deps: node_modules/.installed ## Install the locked dependencies (npm ci)

unit-test: deps
	npm run --if-present typecheck
	npm test

native-build: deps ric ## Bundle the handler into dist/ and link aws-lambda-ric for native emulator mode
	npm run build
	ln -sfn "$(RIC)" node_modules/.aws-lambda-ric

ric: $(RIC)/rapid-client.node ## Build aws-lambda-ric once per machine into ~/.cache/lambda-container

$(RIC)/rapid-client.node:
	@echo "Building $(RIC_PACKAGE) into $(RIC_DIR) (once per machine, about a minute)"
	mkdir -p "$(RIC_DIR)"
	npm install --prefix "$(RIC_DIR)" --no-audit --no-fund --foreground-scripts "$(RIC_PACKAGE)"
	@test -f "$@" || { echo "$(RIC_PACKAGE) installed without its native addon: were its install scripts blocked?" >&2; exit 1; }
