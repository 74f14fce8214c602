"""Shared test helpers: whether a tool is usable here, and what a test does when it is not.

A tool counts as usable only when it runs: a name on PATH can be a version manager's shim that runs
nothing, or a tool too broken to answer its own version query. Every toolchain test asks here.
"""

import functools
import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

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
