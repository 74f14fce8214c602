# Go recipes, included by the Makefile.
GO ?= go
# The image's architecture; `make cross-build ARCH=arm64` builds the other one.
ARCH ?= {{ 'arm64' if cookiecutter.architecture == 'arm64' else 'amd64' }}
# The Dockerfile's flags: static (no libc needed), without the go1.x net/rpc shim, stripped.
GO_BUILD := CGO_ENABLED=0 GOOS=linux $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w'

.PHONY: deps unit-test native-build cross-build
deps: ## Download the modules go.sum pins (everything after this works offline)
	$(GO) mod download
	$(GO) mod verify

unit-test: deps
	$(GO) vet ./...
	$(GO) test ./...

native-build: deps ## Build ./bootstrap for this machine (native emulator mode runs it under the RIE)
	$(GO_BUILD) -o bootstrap .

cross-build: deps ## Build dist/linux-$(ARCH)/bootstrap, the binary the image holds, without Docker
	GOARCH=$(ARCH) $(GO_BUILD) -o dist/linux-$(ARCH)/bootstrap .
