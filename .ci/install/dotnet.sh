#!/usr/bin/env bash
# .NET area (tests/test_dotnet.py). No .NET SDK and no Amazon.Lambda NuGet packages are reachable here, so the
# generated .NET projects are checked statically: tree-sitter with its C# grammar (in the test extras of
# pyproject.toml) parses every .cs file. Check here that the grammar loads in the venv `make test` uses.
set -euo pipefail
cd "$(dirname "$0")/../.."

make --no-print-directory install
.venv/bin/python -c 'import tree_sitter as ts, tree_sitter_c_sharp as cs; ts.Parser(ts.Language(cs.language())); print("tree-sitter C# grammar ready")'
