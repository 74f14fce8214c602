"""What real AWS needs of a generated project that a local run does not show.

Each test here failed on the template before the fix it covers.

Python wheels: the dependency stage's own pip command, taken from the rendered Dockerfile and run natively
(resolving only, `--dry-run`), must find wheels Lambda can run for real dependencies whose newest releases
ship only manylinux_2_28-era wheels.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest
from test_container_proof import stand_in  # noqa: F401 (fixture)
from test_deploy import GIT_ENV

from helpers import Dockerfile, bake, event_count, free_port, require, run, runtimes_of

# numpy: manylinux_2_27/2_28 only for CPython 3.14; pydantic-core and cryptography: other tag families.
REAL_DEPENDENCIES = ("numpy", "pydantic-core", "cryptography")
# Lambda's Amazon Linux 2023 has glibc 2.34.
LAMBDA_GLIBC = (2, 34)


def dependency_stage_run(dockerfile):
    """The RUN instruction of the `dependencies` stage, continuation lines joined, and the stage's ARG defaults."""
    stage = dockerfile.split(" AS dependencies\n", 1)[1].split("\nFROM ", 1)[0]
    joined = re.sub(r"\\\n", " ", stage)
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", joined, re.MULTILINE))
    commands = re.findall(r"^RUN (.+)$", joined, re.MULTILINE)
    assert len(commands) == 1, commands
    return commands[0], args


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def runs_on_lambda(wheel, arch):
    """Whether a wheel's platform tags include one Lambda's glibc and architecture run."""
    for platform in wheel[: -len(".whl")].split("-")[-1].split("."):
        legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
        match = re.fullmatch(rf"manylinux_(\d+)_(\d+)_{arch}", platform)
        glibc = (
            (int(match[1]), int(match[2]))
            if match
            else next((version for name, version in legacy.items() if platform == f"{name}_{arch}"), None)
        )
        if platform == "any" or (glibc and glibc <= LAMBDA_GLIBC):
            return True
    return False


@pytest.mark.parametrize("base_image", ["aws", "custom"])
@pytest.mark.parametrize("runtime", runtimes_of("python"))
def test_the_python_dependency_stage_resolves_real_wheels_for_both_architectures(tmp_path, runtime, base_image):
    project = bake(tmp_path / "out", runtime=runtime, base_image=base_image)
    command, args = dependency_stage_run((project / "Dockerfile").read_text())
    assert "pip install" in command and "/dependencies" in command
    # The stage's own files (its COPY), with the real dependencies in place of the template's requirements.
    copied = Dockerfile.of(project).stage("dependencies").arguments("COPY")
    for name in (part for arguments in copied for part in arguments.split()[:-1]):
        shutil.copy(project / name, tmp_path / name)
    (tmp_path / "requirements.txt").write_text("\n".join(REAL_DEPENDENCIES) + "\n")
    pip_dir = os.path.dirname(sys.executable)  # the tests' own pip stands in for the build image's
    for target_arch, wheel_arch in (("amd64", "x86_64"), ("arm64", "aarch64")):
        report = tmp_path / f"report-{target_arch}.json"
        resolve = command.replace("pip install", f"pip install --dry-run --quiet --report {report}", 1)
        resolve = resolve.replace("/dependencies", str(tmp_path / "unused-target"))
        result = run(
            ["sh", "-c", resolve],
            tmp_path,
            timeout=300,
            env={**args, "TARGETARCH": target_arch, "PATH": f"{pip_dir}{os.pathsep}{os.environ['PATH']}"},
        )
        require(
            "NewConnectionError" not in result.stderr and "Network is unreachable" not in result.stderr,
            "the Python package index is not reachable",
        )
        assert result.returncode == 0, result.stderr
        installed = {
            normalized(item["metadata"]["name"]): item["download_info"]["url"].rsplit("/", 1)[-1]
            for item in json.loads(report.read_text())["install"]
        }
        for name in REAL_DEPENDENCIES:
            assert name in installed, installed
        for name, wheel in installed.items():
            assert wheel.endswith(".whl") and runs_on_lambda(wheel, wheel_arch), (name, wheel)


# ---- the build command each container CLI gets ------------------------------------------------
STAND_IN_CLI = """#!/bin/sh
# Records how it was called; `buildx version` succeeds only where BUILDX is set (Docker with buildx).
if [ "$1 $2" = "buildx version" ]; then [ -n "$BUILDX" ]; exit; fi
printf '%s\\n' "$*" >>"$CALLS"
"""


@pytest.mark.parametrize("architecture,platform", [("x86_64", "linux/amd64"), ("arm64", "linux/arm64")])
def test_make_build_gives_each_container_cli_a_single_platform_build_that_lands_in_its_image_store(
    tmp_path, architecture, platform
):
    project = bake(tmp_path / "out", architecture=architecture)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("docker", "podman", "finch"):
        (bin_dir / name).write_text(STAND_IN_CLI)
        (bin_dir / name).chmod(0o755)
    expected = {
        # buildx (its docker-container driver keeps images in the builder unless --load): load it, no attestations
        ("docker", "1"): f"buildx build --load --provenance=false --sbom=false --platform {platform} -t fn:1 .",
        ("docker", ""): f"build --platform {platform} -t fn:1 .",  # the legacy builder: neither flag exists
        ("podman", ""): f"build --platform {platform} -t fn:1 .",
        ("finch", ""): f"build --platform {platform} -t fn:1 .",
    }
    for (cli, buildx), command in expected.items():
        calls = tmp_path / f"{cli}-{buildx}.calls"
        result = run(
            ["scripts/build-image.sh", "fn:1"],
            project,
            env={
                "CONTAINER_CLI": cli,
                "BUILDX": buildx,
                "CALLS": str(calls),
                "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            },
        )
        assert result.returncode == 0, result.stderr
        assert calls.read_text().splitlines() == [command], cli


# ---- Lambda's sandbox: a non-root user ------------------------------------------------------
# Lambda runs the image as a non-root user. COPY keeps the build context's file modes, so a checkout made
# under umask 077 (0600 files) must still give that user readable code. One variant is built on the
# container proof's stand-ins (expensive); the other Dockerfiles are built by the container proof itself.
SANDBOX_VARIANT = {"runtime": "python3.13", "base_image": "aws"}
NOBODY = "65534:65534"


@pytest.mark.slow
def test_a_checkout_under_umask_077_builds_an_image_that_a_non_root_user_runs(tmp_path, stand_in):
    from test_container_proof import proof, standins, store

    source = bake(tmp_path / "source", **SANDBOX_VARIANT)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "generated"]):
        assert run(["git", *command], source, env=GIT_ENV).returncode == 0
    checkout = tmp_path / "checkout"
    cloned = run(["sh", "-c", f'umask 077 && git clone -q "{source}" "{checkout}"'], tmp_path)
    assert cloned.returncode == 0, cloned.stderr
    assert stat.S_IMODE((checkout / "src" / "app.py").stat().st_mode) == 0o600

    for image in standins.standable(SANDBOX_VARIANT["runtime"], SANDBOX_VARIANT["base_image"]):
        stand_in(image)
    tag = f"containerproof/umask-077:{os.getpid()}"
    assert proof.build(checkout, tag).returncode == 0
    try:
        task_root = "/var/task"
        with store.mounted(tag) as root:
            unreadable = [
                str(path)
                for path in (root / task_root.lstrip("/")).rglob("*")
                if not path.stat().st_mode & (stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
            ]
        assert unreadable == []

        # Run as Lambda's non-root user what the image's entrypoint runs (the RIE wrapping the runtime's
        # bootstrap, the handler in _HANDLER), on free ports: the container shares the host's network.
        emulator = proof.harness(checkout)
        port = free_port()
        handler = store.config(tag)["Cmd"][0]
        env = [f"--env={key}={value}" for key, value in {**emulator.function_env(), "_HANDLER": handler}.items()]
        command = [
            "/usr/local/bin/aws-lambda-rie",
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{port}",
            "--runtime-api-address",
            f"127.0.0.1:{free_port()}",
            "/var/runtime/bootstrap",
        ]
        with store.container(tag) as name:
            process = subprocess.Popen(
                [str(store.CLI), "run", f"--user={NOBODY}", *env, name, "--", *command],
                env=store.env(),
                start_new_session=True,
            )
            try:
                emulator.wait_for_port(port, lambda: process.poll() is None, timeout=120)
                passed, failed = emulator.run_events(port)
            finally:
                proof.stop(process)
        assert (passed, failed) == (event_count(checkout), 0)
    finally:
        store.buildah("rmi", tag, check=False)
