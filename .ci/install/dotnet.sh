#!/usr/bin/env bash
# .NET area (tests/test_dotnet.py). No .NET SDK and no Amazon.Lambda NuGet packages are reachable here, so the
# generated .NET projects are checked statically: tree-sitter with its C# grammar (both from PyPI) parses every
# .cs file. They go into the venv that `make test` runs (created by the repository Makefile's `install` target).
set -euo pipefail
cd "$(dirname "$0")/../.."

make --no-print-directory install
.venv/bin/python -m pip install --quiet --disable-pip-version-check tree-sitter==0.26.1 tree-sitter-c-sharp==0.23.5
.venv/bin/python -c 'import tree_sitter as ts, tree_sitter_c_sharp as cs; ts.Parser(ts.Language(cs.language())); print("tree-sitter C# grammar ready")'
