"""`make rie` installs the pinned RIE of each architecture asked for, only when its SHA-256 is the one the project's
table lists; and container mode runs the image confined the way Lambda runs it."""

import hashlib
import json
import os
import platform
import stat
import sys
from pathlib import Path

import pytest

from helpers import bake, edited_copy, run

TABLE = "scripts/rie-sha256.txt"
HOST = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}[platform.machine().lower()]
OTHER = {"x86_64": "arm64", "arm64": "x86_64"}[HOST]
ELF_MACHINE = {"x86_64": 62, "arm64": 183}  # e_machine: EM_X86_64, EM_AARCH64


def table_entries(project):
    """{(source, arch): sha256} of the project's RIE table."""
    entries = {}
    for line in (project / TABLE).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            source, arch, digest = line.split()
            entries[source, arch] = digest
    return entries


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def flipped(digest):
    """The same digest with its first hex digit changed: what a tampered table entry looks like."""
    return ("0" if digest[0] != "0" else "1") + digest[1:]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A function for the architecture this machine is not: `make rie` alone must fetch both."""
    return bake(tmp_path_factory.mktemp("rie"), architecture=OTHER)


# Fast: the table, the Makefile's ARCH, and the check itself on a local stand-in for a GitHub release.


def test_the_table_pins_one_build_per_architecture_from_a_pinned_wheel(project):
    entries = table_entries(project)
    assert {arch for _, arch in entries} == {"x86_64", "arm64"}
    for (source, _), digest in entries.items():
        assert source.startswith(("aws-sam-cli==", "github@")) and "latest" not in source
        assert len(digest) == 64 and int(digest, 16) >= 0


def test_make_rie_passes_the_architecture_asked_for_and_none_by_default(tmp_path, project):
    assert run(["make", "-n", "rie", "ARCH=arm64"], project).stdout.strip() == "scripts/fetch-rie.sh arm64"
    assert run(["make", "-n", "rie"], project).stdout.strip() == "scripts/fetch-rie.sh"
    # Go's runtime.mk sets ARCH (amd64|arm64) for cross-build: that default is not taken for `rie`.
    go = bake(tmp_path, runtime="provided.al2023")
    assert run(["make", "-n", "rie"], go).stdout.strip() == "scripts/fetch-rie.sh"


@pytest.fixture
def local_release(tmp_path, project):
    """The project with a table listing only a local 'GitHub release' (file://) whose assets are stand-ins."""
    releases = tmp_path / "releases"
    (releases / "vTEST").mkdir(parents=True)
    lines = []
    for arch in ("x86_64", "arm64"):
        asset = releases / "vTEST" / f"aws-lambda-rie-{arch}"
        asset.write_bytes(b"\x7fELF stand-in for " + arch.encode())
        lines.append(f"github@vTEST {arch} {sha256(asset)}")
    copy = edited_copy(project, tmp_path / "project", TABLE, (project / TABLE).read_text(), "\n".join(lines) + "\n")
    return copy, {"RIE_GITHUB_RELEASES": releases.as_uri(), "RIE_DIR": str(tmp_path / "rie")}


def test_fetch_rie_installs_a_release_asset_whose_hash_the_table_lists(local_release):
    project, env = local_release
    result = run(["bash", "scripts/fetch-rie.sh", "x86_64", "arm64"], project, env=env)
    assert result.returncode == 0
    rie_dir = Path(env["RIE_DIR"])
    for arch in ("x86_64", "arm64"):
        assert sha256(rie_dir / f"aws-lambda-rie-{arch}") == table_entries(project)["github@vTEST", arch]
    assert os.readlink(rie_dir / "aws-lambda-rie") == f"aws-lambda-rie-{HOST}"


def test_a_tampered_table_entry_installs_nothing_and_says_so_in_one_line(local_release):
    project, env = local_release
    good = table_entries(project)["github@vTEST", "arm64"]
    (project / TABLE).write_text((project / TABLE).read_text().replace(good, flipped(good)))
    result = run(["bash", "scripts/fetch-rie.sh", "x86_64", "arm64"], project, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"fetch-rie: aws-lambda-rie-arm64 from github@vTEST has SHA-256 {good}, not {flipped(good)} "
        "as scripts/rie-sha256.txt lists: nothing was installed"
    ]
    # Not even the x86_64 build, which matched: all or nothing.
    assert not Path(env["RIE_DIR"]).exists() or not any(Path(env["RIE_DIR"]).iterdir())


# Slow: the real downloads from the pinned aws-sam-cli wheel on PyPI.


@pytest.mark.slow
def test_make_rie_fetches_this_machines_and_the_functions_architecture_with_verified_hashes(tmp_path, project):
    rie_dir = tmp_path / "rie"
    result = run(["make", "rie"], project, env={"RIE_DIR": str(rie_dir)})
    assert result.returncode == 0
    entries = table_entries(project)
    installed = sorted(path.name for path in rie_dir.iterdir())
    assert installed == sorted(["aws-lambda-rie", "aws-lambda-rie-x86_64", "aws-lambda-rie-arm64"])
    for arch in ("x86_64", "arm64"):
        binary = rie_dir / f"aws-lambda-rie-{arch}"
        source = next(source for source, listed in entries if listed == arch and source.startswith("aws-sam-cli=="))
        assert sha256(binary) == entries[source, arch]
        assert int.from_bytes(binary.read_bytes()[18:20], "little") == ELF_MACHINE[arch]
        assert binary.stat().st_mode & stat.S_IXUSR
    assert os.readlink(rie_dir / "aws-lambda-rie") == f"aws-lambda-rie-{HOST}"

    only = tmp_path / "only"
    result = run(["make", "rie", f"ARCH={OTHER}"], project, env={"RIE_DIR": str(only)})
    assert result.returncode == 0
    assert [path.name for path in only.iterdir()] == [f"aws-lambda-rie-{OTHER}"]


@pytest.mark.slow
def test_a_tampered_entry_for_the_wheel_build_installs_nothing(tmp_path, project):
    source, good = next((source, digest) for (source, arch), digest in table_entries(project).items() if arch == OTHER)
    copy = edited_copy(
        project, tmp_path / "project", TABLE, f"{source} {OTHER} {good}", f"{source} {OTHER} {flipped(good)}"
    )
    rie_dir = tmp_path / "rie"
    result = run(["make", "rie"], copy, env={"RIE_DIR": str(rie_dir)})
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"fetch-rie: aws-lambda-rie-{OTHER} from {source} has SHA-256 {good}, not {flipped(good)} "
        "as scripts/rie-sha256.txt lists: nothing was installed"
    )
    assert not rie_dir.exists() or not any(rie_dir.iterdir())


# Fast: container mode's `run` command line, recorded by a stand-in container CLI.

STAND_IN = """#!{python}
import json, sys
with open({record!r}, "a") as record:
    record.write(json.dumps(sys.argv[1:]) + "\\n")
# `info`, `version`, `buildx version`, `build`, `run`, `logs`, `rm` succeed; `inspect` finds no running
# container, so the harness stops right after `run` instead of waiting for a port.
sys.exit(1 if sys.argv[1:2] == ["inspect"] else 0)
"""


@pytest.mark.parametrize(
    ("cli", "answers"),
    [
        ("docker", {"memory_size": "1024"}),
        ("podman", {"memory_size": "256", "base_image": "custom", "architecture": "arm64"}),
        ("finch", {"memory_size": "3008"}),
    ],
)
def test_container_mode_runs_the_image_as_lambda_does(tmp_path, cli, answers):
    project = bake(tmp_path / "out", **answers)
    record = tmp_path / "calls"
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    (stand_ins / cli).write_text(STAND_IN.format(python=sys.executable, record=str(record)))
    (stand_ins / cli).chmod(0o755)
    rie = stand_ins / "aws-lambda-rie"  # no ELF file: taken for any architecture, as a wrapper script is
    rie.write_text("#!/bin/sh\n")
    rie.chmod(0o755)
    env = {
        "PATH": f"{stand_ins}{os.pathsep}{os.environ['PATH']}",
        "CONTAINER_CLI": cli,
        "EMULATOR_MODE": "container",
        "RIE_BIN": str(rie),
    }
    result = run(["make", "emulator-test"], project, env=env)
    assert result.returncode != 0  # the stand-in runs nothing
    calls = [json.loads(line) for line in record.read_text().splitlines()]
    assert ["info"] in calls
    runs = [call for call in calls if call[0] == "run"]
    assert len(runs) == 1
    settings = json.loads((project / "lambda.json").read_text())
    image = f"{settings['image_name']}:emulator-test"
    options = runs[0][: runs[0].index(image)]
    memory = f"{settings['memory_size']}m"
    assert memory == f"{answers['memory_size']}m"
    for expected in (
        ["--user", "65534:65534"],
        ["--read-only"],
        ["--tmpfs", "/tmp:rw,exec,mode=1777,size=512m"],
        ["--memory", memory],
        ["--memory-swap", memory],
    ):
        at = options.index(expected[0])
        assert options[at : at + len(expected)] == expected
    if answers.get("base_image") == "custom":
        assert options[-2:] == ["--entrypoint", "/aws-lambda/aws-lambda-rie"]
        assert f"{rie}:/aws-lambda/aws-lambda-rie:ro" in options
