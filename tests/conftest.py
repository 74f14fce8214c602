"""Fixtures only (the real RIE, the native emulator test); shared helpers and constants live in helpers.py."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import CACHE, REPO, emulator_summary, require, run

# `make test` runs pytest under make: the generated projects' make must run as a user's would, not as its
# sub-make (which prints "Entering directory" lines and shares the outer make's flags and job server).
for variable in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
    os.environ.pop(variable, None)


@pytest.fixture(scope="session")
def rie_bin():
    """The real RIE binary: RIE_BIN, PATH, ~/.aws-lambda-rie, else fetched once by the template's script."""
    for candidate in (
        os.environ.get("RIE_BIN"),
        shutil.which("aws-lambda-rie"),
        Path.home() / ".aws-lambda-rie" / "aws-lambda-rie",
        CACHE / "rie" / "aws-lambda-rie",
    ):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    script = REPO / "{{cookiecutter.project_slug}}" / "scripts" / "fetch-rie.sh"
    fetched = subprocess.run(
        ["bash", str(script)], env={**os.environ, "RIE_DIR": str(CACHE / "rie")}, capture_output=True, text=True
    )
    require(fetched.returncode == 0, f"the RIE could not be fetched: {fetched.stderr.strip()}")
    return str(CACHE / "rie" / "aws-lambda-rie")


@pytest.fixture
def native_emulator_test(rie_bin):
    """Run `make emulator-test` in native mode and return (result, passed, failed)."""

    def emulate(project, env=None):
        result = run(
            ["make", "emulator-test"], project, env={"EMULATOR_MODE": "native", "RIE_BIN": rie_bin, **(env or {})}
        )
        passed, failed = emulator_summary(result)
        return result, passed, failed

    return emulate
