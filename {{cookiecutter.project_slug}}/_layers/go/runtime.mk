# Go recipes, included by the Makefile.
GO ?= go
# The image's architecture; `make cross-build ARCH=arm64` builds the other one.
ARCH ?= {{ 'arm64' if cookiecutter.architecture == 'arm64' else 'amd64' }}
# The Dockerfile's settings: static (no cgo, so no libc needed), without the net/rpc shim only the
# retired go1.x runtime used, and without local paths. Vet and tests use them too: they check the code
# as it ships, and share its compiled packages in the build cache.
export CGO_ENABLED := 0
GO_FLAGS := -tags lambda.norpc -trimpath
# Linker flags only: -s -w strip the symbol table and debug information.
GO_BUILD := GOOS=linux $(GO) build $(GO_FLAGS) -ldflags='-s -w'

# The oldest Go that builds the module: go.mod's go line.
GO_VERSION = $(shell sed -n 's/^go \([0-9.]*\).*/\1/p' go.mod)

.PHONY: deps unit-test native-build cross-build debug-build

toolchain:
	@$(CHECK) --tool Go --min '$(GO_VERSION)' \
		--fix 'install Go $(GO_VERSION) or newer (https://go.dev/dl), $(OR_CONTAINER_MODE)' \
		-- $(GO) version

native-toolchain: toolchain

deps: toolchain ## Download the modules go.sum pins (everything after this works offline)
	$(GO) mod download
	$(GO) mod verify

unit-test: deps
	$(GO) vet $(GO_FLAGS) ./...
	$(GO) test $(GO_FLAGS) ./...

native-build: deps ## Build ./bootstrap for this machine (native emulator mode runs it under the RIE)
	$(GO_BUILD) -o bootstrap .

cross-build: deps ## Build dist/linux-$(ARCH)/bootstrap, the binary the image holds, without Docker
	GOARCH=$(ARCH) $(GO_BUILD) -o dist/linux-$(ARCH)/bootstrap .

# make debug: Delve, pinned, installed into bin/ through the module proxy, runs ./bootstrap built with its
# debug information and without optimisations or -trimpath (so the editor's paths are the binary's).
DLV_VERSION := v1.27.2
bin/dlv:
	GOBIN=$(CURDIR)/bin $(GO) install github.com/go-delve/delve/cmd/dlv@$(DLV_VERSION)

debug-build: deps bin/dlv ## Build ./bootstrap for Delve (make debug runs it under the RIE)
	GOOS=linux $(GO) build -tags lambda.norpc -gcflags='all=-N -l' -o bootstrap .
