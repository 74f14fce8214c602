#!/usr/bin/env bash
# Optional extras area (tests/test_extras.py): cfn-lint, check-jsonschema, yamllint, zizmor and cruft come
# with the test extras of pyproject.toml into the venv `make test` runs; check that each one starts.
set -euo pipefail
cd "$(dirname "$0")/../.."

make --no-print-directory install
for tool in cfn-lint check-jsonschema yamllint zizmor; do
  .venv/bin/"$tool" --version
done
.venv/bin/cruft --help >/dev/null
