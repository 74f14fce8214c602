#!/usr/bin/env bash
# Workflow linting (tests/test_template_workflows.py): actionlint checks the template repository's own
# GitHub Actions. It is no PyPI package that installs offline, so it is built from the Go module proxy
# into a fixed place. Idempotent: nothing happens when that version is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

version="${ACTIONLINT_VERSION:-v1.7.12}"
bin_dir="${ACTIONLINT_BIN_DIR:-/usr/local/bin}"

if "$bin_dir/actionlint" --version 2>/dev/null | head -n 1 | grep -qx "$version"; then
  echo "actionlint.sh: actionlint $version already in $bin_dir"
  exit 0
fi
# Building it needs Go; go.sh (run later by .ci/run too, idempotent) installs it when missing.
command -v go >/dev/null 2>&1 || bash .ci/install/go.sh
go_bin="$(command -v go || echo /usr/local/bin/go)"
GOBIN="$bin_dir" "$go_bin" install "github.com/rhysd/actionlint/cmd/actionlint@$version"
"$bin_dir/actionlint" --version | head -n 1
