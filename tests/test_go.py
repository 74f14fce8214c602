"""Go (provided.al2023): every variant renders a tidy module and a cross-compiling Dockerfile; the generated
project of every trigger vets and tests offline and its binary answers every event of that trigger under the
real RIE; the http project cross-builds (by default for the function's architecture), its Dockerfile's build
stage replayed natively builds the same static stripped bootstrap, and it answers laid out as the scratch image
holds it."""

import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from helpers import (
    CATALOGUE,
    CONFIG,
    Dockerfile,
    all_variants,
    bake,
    edited_copy,
    event_count,
    free_port,
    require,
    require_tool,
    run,
    variant_id,
)
from lambda_container.template import trigger_variants

GO_VARIANTS = [
    answers for answers in all_variants() + trigger_variants() if CATALOGUE[answers["runtime"]]["language"] == "go"
]
TRIGGERS = CONFIG["trigger"]
# The unit tests, vet and builds must need nothing but the module cache `make deps` filled.
OFFLINE = {"GOPROXY": "off", "GOFLAGS": "-mod=readonly -count=1"}
ELF_MACHINE = {"amd64": 62, "arm64": 183}  # EM_X86_64, EM_AARCH64
GOARCH_OF = {"x86_64": "amd64", "arm64": "arm64"}
HOST_GOARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine)
PT_INTERP = 3


@pytest.fixture(scope="module", params=GO_VARIANTS, ids=variant_id)
def go_variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("go-variant"), **request.param)


def test_every_offered_go_runtime_has_variants():
    assert GO_VARIANTS, "no offered runtime has language go"


def test_go_variant_is_gofmt_clean(go_variant):
    _, project = go_variant
    result = run([require_tool("gofmt"), "-l", "."], project)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_go_module_requires_the_runtime_interface_client_pinned_in_go_sum(go_variant):
    answers, project = go_variant
    entry = CATALOGUE[answers["runtime"]]
    go_mod = (project / "go.mod").read_text()
    required = re.search(r"^require (github\.com/aws/aws-lambda-go) (v[\d.]+)$", go_mod, re.MULTILINE)
    assert required, go_mod
    module, version = required.groups()
    assert re.search(rf"^go {re.escape(entry['version'])}$", go_mod, re.MULTILINE)
    assert f"{module} {version} h1:" in (project / "go.sum").read_text()


def test_go_image_holds_bootstrap_where_its_entrypoint_runs_it(go_variant):
    answers, project = go_variant
    entry = CATALOGUE[answers["runtime"]]
    dockerfile = (project / "Dockerfile").read_text()
    stage = Dockerfile(dockerfile).final_stage.text
    if answers["base_image"] == "aws":
        assert Dockerfile(dockerfile).final_stage.image == entry["aws_base_image"]
        assert "COPY --from=build /out/bootstrap ${LAMBDA_RUNTIME_DIR}/bootstrap" in stage
        assert "ENTRYPOINT" not in stage, "the base image's entrypoint (and its built-in RIE) must stay"
    else:
        command = json.loads((project / "emulator.json").read_text())["custom_image_command"]
        assert Dockerfile(dockerfile).final_stage.image == entry["custom_base_image"]
        assert f"COPY --from=build /out/bootstrap {command[0]}" in stage
        entrypoint = re.search(r"^ENTRYPOINT (.+)$", stage, re.MULTILINE)
        assert entrypoint, "the custom image's final stage sets an ENTRYPOINT"
        assert json.loads(entrypoint.group(1)) == command


# --- slow tier: the Go toolchain and the real RIE ----------------------------------------------------------


def baked_with_modules(tmp_path_factory, **answers):
    require_tool("go")
    project = bake(tmp_path_factory.mktemp("go-project"), **answers)
    # The only steps allowed to reach the module proxy: `make deps`, and the module graph `go mod tidy`
    # reads (tests of dependencies included), fetched here so that the tests prove the offline claim.
    deps = run(["make", "deps"], project)
    why = ([line for line in deps.stderr.splitlines() if line.strip() and not line.startswith("make")] or ["?"])[-1]
    require(deps.returncode == 0, f"the Go modules could not be fetched through GOPROXY ({why})")
    graph = run(["go", "mod", "tidy", "-diff"], project)
    require(
        "module lookup" not in graph.stderr and "dial tcp" not in graph.stderr,
        "the Go module graph could not be fetched through GOPROXY",
    )
    return project


@pytest.fixture(scope="module", params=TRIGGERS)
def trigger_project(request, tmp_path_factory):
    """One project per trigger (AWS base image, x86_64): the trigger changes the code, not the image."""
    return baked_with_modules(
        tmp_path_factory, runtime="provided.al2023", base_image="aws", architecture="x86_64", trigger=request.param
    )


@pytest.fixture(scope="module")
def go_project(tmp_path_factory):
    return baked_with_modules(
        tmp_path_factory, runtime="provided.al2023", base_image="aws", architecture="x86_64", trigger="http"
    )


@pytest.fixture(scope="module")
def scratch_project(tmp_path_factory):
    return baked_with_modules(
        tmp_path_factory, runtime="provided.al2023", base_image="custom", architecture="x86_64", trigger="http"
    )


def passed_event_tests(project):
    """The sample events the unit tests compared with their expected answers, and passed."""
    result = run(
        ["go", "test", "-tags", "lambda.norpc", "-v", "-run", "TestHandlerAnswersEachSampleEventAsExpected", "./..."],
        project,
        env=OFFLINE,
    )
    return re.findall(r"^\s+--- PASS: TestHandlerAnswersEachSampleEventAsExpected/(\S+)", result.stdout, re.MULTILINE)


@pytest.mark.slow
def test_generated_go_project_passes_go_vet_and_go_test_offline(trigger_project):
    result = run(["make", "test"], trigger_project, env=OFFLINE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "go vet " in result.stdout and re.search(r"^ok\s+example\.com/", result.stdout, re.MULTILINE)
    assert len(passed_event_tests(trigger_project)) == event_count(trigger_project)
    tidy = run(["go", "mod", "tidy", "-diff"], trigger_project, env=OFFLINE)
    assert tidy.returncode == 0, f"go.mod/go.sum are not tidy:\n{tidy.stdout}{tidy.stderr}"
    gofmt = run(["gofmt", "-l", "."], trigger_project)
    assert gofmt.returncode == 0 and gofmt.stdout == "", gofmt.stdout + gofmt.stderr


@pytest.mark.slow
def test_go_unit_tests_fail_when_an_event_expects_another_answer(go_project, tmp_path):
    project = edited_copy(
        go_project, tmp_path / "project", "events/get-hello-name.expected.json", "Hello, Ada!", "Hello, Bob!"
    )
    result = run(["make", "test"], project, env=OFFLINE)
    assert result.returncode != 0
    failed = set(re.findall(r"--- FAIL: (\S+)", result.stdout))
    assert failed == {
        "TestHandlerAnswersEachSampleEventAsExpected",
        "TestHandlerAnswersEachSampleEventAsExpected/get-hello-name",
    }, result.stdout


def elf_facts(path):
    """(e_machine, has a PT_INTERP segment, section names) of a 64-bit little-endian ELF file."""
    data = path.read_bytes()
    assert data[:6] == b"\x7fELF\x02\x01", f"{path} is not a 64-bit little-endian ELF file"
    (machine,) = struct.unpack_from("<H", data, 18)
    phoff, shoff = struct.unpack_from("<QQ", data, 32)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 54)
    segments = {struct.unpack_from("<I", data, phoff + i * phentsize)[0] for i in range(phnum)}
    (names_at,) = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 24)
    names = []
    for i in range(shnum):
        (start,) = struct.unpack_from("<I", data, shoff + i * shentsize)
        start += names_at
        names.append(data[start : data.index(b"\0", start)].decode())
    return machine, PT_INTERP in segments, names


def bootstrap_problems(binary, goarch, project):
    """What keeps `binary` from being the bootstrap Lambda runs on `goarch`: static, stripped, built as shipped."""
    machine, dynamic, sections = elf_facts(binary)
    problems = []
    if machine != ELF_MACHINE[goarch]:
        problems.append(f"ELF machine {machine}, not {ELF_MACHINE[goarch]} ({goarch})")
    if dynamic:
        problems.append("a PT_INTERP segment: the binary needs a dynamic loader (cgo)")
    if ".symtab" in sections or [s for s in sections if s.startswith((".debug", ".zdebug"))]:
        problems.append("a symbol table or debug information: not stripped")
    settings = run(["go", "version", "-m", str(binary)], project).stdout
    for setting in ("-tags=lambda.norpc", "-trimpath=true", "CGO_ENABLED=0", f"GOARCH={goarch}", "GOOS=linux"):
        if not re.search(rf"^\s+build\s+{re.escape(setting)}$", settings, re.MULTILINE):
            problems.append(f"not built with {setting}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("goarch", ["amd64", "arm64"])
def test_bootstrap_cross_builds_as_a_static_stripped_elf_for(goarch, go_project):
    result = run(["make", "cross-build", f"ARCH={goarch}"], go_project, env=OFFLINE)
    assert result.returncode == 0, result.stderr
    assert bootstrap_problems(go_project / "dist" / f"linux-{goarch}" / "bootstrap", goarch, go_project) == []


@pytest.fixture(scope="module", params=["x86_64", "arm64"])
def architecture_project(request, tmp_path_factory):
    answers = {"runtime": "provided.al2023", "base_image": "aws", "architecture": request.param, "trigger": "http"}
    return answers, baked_with_modules(tmp_path_factory, **answers)


def default_cross_build(project):
    """The bootstraps `make cross-build` builds when no ARCH is given (none in the environment either)."""
    env = {key: value for key, value in os.environ.items() if key != "ARCH"}
    result = subprocess.run(
        ["make", "cross-build"], cwd=project, env={**env, **OFFLINE}, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return sorted((project / "dist").glob("*/bootstrap"))


@pytest.mark.slow
def test_make_cross_build_builds_for_the_function_architecture_by_default(architecture_project):
    answers, project = architecture_project
    goarch = GOARCH_OF[answers["architecture"]]
    built = default_cross_build(project)
    assert len(built) == 1, built
    assert bootstrap_problems(built[0], goarch, project) == []


@pytest.mark.slow
def test_default_cross_build_check_fails_when_the_makefile_defaults_to_the_other_architecture(
    tmp_path, tmp_path_factory
):
    project = baked_with_modules(
        tmp_path_factory,
        runtime="provided.al2023",
        base_image="aws",
        architecture="arm64",
        trigger="http",
    )
    broken = edited_copy(project, tmp_path / "project", "runtime.mk", "ARCH ?= arm64\n", "ARCH ?= amd64\n")
    built = default_cross_build(broken)
    assert len(built) == 1, built
    assert "ELF machine 62, not 183 (arm64)" in bootstrap_problems(built[0], "arm64", broken)


# The replay runs the build stage's instructions on this machine, as `--platform=$BUILDPLATFORM` runs them on
# the build machine: its WORKDIR is a directory under `root`, and so are the absolute paths its RUN lines
# write and the final stage copies out (here /out). Docker sets TARGETARCH from the image's platform.
REPLAYED_OUTPUTS = ("/out/",)


def replay_build_stage(project, root, targetarch):
    """Replay the Dockerfile's build stage natively for `targetarch`; returns `root`."""
    stage = Dockerfile.of(project).stage("build")
    assert stage.header.startswith("--platform=$BUILDPLATFORM "), "the replay runs natively, as this header does"
    # The Go build image's environment: none of the build settings the generated Makefile exports.
    settings = {"CGO_ENABLED", "GOOS", "GOARCH", "GOFLAGS", "GOAMD64", "GOARM64"}
    env = {key: value for key, value in os.environ.items() if key not in settings}
    env["GOPROXY"] = "off"  # `make deps` filled the module cache: the replay proves nothing else is fetched
    workdir = root
    for keyword, arguments in stage.instructions[1:]:
        if keyword == "WORKDIR":
            workdir = root / arguments.lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            *sources, destination = arguments.split()
            for source in sources:
                target = workdir / destination
                if (project / source).is_dir():
                    shutil.copytree(project / source, target, dirs_exist_ok=True, symlinks=True)
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(project / source, target)
        elif keyword == "ARG":
            assert arguments == "TARGETARCH", f"the replay knows only the ARG Docker sets itself, not {arguments}"
            env["TARGETARCH"] = targetarch
        elif keyword == "RUN":
            command = arguments
            for path in REPLAYED_OUTPUTS:
                command = command.replace(f" {path}", f" {root}{path}")
                (root / path.strip("/")).mkdir(parents=True, exist_ok=True)
            result = subprocess.run(["sh", "-ec", command], cwd=workdir, env=env, capture_output=True, text=True)
            assert result.returncode == 0, f"RUN {arguments}\n{result.stdout}{result.stderr}"
        else:
            raise AssertionError(f"the replay does not know the build stage's {keyword} instruction")
    return root


def built_by_the_dockerfile(project, root, targetarch):
    """The bootstrap the final stage copies out of the replayed build stage."""
    copies = re.findall(r"^COPY --from=build (\S+) \S+$", Dockerfile.of(project).final_stage.text, re.MULTILINE)
    ours = [source for source in copies if source.startswith(REPLAYED_OUTPUTS)]
    assert len(ours) == 1, f"the final stage copies one file the build stage built, not {ours}"
    replay_build_stage(project, root, targetarch)
    return root / ours[0].lstrip("/")


@pytest.mark.slow
@pytest.mark.parametrize("targetarch", ["amd64", "arm64"])
def test_dockerfile_build_stage_builds_a_static_stripped_bootstrap_for(targetarch, go_project, tmp_path):
    binary = built_by_the_dockerfile(go_project, tmp_path, targetarch)
    assert bootstrap_problems(binary, targetarch, go_project) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("targetarch", "old", "new", "problem"),
    [
        ("arm64", 'GOARCH="$TARGETARCH" ', "", "ELF machine 62, not 183 (arm64)"),
        ("amd64", "CGO_ENABLED=0 ", "", "a PT_INTERP segment: the binary needs a dynamic loader (cgo)"),
        ("amd64", '-ldflags="-s -w" ', "", "a symbol table or debug information: not stripped"),
        ("amd64", "-tags lambda.norpc ", "", "not built with -tags=lambda.norpc"),
    ],
    ids=["without-GOARCH", "with-cgo", "unstripped", "with-rpc"],
)
def test_dockerfile_build_stage_check_fails_when_the_stage_builds(targetarch, old, new, problem, go_project, tmp_path):
    broken = edited_copy(go_project, tmp_path / "project", "Dockerfile", old, new)
    binary = built_by_the_dockerfile(broken, tmp_path / "root", targetarch)
    assert problem in bootstrap_problems(binary, targetarch, broken)


@pytest.mark.slow
def test_generated_go_project_answers_every_event_under_the_rie(trigger_project, native_emulator_test):
    result, passed, failed = native_emulator_test(trigger_project, env=OFFLINE)
    assert (passed, failed) == (event_count(trigger_project), 0), result.stdout + result.stderr
    assert HOST_GOARCH is not None, f"no Go architecture for this {os.uname().machine} machine"
    assert elf_facts(trigger_project / "bootstrap")[0] == ELF_MACHINE[HOST_GOARCH]


def harness_of(project):
    """The project's own scripts/emulator_test.py, for its event runner and comparison rules."""
    spec = importlib.util.spec_from_file_location(f"harness_{id(project)}", project / "scripts" / "emulator_test.py")
    assert spec is not None and spec.loader is not None, "the project has a scripts/emulator_test.py"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_scratch_image_layout_answers_every_event_under_the_rie_as_the_harness_runs_it(
    scratch_project, rie_bin, tmp_path
):
    """The custom image's final stage, rebuilt as a directory (no engine here to build the image):
    exactly the files its COPY lines put in, /dev/null (which every container runtime provides), the
    RIE mounted at the path the harness uses, run by chroot as the image's USER with emulator.json's
    custom_image_command, as `docker run --entrypoint /aws-lambda/aws-lambda-rie IMAGE COMMAND` does."""
    require(os.geteuid() == 0, "chroot needs root")
    require_tool("chroot")
    require(HOST_GOARCH is not None, f"no Go architecture for this {os.uname().machine} machine")
    build = run(["make", "cross-build", f"ARCH={HOST_GOARCH}"], scratch_project, env=OFFLINE)
    assert build.returncode == 0, build.stderr
    from_build_stage = {
        "/out/bootstrap": scratch_project / "dist" / f"linux-{HOST_GOARCH}" / "bootstrap",
        "/etc/ssl/certs/ca-certificates.crt": Path("/etc/ssl/certs/ca-certificates.crt"),
    }
    final = Dockerfile.of(scratch_project).final_stage
    assert final.header == "scratch"
    stage = final.text
    rootfs = tmp_path / "rootfs"
    copies = re.findall(r"^COPY --from=build (\S+) (\S+)$", stage, re.MULTILINE)
    assert copies and len(copies) == len(re.findall(r"^(COPY|ADD) ", stage, re.MULTILINE))
    for source, target in copies:
        assert source in from_build_stage, f"the test does not know what the build stage puts at {source}"
        require(from_build_stage[source].is_file(), f"{from_build_stage[source]} is missing on this machine")
        destination = rootfs / target.lstrip("/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(from_build_stage[source], destination)
    (rootfs / "dev").mkdir()
    subprocess.run(["mknod", "-m", "666", str(rootfs / "dev" / "null"), "c", "1", "3"], check=True)
    (rootfs / "aws-lambda").mkdir()
    shutil.copy2(rie_bin, rootfs / "aws-lambda" / "aws-lambda-rie")
    user_line = re.search(r"^USER (\S+)$", stage, re.MULTILINE)
    assert user_line, "the final stage names its USER"
    user = user_line.group(1)
    command = json.loads((scratch_project / "emulator.json").read_text())["custom_image_command"]
    port = free_port()
    log = (tmp_path / "rie.log").open("w")
    process = subprocess.Popen(
        [
            "chroot",
            f"--userspec={user}",
            str(rootfs),
            "/aws-lambda/aws-lambda-rie",
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{port}",
            "--runtime-api-address",
            f"127.0.0.1:{free_port()}",
            *command,
        ],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        harness = harness_of(scratch_project)
        harness.wait_for_port(port, lambda: process.poll() is None, timeout=30)
        passed, failed = harness.run_events(port)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)
        log.close()
        print((tmp_path / "rie.log").read_text())
    assert (passed, failed) == (event_count(scratch_project), 0)
