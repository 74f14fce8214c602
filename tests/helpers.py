"""Shared test helpers: whether a tool is usable here, and what a test does when it is not.

A tool counts as usable only when it runs: a name on PATH can be a version manager's shim that runs
nothing, or a tool too broken to answer its own version query. Every toolchain test asks here.
"""

import functools
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from lambda_container.template import variants as all_variants  # noqa: F401 (the variants' one definition)

REQUIRE_TOOLCHAINS = os.environ.get("REQUIRE_TOOLCHAINS") == "1"

# How each tool is asked for its version: (arguments, standard input). Default: --version.
VERSION_QUERY: dict[str, tuple[list[str], str | None]] = {
    "go": (["version"], None),
    "gofmt": ([], "package probe\n"),  # gofmt has no version flag: format a one-line file from stdin
    "java": (["-version"], None),
    "chroot": (["--version"], None),
}


def variant_id(answers):
    """A test id for a set of answers: their values joined, e.g. python3.14-aws-x86_64."""
    return "-".join(answers.values())


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(available, reason):
    """Skip a test whose toolchain is missing, saying why; under REQUIRE_TOOLCHAINS=1 (CI) fail it instead."""
    if not available:
        if REQUIRE_TOOLCHAINS:
            pytest.fail(f"REQUIRE_TOOLCHAINS=1 but {reason}")
        # Reported at the test's own location, so the skip summary says which tests a missing tool costs.
        raise pytest.skip.Exception(reason, _use_item_location=True)


@functools.cache
def tool_problem(name, path=None):
    """None when `name` (looked up on PATH, or on the given search path) runs its version query, else why not."""
    found = shutil.which(name, path=path)
    if not found:
        return f"{name} is not installed (not on PATH)"
    arguments, stdin = VERSION_QUERY.get(os.path.basename(name), (["--version"], None))
    try:
        answer = subprocess.run([found, *arguments], input=stdin, capture_output=True, text=True, timeout=120)
    except OSError as error:
        return f"{name} at {found} does not run ({error.strerror})"
    except subprocess.TimeoutExpired:
        return f"{name} at {found} did not answer its version query within 120 s"
    if answer.returncode != 0:
        said = (answer.stderr or answer.stdout).strip().splitlines()
        return f"{name} at {found} does not run: {said[0] if said else f'exit status {answer.returncode}'}"
    return None


def usable(name, path=None):
    """The path of `name` when it runs, else None."""
    return None if tool_problem(name, path) else shutil.which(name, path=path)


def require_tool(name, path=None):
    """The path of a tool that runs; skips (or fails in CI) naming the tool and what is wrong otherwise."""
    problem = tool_problem(name, path)
    require(problem is None, problem)
    return shutil.which(name, path=path)


@functools.cache
def arm64_problem():
    """None when arm64 Linux programs run here (natively or through qemu-user and binfmt_misc), else why not.

    The probe is a real arm64 program: the smallest static ELF holding mov x0, #42; mov x8, #93 (exit); svc #0.
    """
    import struct
    import tempfile

    code = struct.pack("<3I", 0xD2800540, 0xD2800BA8, 0xD4000001)
    base, start = 0x400000, 64 + 56
    elf = (
        b"\x7fELF"
        + bytes([2, 1, 1, 0])
        + bytes(8)
        + struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, base + start, 64, 0, 0, 64, 56, 1, 0, 0, 0)
        + struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, start + len(code), start + len(code), 0x1000)
        + code
    )
    fix = "install qemu-user-static and binfmt-support and enable qemu-aarch64 (.ci/install/arm64.sh does it)"
    with tempfile.TemporaryDirectory() as work:
        probe = os.path.join(work, "arm64-probe")
        with open(probe, "wb") as out:
            out.write(elf)
        os.chmod(probe, 0o755)
        try:
            status = subprocess.run([probe], timeout=60).returncode
        except OSError as error:
            return f"arm64 programs do not run here ({error.strerror}): {fix}"
    return None if status == 42 else f"an arm64 program exited with status {status} instead of 42: {fix}"


def require_arm64():
    """Skip (or fail in CI) a test that runs arm64 code where arm64 programs do not run."""
    problem = arm64_problem()
    require(problem is None, problem)


# Linters see only file contents (plus the context given), so a file rendered identically by many variants is
# linted once per test process: the matrix can grow without multiplying lint time.
_LINTED_CLEAN: set[tuple[str, str]] = set()


def lint_once(command, paths, context=""):
    """Run `command` on the files among `paths` it has not yet passed in this process; returns the process."""
    import hashlib

    tool = f"{' '.join(map(str, command))}\0{context}"
    digests = {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in map(str, paths)}
    fresh = [path for path, digest in digests.items() if (tool, digest) not in _LINTED_CLEAN]
    if not fresh:
        return subprocess.CompletedProcess(command, 0, "", "")
    result = subprocess.run([*map(str, command), *fresh], capture_output=True, text=True)
    if result.returncode == 0:
        _LINTED_CLEAN.update((tool, digests[path]) for path in fresh)
    return result


# The generated Dockerfiles, read as Docker reads them: instructions with continuation lines joined and
# comments dropped, grouped into stages. Tests ask this model instead of slicing the text their own way.
@dataclass(frozen=True)
class Stage:
    instructions: tuple[tuple[str, str], ...]  # (KEYWORD, arguments), its FROM first

    @property
    def header(self) -> str:
        """The FROM instruction's arguments, e.g. `--platform=$BUILDPLATFORM public.ecr.aws/... AS build`."""
        return self.instructions[0][1]

    @property
    def image(self) -> str:
        """What the stage starts from: an image reference, an earlier stage's name or `scratch`."""
        return [word for word in self.header.split() if not word.startswith("--")][0]

    @property
    def platform(self) -> str | None:
        """The FROM instruction's --platform value, if it has one (e.g. `$BUILDPLATFORM`)."""
        flags = [word.partition("=")[2] for word in self.header.split() if word.startswith("--platform=")]
        return flags[0] if flags else None

    @property
    def name(self) -> str | None:
        words = self.header.split()
        return words[-1] if len(words) >= 2 and words[-2].upper() == "AS" else None

    @property
    def lines(self) -> list[str]:
        return [f"{keyword} {arguments}" for keyword, arguments in self.instructions]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def arguments(self, keyword: str) -> list[str]:
        return [arguments for found, arguments in self.instructions if found == keyword]


class Dockerfile:
    def __init__(self, text: str):
        kept = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        joined = re.sub(r"\\\n\s*", " ", "\n".join(kept))
        self.instructions = [
            (keyword.upper(), arguments.strip())
            for keyword, _, arguments in (line.strip().partition(" ") for line in joined.splitlines() if line.strip())
        ]

    @classmethod
    def of(cls, project: Path) -> "Dockerfile":
        return cls((project / "Dockerfile").read_text(encoding="utf-8"))

    @property
    def lines(self) -> list[str]:
        return [f"{keyword} {arguments}" for keyword, arguments in self.instructions]

    @property
    def stages(self) -> list[Stage]:
        starts = [i for i, (keyword, _) in enumerate(self.instructions) if keyword == "FROM"]
        ends = [*starts[1:], len(self.instructions)]
        return [Stage(tuple(self.instructions[start:end])) for start, end in zip(starts, ends, strict=True)]

    @property
    def final_stage(self) -> Stage:
        return self.stages[-1]

    def stage(self, name: str) -> Stage:
        found = [stage for stage in self.stages if stage.name == name]
        assert found, f"the Dockerfile has no stage named {name}"
        return found[0]


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


def recording_cli(bin_dir, name="docker"):
    """A stand-in command `name` in bin_dir that records each call's arguments (one line per call) and succeeds;
    returns (PATH with bin_dir first, the file the calls are recorded in)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    record = bin_dir.parent / f"{name}-calls"
    (bin_dir / name).write_text(f'#!/bin/sh\necho "$*" >> "{record}"\n')
    (bin_dir / name).chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}", record
