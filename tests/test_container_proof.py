"""Issue 10: the generated Dockerfiles built and run here, on stand-ins for the base images they name.

No base image can be pulled on this machine, so containerproof/ builds stand-ins under the exact names
(debootstrap + buildah, labelled containerproof.standin=true, never pushed). Each variant below is built
by its own scripts/build-image.sh through buildah, started through its image's entrypoint, and answers
every event through the real RIE inside, compared by the project's own harness.
"""

import hashlib
import shutil
import stat
import sys
import warnings
from pathlib import Path

import pytest

from helpers import REPO, bake, event_count, require_tool, run

sys.path.insert(0, str(REPO))
from containerproof import proof, standins, store  # noqa: E402

# Every runtime that can be stood in, x86_64 (arm64 images: tests/test_arm64.py); both base kinds for one
# version of each language, the AWS base for another (its custom Dockerfile is the same template).
VARIANTS = {
    "python3.14-aws": {"runtime": "python3.14", "base_image": "aws"},
    "python3.14-custom": {"runtime": "python3.14", "base_image": "custom"},
    "python3.13-aws": {"runtime": "python3.13", "base_image": "aws"},
    "nodejs24.x-aws": {"runtime": "nodejs24.x", "base_image": "aws", "node_language": "typescript"},
    "nodejs24.x-custom": {"runtime": "nodejs24.x", "base_image": "custom", "node_language": "javascript"},
    "nodejs22.x-aws": {"runtime": "nodejs22.x", "base_image": "aws", "node_language": "typescript"},
    "java25-aws": {"runtime": "java25", "base_image": "aws"},
    "java25-custom": {"runtime": "java25", "base_image": "custom"},
    "java21-aws": {"runtime": "java21", "base_image": "aws"},
    "java21-custom": {"runtime": "java21", "base_image": "custom"},
    "provided.al2023-aws": {"runtime": "provided.al2023", "base_image": "aws"},
    "provided.al2023-custom": {"runtime": "provided.al2023", "base_image": "custom"},
}
AWS_STANDINS = [name for name in standins.STANDINS if name.startswith("public.ecr.aws/lambda/")]
CONTRACT_ENV = {
    "LANG": "en_US.UTF-8",
    "TZ": ":/etc/localtime",
    "LAMBDA_TASK_ROOT": "/var/task",
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
    "PATH": "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
}
# A code-only change per language; it must change what is built (a comment would vanish from a Go binary,
# a Java class or a bundle), so it adds a little code.
CODE_EDITS = {
    "python": (("src/app.py",), "\n# a code-only change\n"),
    "go": (("main.go",), '\nfunc init() { println("a code-only change") }\n'),
    "java": (("src/main/java/example/Handler.java",), "\nclass CodeOnlyChange {}\n"),
    "nodejs": (("src/index.ts", "src/index.mjs"), '\nexport const codeOnlyChange = "a code-only change";\n'),
}


# How many of the last layers a code-only change rebuilds (1 unless named here).
CODE_LAYERS = {"java": 2}


def require_container_tools():
    require_tool("buildah")
    require_tool("debootstrap")


def digest(project, base_images=()):
    """What the generated project contains, and the stand-ins it is built on as the store holds them now:
    equal projects on unchanged stand-ins share one image, and a rebuilt stand-in gets a fresh image."""
    sha = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes())
    for image in base_images:
        sha.update(image.encode() + b"\0" + store.inspect(image)["FromImageID"].encode())
    return sha.hexdigest()[:12]


@pytest.fixture(scope="session")
def stand_in(rie_bin):
    """Build (once per machine and recipe) the stand-in for an image name; shared by xdist workers."""
    require_container_tools()

    def ensure(name):
        tool = standins.HOST_TOOLS.get(standins.STANDINS[name].recipe)
        if tool:
            require_tool(tool)
        return standins.ensure(name, rie_bin)

    return ensure


@pytest.fixture(scope="session")
def proven(stand_in, tmp_path_factory):
    """Bake a variant and build its image on the stand-ins once per run; returns (project, tag, answers)."""
    built = {}

    def prove(variant):
        if variant not in built:
            answers = VARIANTS[variant]
            needed = standins.standable(answers["runtime"], answers["base_image"])
            assert needed is not None, f"{variant}: a base image has no stand-in"
            for image in needed:
                stand_in(image)
            project = bake(tmp_path_factory.mktemp(variant), **answers)
            tag = f"containerproof/{variant}:{digest(project, needed)}"
            with store.locked(f"build-{variant}"):
                if store.inspect(tag) is None:
                    result = proof.build(project, tag)
                    assert result.returncode == 0, f"{variant}: the image did not build on the stand-ins"
                    proof.remove_other_tags(tag)
            built[variant] = (project, tag, answers)
        return built[variant]

    return prove


def base_of(answers):
    entry = standins.CATALOGUE[answers["runtime"]]
    return entry["aws_base_image"] if answers["base_image"] == "aws" else entry["custom_base_image"]


def test_stand_in_scripts_are_shellcheck_clean():
    shellcheck = require_tool("shellcheck")
    assert run([shellcheck, *sorted(store.HERE.glob("*.sh"))], REPO).returncode == 0
    assert run([shellcheck, "-s", "sh", *sorted(standins.RECIPES.glob("*.bootstrap"))], REPO).returncode == 0


def test_stand_in_recipes_are_hadolint_clean():
    recipes = sorted(standins.RECIPES.glob("*.Containerfile"))
    assert run([require_tool("hadolint"), *recipes], REPO).returncode == 0


def test_every_variant_names_only_images_that_have_a_stand_in():
    for variant, answers in VARIANTS.items():
        assert standins.standable(answers["runtime"], answers["base_image"]), variant
    for standin in standins.STANDINS.values():
        assert (standins.RECIPES / f"{standin.recipe}.Containerfile").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("name", AWS_STANDINS)
def test_aws_stand_in_honours_the_base_image_contract(name, stand_in, rie_bin):
    stand_in(name)
    config = store.config(name)
    env = dict(item.split("=", 1) for item in config["Env"])
    assert {key: env.get(key) for key in CONTRACT_ENV} == CONTRACT_ENV
    assert config["WorkingDir"] == "/var/task"
    assert config["Entrypoint"] == ["/lambda-entrypoint.sh"]
    assert config["Labels"]["containerproof.standin"] == "true"
    assert config["Labels"]["containerproof.stands-in-for"] == name
    with store.mounted(name) as root:
        assert (root / "usr/local/bin/aws-lambda-rie").read_bytes() == Path(rie_bin).read_bytes()
        if (standins.RECIPES / f"{standins.STANDINS[name].recipe}.bootstrap").exists():  # not OS-only images
            bootstrap = (root / "var/runtime/bootstrap").lstat()
            assert stat.S_ISREG(bootstrap.st_mode) and bootstrap.st_mode & 0o111
    # The one-argument rule: anything but exactly one handler is refused with 142, as AWS's script does.
    assert store.run_in(name, "/lambda-entrypoint.sh").returncode == 142
    assert store.run_in(name, "/lambda-entrypoint.sh", "app.handler", "extra").returncode == 142


@pytest.mark.slow
@pytest.mark.parametrize("name", list(standins.STANDINS))
def test_stand_in_carries_the_language_version_it_declares(name, stand_in):
    stand_in(name)
    declared = standins.STANDINS[name]
    used = standins.version_used(name)
    assert used.startswith(declared.used), f"{name}: declares {declared.used}, carries {used}"
    if not used.startswith(declared.wanted):
        warnings.warn(f"{name} stands in with version {used} instead of {declared.wanted}", stacklevel=2)


@pytest.mark.slow
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_generated_dockerfile_builds_on_the_stand_ins_and_answers_every_event(variant, proven, rie_bin):
    project, tag, _ = proven(variant)
    passed, failed = proof.answer_events(project, tag, rie_bin)
    assert (passed, failed) == (event_count(project), 0)


@pytest.mark.slow
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_image_cmd_is_one_element(variant, proven):
    _, tag, answers = proven(variant)
    config = store.config(tag)
    assert len(config.get("Cmd") or []) == 1
    if answers["base_image"] == "aws":
        assert config["Entrypoint"] == ["/lambda-entrypoint.sh"]


@pytest.mark.slow
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_final_image_carries_no_build_toolchain_tests_or_caches(variant, proven):
    project, tag, answers = proven(variant)
    added = proof.added_files(base_of(answers), tag)
    assert added, "the final stage added nothing"
    assert proof.toolchain_files(added) == []
    assert proof.test_files(added, project) == []
    assert proof.cache_files(added) == []


@pytest.mark.slow
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_final_stage_adds_at_most_ten_percent_over_the_deployable_artifact(variant, proven):
    _, tag, answers = proven(variant)
    added = proof.added_files(base_of(answers), tag)
    task_root = dict(item.split("=", 1) for item in store.config(tag)["Env"]).get("LAMBDA_TASK_ROOT", "/var/task")
    artifact = proof.regular_bytes(proof.artifact_files(added, task_root))
    total = proof.regular_bytes(added)
    print(f"{variant}: final stage adds {total} bytes, deployable artifact {artifact} bytes")
    assert artifact > 0
    assert total <= artifact * 1.10


@pytest.mark.slow
@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.endswith("-aws")])
def test_code_only_change_rebuilds_only_the_last_layer(variant, proven, tmp_path):
    original, tag, answers = proven(variant)
    project = tmp_path / original.name
    shutil.copytree(original, project, symlinks=True)
    unchanged = proof.build(project, f"containerproof/{variant}-edit:unchanged")
    assert unchanged.returncode == 0
    assert all(cached for _, cached in proof.step_cache(unchanged.stdout)), "an unchanged rebuild must be all cache"

    candidates, edit = CODE_EDITS[standins.CATALOGUE[answers["runtime"]]["language"]]
    source = next(project / name for name in candidates if (project / name).is_file())
    source.write_text(source.read_text() + edit)
    edited = proof.build(project, f"containerproof/{variant}-edit:edited")
    assert edited.returncode == 0
    before, after = store.diff_ids(tag), store.diff_ids(f"containerproof/{variant}-edit:edited")
    # Java: the function's jar, then the JVM archive trained on it.
    last = CODE_LAYERS.get(standins.CATALOGUE[answers["runtime"]]["language"], 1)
    assert len(before) == len(after) and all(b != a for b, a in zip(before[-last:], after[-last:], strict=True)), (
        "the code change must reach the last layer(s)"
    )
    assert before[:-last] == after[:-last], f"only the last {last} layer(s) may change"
    dependency_steps = proof.dependency_steps(edited.stdout)
    assert dependency_steps, "no dependency step found in the build"
    assert all(cached for _, cached in dependency_steps), f"dependency steps rebuilt: {dependency_steps}"


from test_java import toolchain  # noqa: E402

# --- Java: the image's JVM archive (AOT cache on JDK 25, AppCDS on Java 21) ---------------------------
JAVA_VARIANTS = [variant for variant, answers in VARIANTS.items() if answers["runtime"].startswith("java")]
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
# Every class the JVM loads, with where from: the runtime client's main class comes from the function's
# archive only (the JDK's own archive never holds it).
CLASS_LOAD_LOG = {"JDK_JAVA_OPTIONS": "-Xlog:class+load=info"}


def java_archive(answers):
    return (
        "/var/task/function.aot"
        if int(standins.CATALOGUE[answers["runtime"]]["version"]) >= 25
        else "/var/task/function.jsa"
    )


@pytest.mark.slow
@pytest.mark.parametrize("variant", JAVA_VARIANTS)
def test_java_image_starts_the_function_from_the_archive_its_build_made(variant, proven, rie_bin, capfd):
    project, tag, answers = proven(variant)
    added = proof.added_files(base_of(answers), tag)
    print(f"{variant}: archive {added[java_archive(answers)][1]} bytes")
    passed, failed = proof.answer_events(project, tag, rie_bin, env=CLASS_LOAD_LOG)
    output = "".join(capfd.readouterr())
    assert (passed, failed) == (event_count(project), 0)
    assert f"{RIC_MAIN} source: shared objects file" in output


@pytest.mark.slow
@pytest.mark.parametrize("variant", JAVA_VARIANTS)
def test_java_image_starts_without_an_archive_it_cannot_use(variant, proven, rie_bin, capfd, tmp_path):
    """An archive another JVM build wrote (here: this machine's own JDK's, not the image's) is refused
    with a warning, and the function answers every event all the same."""
    project, tag, answers = proven(variant)
    foreign = tmp_path / "foreign.archive"
    jdk, _ = toolchain(25)
    result = run(
        [
            str(jdk / "bin" / "java"),
            f"-XX:{'AOTCacheOutput' if java_archive(answers).endswith('.aot') else 'ArchiveClassesAtExit'}={foreign}",
            "-version",
        ],
        tmp_path,
    )
    assert result.returncode == 0 and foreign.is_file()
    passed, failed = proof.answer_events(
        project,
        tag,
        rie_bin,
        env={**CLASS_LOAD_LOG, "JAVA_ARCHIVE": "/foreign.archive"},
        volumes=[f"{foreign}:/foreign.archive:ro"],
    )
    output = "".join(capfd.readouterr())
    assert (passed, failed) == (event_count(project), 0)
    assert f"{RIC_MAIN} source: shared objects file" not in output
