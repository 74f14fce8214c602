"""arm64 functions answer events here, not only cross-compile: the generated Go project's arm64 bootstrap
runs under the real arm64 RIE through qemu-user (binfmt_misc) in the harness's native mode, and its scratch
image, built for linux/arm64 by buildah, answers under it too; as Docker Desktop runs arm64 images on x86_64
laptops. Answers are real; timings under emulation mean nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_container_proof import digest, stand_in  # noqa: F401 (fixture)
from test_go import ELF_MACHINE, OFFLINE, baked_with_modules, elf_facts, harness_of

from helpers import CACHE, REPO, bake, edited_copy, event_count, require, require_arm64, run

sys.path.insert(0, str(REPO))
from containerproof import proof, standins, store  # noqa: E402

FETCH_RIE = REPO / "{{cookiecutter.project_slug}}" / "scripts" / "fetch-rie.sh"


@pytest.fixture(scope="module")
def arm64_rie():
    """The official arm64 RIE: ~/.aws-lambda-rie, else fetched once by the template's script."""
    require_arm64()
    for candidate in (Path.home() / ".aws-lambda-rie" / "aws-lambda-rie-arm64", CACHE / "rie" / "aws-lambda-rie-arm64"):
        if candidate.is_file():
            return str(candidate)
    fetched = subprocess.run(
        ["bash", str(FETCH_RIE), "arm64"],
        env={**os.environ, "RIE_DIR": str(CACHE / "rie")},
        capture_output=True,
        text=True,
    )
    require(fetched.returncode == 0, f"the arm64 RIE could not be fetched: {fetched.stderr.strip()}")
    return str(CACHE / "rie" / "aws-lambda-rie-arm64")


@pytest.fixture(scope="module")
def arm64_go_project(tmp_path_factory):
    return baked_with_modules(
        tmp_path_factory, runtime="provided.al2023", base_image="aws", architecture="arm64", trigger="direct"
    )


def session_executables(session):
    """What each live process of a session runs (/proc/PID/exe: the interpreter, for a binfmt_misc program)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # after pid (comm): state, ppid, pgrp, session
                found.append(os.readlink(stat.parent / "exe"))
        except (OSError, IndexError):
            continue  # gone meanwhile
    return found


@pytest.mark.slow
def test_arm64_go_function_answers_every_event_as_arm64_code_under_the_arm64_rie(
    arm64_go_project, arm64_rie, monkeypatch, tmp_path
):
    for key, value in {**OFFLINE, "RIE_BIN": arm64_rie}.items():
        monkeypatch.setenv(key, value)
    harness = harness_of(arm64_go_project)
    port = harness.free_port()
    with (tmp_path / "emulator.log").open("w") as log:
        emulator = harness.NativeEmulator(output=log)
        try:
            emulator.start(port)
            passed, failed = harness.run_events(port)
            running = session_executables(emulator.process.pid)  # the RIE and the bootstrap it started
        finally:
            emulator.stop()
    print((tmp_path / "emulator.log").read_text())
    assert (passed, failed) == (event_count(arm64_go_project), 0)
    # An x86_64 bootstrap would answer as well (the arm64 RIE starts it natively): ask what actually ran.
    assert len(running) >= 2, running
    if os.uname().machine != "aarch64":
        assert all("qemu-aarch64" in exe for exe in running), f"not every process ran as arm64 code: {running}"
    assert elf_facts(arm64_go_project / "dist" / "linux-arm64" / "bootstrap")[0] == ELF_MACHINE["arm64"]


@pytest.mark.slow
def test_arm64_emulator_test_fails_when_an_event_expects_another_answer(arm64_go_project, arm64_rie, tmp_path):
    broken = edited_copy(arm64_go_project, tmp_path / "broken", "events/hello-name.expected.json", "Hello", "Bye")
    result = run(["make", "emulator-test"], broken, env={**OFFLINE, "EMULATOR_MODE": "native", "RIE_BIN": arm64_rie})
    assert result.returncode != 0
    assert "under the arm64 RIE" in result.stdout
    assert "FAIL hello-name.json" in result.stdout and f"{event_count(broken) - 1} passed, 1 failed" in result.stdout


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the check names the x86_64 RIE in RIE_BIN")
def test_arm64_function_without_the_arm64_rie_is_refused_in_one_line_before_building(tmp_path):
    project = bake(tmp_path, runtime="provided.al2023", architecture="arm64", trigger="direct")
    # /bin/true stands for an x86_64 RIE in RIE_BIN: an ELF file of the wrong architecture, never run.
    env = {
        **os.environ,
        "EMULATOR_MODE": "native",
        "RIE_BIN": "/bin/true",
        "HOME": str(tmp_path / "home"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        ["python3", "scripts/emulator_test.py"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "emulator-test: the Runtime Interface Emulator for arm64 was not found in RIE_BIN, PATH or "
        "~/.aws-lambda-rie (RIE_BIN is the x86_64 one): run 'scripts/fetch-rie.sh arm64' to fetch the official binary"
    ]
    assert not (project / "dist").exists(), "nothing is built before the emulator is found"


@pytest.mark.slow
def test_arm64_scratch_image_built_for_linux_arm64_answers_every_event_under_the_arm64_rie(
    stand_in, arm64_rie, tmp_path
):  # noqa: F811 (fixture)
    """The custom (scratch) Go image: its build stage runs on the machine's own platform and cross-compiles,
    its final stage needs no arm64 root filesystem; buildah runs the image's arm64 processes through qemu-user."""
    answers = {"runtime": "provided.al2023", "base_image": "custom", "architecture": "arm64"}
    for image in standins.standable(answers["runtime"], answers["base_image"]):
        stand_in(image)
    project = bake(tmp_path, **answers)
    tag = f"containerproof/provided.al2023-custom-arm64:{digest(project)}"
    with store.locked("build-provided.al2023-custom-arm64"):
        if store.inspect(tag) is None:
            assert proof.build(project, tag).returncode == 0, "the arm64 image did not build on the stand-ins"
            proof.remove_other_tags(tag)
    assert store.inspect(tag)["OCIv1"]["architecture"] == "arm64"
    with store.mounted(tag) as root:
        assert elf_facts(root / "var" / "task" / "bootstrap")[0] == ELF_MACHINE["arm64"]
    assert proof.answer_events(project, tag, arm64_rie) == (event_count(project), 0)
