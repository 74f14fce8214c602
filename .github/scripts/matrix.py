#!/usr/bin/env python3
"""The variants job matrix: one entry per variant the template offers, with what its job needs.

The variants come from lambda_container.template.variants() (cookiecutter.json's offered runtimes x base
images x architectures x flavours such as node_language), so a runtime added to the catalogue gets its jobs
without any edit here or in the workflow. Prints `include=<JSON>` for $GITHUB_OUTPUT.
"""

import json

from lambda_container.template import catalogue, variants

# A native runner per architecture: images build and run without emulation.
RUNNER = {"x86_64": "ubuntu-24.04", "arm64": "ubuntu-24.04-arm"}


def include():
    entries = []
    for answers in variants():
        entry = catalogue()[answers["runtime"]]
        entries.append(
            {
                "name": " ".join(answers.values()),
                # KEY=VALUE pairs for `lambda-container new --set`; no value holds a space.
                "answers": " ".join(f"{key}={value}" for key, value in answers.items()),
                "language": entry["language"],
                "version": entry["version"],
                "runner": RUNNER[answers["architecture"]],
            }
        )
    return entries


if __name__ == "__main__":
    print(f"include={json.dumps(include(), separators=(',', ':'))}")
