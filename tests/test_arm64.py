"""arm64 functions answer events here, not only cross-compile: the generated Go project's arm64 bootstrap
runs under the real arm64 RIE through qemu-user (binfmt_misc) in the harness's native mode, and its scratch
image, built for linux/arm64 by buildah, answers under it too; as Docker Desktop runs arm64 images on x86_64
laptops. The AWS base image variants of Go, Python, Node.js and Java are built for linux/arm64 on arm64
stand-ins (an arm64 Debian root filesystem with the language for arm64, containerproof/arm64.py) and answer
as arm64 code. Answers are real; timings under emulation mean nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_container_proof import digest, stand_in  # noqa: F401 (fixture)
from test_go import ELF_MACHINE, OFFLINE, baked_with_modules, elf_facts, harness_of

from helpers import CACHE, REPO, bake, edited_copy, event_count, require, require_arm64, run

sys.path.insert(0, str(REPO))
from containerproof import arm64, proof, standins, store  # noqa: E402

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
    bases = standins.standable(answers["runtime"], answers["base_image"])
    for image in bases:
        stand_in(image)
    project = bake(tmp_path, **answers)
    tag = f"containerproof/provided.al2023-custom-arm64:{digest(project, bases)}"
    with store.locked("build-provided.al2023-custom-arm64"):
        if store.inspect(tag) is None:
            assert proof.build(project, tag).returncode == 0, "the arm64 image did not build on the stand-ins"
            proof.remove_other_tags(tag)
    assert store.inspect(tag)["OCIv1"]["architecture"] == "arm64"
    with store.mounted(tag) as root:
        assert elf_facts(root / "var" / "task" / "bootstrap")[0] == ELF_MACHINE["arm64"]
    assert proof.answer_events(project, tag, arm64_rie) == (event_count(project), 0)


# --- AWS base image variants built for linux/arm64 on arm64 stand-ins ---------------------------------
# One per language that has stand-ins; their final stage's image differs from every build stage's, which
# the arm64 stand-ins need (see containerproof/arm64.py). The Java images' builds train their JVM archive
# (an AOT cache for 25, a CDS archive for 21) under qemu-user, as a user's arm64 build on an x86_64 laptop does.
ARM64_VARIANTS = {
    f"{runtime}-aws-arm64": {"runtime": runtime, "base_image": "aws", "architecture": "arm64"}
    for runtime in ("provided.al2023", "python3.13", "nodejs24.x", "java25", "java21")
}
ARM64_STANDINS = sorted({arm64.standable(a["runtime"], a["base_image"])[1] for a in ARM64_VARIANTS.values()})


@pytest.fixture(scope="module")
def arm64_stand_in(stand_in, arm64_rie):  # noqa: F811 (fixture)
    """The arm64 stand-in for an AWS base image, in the arm64 store (built once per recipe)."""

    def ensure(name):
        return arm64.ensure(name, arm64_rie)

    return ensure


@pytest.fixture(scope="module")
def arm64_proven(stand_in, arm64_stand_in, tmp_path_factory):  # noqa: F811 (fixture)
    """Bake an arm64 variant and build its unchanged Dockerfile for linux/arm64 with its own
    scripts/build-image.sh in the arm64 store; returns (project, tag)."""
    built = {}

    def prove(variant):
        if variant not in built:
            answers = ARM64_VARIANTS[variant]
            build_images, final = arm64.standable(answers["runtime"], answers["base_image"])
            for image in build_images:
                stand_in(image)  # the machine's own stand-in, in the main store
                arm64.import_image(image)
            arm64_stand_in(final)
            project = bake(tmp_path_factory.mktemp(variant), **answers)
            with store.using(arm64.STORE), store.locked(f"build-{variant}"):
                tag = f"containerproof/{variant}:{digest(project, [*build_images, final])}"
                if store.inspect(tag) is None:
                    assert proof.build(project, tag).returncode == 0, f"{variant}: no arm64 image built"
                    proof.remove_other_tags(tag)
            built[variant] = (project, tag)
        return built[variant]

    return prove


def test_arm64_variants_are_the_aws_ones_whose_final_image_no_build_stage_uses():
    for answers in ARM64_VARIANTS.values():
        assert arm64.standable(answers["runtime"], answers["base_image"]) is not None
    # A custom image's build and final stages name one image: one store cannot hold it for both platforms.
    assert arm64.standable("python3.13", "custom") is None
    assert arm64.standable("nodejs24.x", "custom") is None


@pytest.mark.slow
@pytest.mark.parametrize("name", ARM64_STANDINS)
def test_arm64_stand_in_holds_arm64_code_under_a_config_that_says_amd64(name, arm64_stand_in, arm64_rie):
    arm64_stand_in(name)
    with store.using(arm64.STORE):
        inspected = store.inspect(name)
        labels = inspected["OCIv1"]["config"]["Labels"]
        # The workaround, and the label that owns up to it.
        assert inspected["OCIv1"]["architecture"] == "amd64"
        assert labels[arm64.CONTENT_ARCH] == "arm64"
        assert labels["containerproof.standin"] == "true" and labels["containerproof.stands-in-for"] == name
        assert inspected["OCIv1"]["config"]["Entrypoint"] == ["/lambda-entrypoint.sh"]
        with store.mounted(name) as root:
            assert (root / "usr/local/bin/aws-lambda-rie").read_bytes() == Path(arm64_rie).read_bytes()
            assert elf_facts(root / "usr" / "bin" / "dash")[0] == ELF_MACHINE["arm64"]
            # The runtime client's native code (awslambdaric's extension, aws-lambda-ric's addon) is arm64 too.
            assert elf_machines(root / "var" / "runtime") <= {ELF_MACHINE["arm64"]}
        # The base image contract, run as arm64 code: exactly one handler argument, else 142.
        assert store.run_in(name, "/lambda-entrypoint.sh").returncode == 142
        used = store.run_in(name, *arm64.STANDINS[name].version_command)
        assert used.returncode == 0 and used.stdout.strip().startswith(arm64.STANDINS[name].used), used


def elf_machines(directory):
    """The e_machine of every ELF file under a directory."""
    found = set()
    for path in directory.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                head = file.read(20)
            if head[:4] == b"\x7fELF":
                found.add(int.from_bytes(head[18:20], "little"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("variant", list(ARM64_VARIANTS))
def test_arm64_aws_image_built_for_linux_arm64_answers_every_event_as_arm64_code(variant, arm64_proven, arm64_rie):
    project, tag = arm64_proven(variant)
    running = []
    with store.using(arm64.STORE):
        assert store.inspect(tag)["OCIv1"]["architecture"] == "arm64"
        answered = proof.answer_events(
            project, tag, arm64_rie, observe=lambda process: running.extend(arm64.executables(process.pid))
        )
    assert answered == (event_count(project), 0)
    # The RIE and the runtime it started (bootstrap, interpreter): each one arm64 code under qemu-user.
    assert len(running) >= 2, running
    if os.uname().machine != "aarch64":
        assert all("qemu-aarch64" in exe for exe in running), f"not every process ran as arm64 code: {running}"
