"""Bare-runtime baseline: import the handler and call it once, with no emulator and no runtime client."""

import importlib
import sys
import types

code_dir, handler = sys.argv[1:3]
sys.path.insert(0, code_dir)
module, function = handler.rsplit(".", 1)
context = types.SimpleNamespace(aws_request_id="baseline", function_name="baseline")
print(getattr(importlib.import_module(module), function)({"name": "Ada"}, context))
