"""Shared fixtures: the catalogue, baking projects, toolchain requirements and the real RIE."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from helpers import REQUIRE_TOOLCHAINS, require, require_tool, usable, variant_id  # noqa: F401 (used by test modules)
from lambda_container.template import variants as all_variants  # noqa: F401 (used by test modules)

# `make test` runs pytest under make: the generated projects' make must run as a user's would, not as its
# sub-make (which prints "Entering directory" lines and shares the outer make's flags and job server).
for variable in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
    os.environ.pop(variable, None)

REPO = Path(__file__).resolve().parent.parent
CONFIG = json.loads((REPO / "cookiecutter.json").read_text())
CATALOGUE = CONFIG["_runtimes"]  # runtime id -> the runtime's own facts (language, version, images...)
LANGUAGES = CONFIG["_languages"]  # language -> what its runtimes share (handler, runtime interface client...)
OFFERED = CONFIG["runtime"]
CACHE = REPO / ".cache"
TEMPLATE_LAYERS = REPO / "{{cookiecutter.project_slug}}" / "_layers"


def language_of(runtime):
    """The facts the runtime shares with every runtime of its language."""
    return LANGUAGES[CATALOGUE[runtime]["language"]]


def runtimes_of(language):
    return [rid for rid in OFFERED if CATALOGUE[rid]["language"] == language]


def bake(output_dir, **answers):
    """Generate a project with the given answers (defaults for the rest) and return its path."""
    extra = {key: str(value) for key, value in answers.items()}
    return Path(cookiecutter(str(REPO), no_input=True, extra_context=extra, output_dir=str(output_dir)))


def run(command, cwd, env=None, timeout=1200):
    """Run a command, returning the completed process; its output is shown when a test fails."""
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout
    )
    print(f"$ {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result


def emulator_summary(result):
    """The harness's closing 'N passed, N failed' line as a pair of numbers."""
    last = [line for line in result.stdout.splitlines() if line.endswith(" failed")][-1]
    passed, failed = (int(part.split()[0]) for part in last.split(", "))
    return passed, failed


def event_count(project):
    return len([p for p in (project / "events").glob("*.json") if not p.name.endswith(".expected.json")])


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


def recipe_digest(*recipe):
    """A digest of what a cached build is made from: texts (pinned versions) and files or whole directories."""
    digest = hashlib.sha256()
    for part in recipe:
        is_directory = isinstance(part, Path) and part.is_dir()
        paths = sorted(p for p in part.rglob("*") if p.is_file()) if is_directory else [part]
        for item in paths:
            digest.update(str(item).encode() + b"\0")
            digest.update(item.read_bytes() if isinstance(item, Path) else b"")
    return digest.hexdigest()[:12]


def cached_build(name, build, *recipe):
    """Run an expensive build once per machine for one recipe, shared by pytest-xdist workers.

    The cache is keyed on a digest of the recipe (see recipe_digest), so a changed template file or pinned
    version builds afresh instead of testing what an older recipe built. `build(target_dir)` fills
    target_dir; a marker file records success, a file lock serialises workers.
    """
    import fcntl

    name = f"{name}-{recipe_digest(*recipe)}"
    target = CACHE / name
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".complete").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            build(target)
            (target / ".complete").touch()
    return target


def edited_copy(project, destination, relative, old, new):
    """A copy of a generated project with one edit, for tests that prove a check can fail.

    The edit must apply: a template change that makes it a no-op fails here instead of passing silently.
    """
    shutil.copytree(project, destination, symlinks=True)
    path = destination / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return destination
