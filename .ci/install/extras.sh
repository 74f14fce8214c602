#!/usr/bin/env bash
# Optional extras area (tests/test_extras.py): the linters for the SAM template and the GitHub files, and cruft.
# All from PyPI, into the venv that `make test` runs (created by the repository Makefile's `install` target).
# Exact versions: a new linter release may add rules, which should arrive as a reviewed change, not a red CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

make --no-print-directory install
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  cfn-lint==1.51.0 check-jsonschema==0.39.0 yamllint==1.38.0 zizmor==1.32.0 cruft==2.16.0
for tool in cfn-lint check-jsonschema yamllint zizmor cruft; do
  .venv/bin/"$tool" --version
done
