"""Optional extras: the SAM template, GitHub Actions CI with Dependabot, and updates through cruft.

Every runtime is baked on both architectures once per test run with both extras on (shared by the
pytest-xdist workers), then linted in one call per linter and read property by property.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib
from pathlib import Path

import pytest
import yaml
from cookiecutter.main import cookiecutter

from helpers import (
    CATALOGUE,
    CONFIG,
    OFFERED,
    REPO,
    bake,
    cached_build,
    edited_copy,
    language_of,
    recording_cli,
    require_tool,
    run,
    variant_id,
)

SLUG_DIR = "{{cookiecutter.project_slug}}"
TEMPLATE_PARTS = ("cookiecutter.json", "hooks", "templates", SLUG_DIR)
# Every runtime on both architectures, one of them on each base image, alternating from runtime to runtime:
# every (base image, architecture) pair is covered, in half the bakes of the full product.
VARIANTS = [
    {"runtime": runtime, "base_image": CONFIG["base_image"][(i + j) % 2], "architecture": arch}
    for i, runtime in enumerate(OFFERED)
    for j, arch in enumerate(CONFIG["architecture"])
]
RUNNER = {"x86_64": "ubuntu-24.04", "arm64": "ubuntu-24.04-arm"}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d[\w.]*$")
# Files in a Dependabot directory that show the ecosystem has something to update there.
MANIFESTS = {
    "pip": ["requirements.txt", "pyproject.toml"],
    "npm": ["package.json"],
    "maven": ["pom.xml"],
    "nuget": ["*.sln", "*.csproj"],
    "gomod": ["go.mod"],
    "bundler": ["Gemfile"],
    "docker": ["Dockerfile"],
    "github-actions": [".github/workflows/*.yml"],
}
YAMLLINT_CONFIG = (
    "{extends: default, rules: {line-length: {max: 120}, document-start: disable, "
    "truthy: {check-keys: false}, comments: {min-spaces-from-content: 1}}}"
)


def tool(name):
    """A linter installed beside the Python running the tests (the venv of `make test`), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else require_tool(name)


def template_digest():
    """Changes whenever a template file does, so a cached bake never outlives the template it came from."""
    digest = hashlib.sha256()
    for part in TEMPLATE_PARTS:
        root = REPO / part
        for path in sorted(root.rglob("*") if root.is_dir() else [root]):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def extras_projects():
    """{variant name: (answers, project)} for every variant, baked with the SAM template and GitHub CI."""

    def bake_all(target):
        for answers in VARIANTS:
            bake(target / variant_id(answers), include_sam="yes", ci="github", **answers)

    root = cached_build(f"extras-{template_digest()}", bake_all)
    return {variant_id(a): (a, root / variant_id(a) / "hello-lambda") for a in VARIANTS}


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short-form tags (!Ref, !GetAtt...) as {"Ref": ...} / {"Fn::GetAtt": ...}."""


CloudFormationLoader.add_multi_constructor(
    "!", lambda loader, tag, node: {("Ref" if tag == "Ref" else f"Fn::{tag}"): loader.construct_scalar(node)}
)


def sam_template(project):
    return yaml.load((project / "template.yaml").read_text(), Loader=CloudFormationLoader)


def workflow(project):
    return yaml.safe_load((project / ".github/workflows/ci.yml").read_text())


def step_index(steps, predicate):
    return next(i for i, step in enumerate(steps) if predicate(step))


def runs(command):
    return lambda step: step.get("run", "").strip() == command


# ---- the options -------------------------------------------------------------------------------------


def test_extras_are_choices_whose_first_entry_is_the_default_a_typical_user_wants():
    assert CONFIG["include_sam"] == ["no", "yes"]
    assert CONFIG["ci"] == ["github", "none"]
    for key in ("include_sam", "ci"):
        prompt = CONFIG["__prompts__"][key]
        assert prompt["__prompt__"] and all(prompt[choice] for choice in CONFIG[key])
    keys = list(CONFIG)
    assert keys.index("function_name") < keys.index("include_sam") < keys.index("ci") < keys.index("__prompts__")


def test_extras_left_out_leave_no_file_and_no_readme_section(tmp_path):
    project = bake(tmp_path, include_sam="no", ci="none")
    assert not (project / "template.yaml").exists()
    assert not (project / "samconfig.toml").exists()
    assert not (project / ".github").exists()
    readme = (project / "README.md").read_text()
    assert "## AWS SAM" not in readme and "## Continuous integration" not in readme
    assert "## Keeping the project current" in readme


def test_default_project_has_github_ci_and_no_sam_template(tmp_path):
    project = bake(tmp_path)
    assert (project / ".github/workflows/ci.yml").is_file() and (project / ".github/dependabot.yml").is_file()
    assert not (project / "template.yaml").exists()


def test_extras_render_without_leftover_template_syntax(extras_projects):
    leftovers = []
    for name, (_, project) in extras_projects.items():
        for path in [
            project / "template.yaml",
            project / "samconfig.toml",
            project / "README.md",
            *sorted((project / ".github").rglob("*.yml")),
        ]:
            text = re.sub(r"\$\{\{.*?\}\}", "", path.read_text())  # GitHub's own expressions
            if re.search(r"\{\{|\{%|\{#|cookiecutter\.", text):
                leftovers.append(f"{name}/{path.relative_to(project)}")
    assert leftovers == []


# ---- SAM -----------------------------------------------------------------------------------------------


def test_sam_template_of_every_variant_passes_cfn_lint(extras_projects):
    cfn_lint = tool("cfn-lint")
    templates = [str(project / "template.yaml") for _, project in extras_projects.values()]
    result = subprocess.run([cfn_lint, "--", *templates], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_template_declares_an_image_function_with_the_projects_settings(extras_projects):
    for answers, project in extras_projects.values():
        settings = json.loads((project / "lambda.json").read_text())
        function = sam_template(project)["Resources"]["Function"]
        assert function["Type"] == "AWS::Serverless::Function"
        # What invokes the function (Events, FunctionUrlConfig) is the trigger's: tested below.
        properties = {
            key: value for key, value in function["Properties"].items() if key not in ("Events", "FunctionUrlConfig")
        }
        assert properties == {
            "FunctionName": settings["function_name"],
            "PackageType": "Image",
            "Architectures": [answers["architecture"]],
            "MemorySize": settings["memory_size"],
            "Timeout": settings["timeout"],
            # As scripts/deploy.sh configures the function, and the emulator test runs it.
            "LoggingConfig": {
                "LogFormat": "JSON",
                "ApplicationLogLevel": settings["log_level"],
                "SystemLogLevel": "INFO",
            },
            "AutoPublishAlias": "live",
        }
        metadata = function["Metadata"]
        assert (project / metadata["DockerContext"] / metadata["Dockerfile"]).is_file()
        assert metadata["DockerTag"] == answers["runtime"]


@pytest.fixture(scope="module")
def trigger_projects(tmp_path_factory):
    """{trigger: project} baked with the SAM template, one per trigger (the wiring depends on nothing else)."""
    root = tmp_path_factory.mktemp("triggers")
    return {
        trigger: bake(root / trigger, include_sam="yes", trigger=trigger, timeout="45") for trigger in CONFIG["trigger"]
    }


def test_sam_template_of_every_trigger_passes_cfn_lint(trigger_projects):
    templates = [str(project / "template.yaml") for project in trigger_projects.values()]
    result = subprocess.run([tool("cfn-lint"), "--", *templates], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_template_wires_what_invokes_the_function(trigger_projects):
    def wiring(trigger):
        template = sam_template(trigger_projects[trigger])
        properties = template["Resources"]["Function"]["Properties"]
        return template["Resources"], properties.get("Events", {}), properties.get("FunctionUrlConfig")

    resources, events, url = wiring("http")
    assert events["HttpApi"]["Type"] == "HttpApi" and events["HttpApi"]["Properties"]["Method"] == "ANY"
    assert url == {"AuthType": "AWS_IAM"}, "the function URL needs signed requests unless made public"

    resources, events, url = wiring("sqs")
    queue = events["Queue"]["Properties"]
    assert queue["FunctionResponseTypes"] == ["ReportBatchItemFailures"], (
        "partial batch responses are ignored without it"
    )
    assert resources["Queue"]["Properties"]["VisibilityTimeout"] >= 6 * 45
    assert "deadLetterTargetArn" in resources["Queue"]["Properties"]["RedrivePolicy"] and url is None

    resources, events, url = wiring("s3")
    assert events["Upload"]["Properties"]["Events"] == "s3:ObjectCreated:*" and "Bucket" in resources

    resources, events, url = wiring("schedule")
    assert events["Hourly"]["Type"] == "Schedule" and url is None

    resources, events, url = wiring("direct")
    assert events == {} and url is None and list(resources) == ["Function"]


def test_samconfig_deploys_the_project_stack_and_builds_with_buildkit(extras_projects):
    for _, project in extras_projects.values():
        settings = json.loads((project / "lambda.json").read_text())
        config = tomllib.loads((project / "samconfig.toml").read_text())["default"]
        assert config["global"]["parameters"] == {"stack_name": "hello-lambda", "region": settings["aws_region"]}
        # The Dockerfiles' build stages use BuildKit's platform arguments; SAM's default builder has none.
        assert config["build"]["parameters"]["use_buildkit"] is True
        assert config["deploy"]["parameters"]["resolve_image_repos"] is True


def test_user_text_reaches_the_sam_template_only_as_an_escaped_string(tmp_path):
    description = 'Say "hi": it\'s #1 & <ok>'
    project = bake(tmp_path, description=description, include_sam="yes")
    assert sam_template(project)["Description"] == description


# ---- GitHub Actions and Dependabot -------------------------------------------------------------------


def test_workflows_and_dependabot_config_match_githubs_schemas(extras_projects):
    checker = tool("check-jsonschema")
    projects = [project for _, project in extras_projects.values()]
    for schema, name in (
        ("vendor.github-workflows", ".github/workflows/ci.yml"),
        ("vendor.dependabot", ".github/dependabot.yml"),
    ):
        result = subprocess.run(
            [checker, "--builtin-schema", schema, *(str(p / name) for p in projects)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_extras_yaml_passes_yamllint(extras_projects):
    yamllint = tool("yamllint")
    files = [
        str(path)
        for _, project in extras_projects.values()
        for path in [project / "template.yaml", *sorted((project / ".github").rglob("*.yml"))]
    ]
    result = subprocess.run([yamllint, "--strict", "-d", YAMLLINT_CONFIG, *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_have_no_zizmor_findings_even_pedantic_ones(extras_projects):
    zizmor = tool("zizmor")
    projects = [str(project) for _, project in extras_projects.values()]
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--persona=pedantic", *projects], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_sha_with_its_version_beside_it(extras_projects):
    for _, project in extras_projects.values():
        lines = (project / ".github/workflows/ci.yml").read_text().splitlines()
        uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
        assert uses and all(PINNED.match(ref) for ref in uses), uses


def test_workflow_grants_each_job_only_the_permissions_it_needs(extras_projects):
    for _, project in extras_projects.values():
        flow = workflow(project)
        assert flow["permissions"] == {}
        assert flow["jobs"]["test"]["permissions"] == {"contents": "read"}
        assert flow["jobs"]["deploy"]["permissions"] == {"contents": "read", "id-token": "write"}
        for job in flow["jobs"].values():
            checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
            assert checkout["with"]["persist-credentials"] is False


def test_workflow_runs_one_at_a_time_per_branch_and_never_cancels_a_deploy_on_main(extras_projects):
    for _, project in extras_projects.values():
        concurrency = workflow(project)["concurrency"]
        assert "${{ github.ref }}" in concurrency["group"]
        assert concurrency["cancel-in-progress"] == "${{ github.ref != 'refs/heads/main' }}"


def test_test_job_runs_unit_tests_then_the_emulator_test_in_container_mode_with_docker(extras_projects):
    for answers, project in extras_projects.values():
        steps = workflow(project)["jobs"]["test"]["steps"]
        unit, build, emulate = (step_index(steps, runs(c)) for c in ("make test", "make build", "make emulator-test"))
        assert unit < build < emulate
        assert steps[emulate]["env"] == {"EMULATOR_MODE": "container", "CONTAINER_CLI": "docker"}
        assert steps[build]["env"] == {"CONTAINER_CLI": "docker"}
        fetches_rie = any(runs("make rie")(step) for step in steps[:emulate])
        assert fetches_rie == (answers["base_image"] == "custom")


def build_step_calls(project, tmp_path):
    """The container CLI calls the test job's build step makes, run with its own env on a copy of the project,
    `docker` being a stand-in on PATH that records each call's arguments (one line each) and succeeds."""
    step = next(s for s in workflow(project)["jobs"]["test"]["steps"] if runs("make build")(s))
    copy = shutil.copytree(project, tmp_path / "project", symlinks=True)
    path, record = recording_cli(tmp_path / "bin")
    result = run(["sh", "-c", step["run"]], copy, env={**step.get("env", {}), "PATH": path})
    assert result.returncode == 0, result.stdout + result.stderr
    return record.read_text().splitlines()


def built_platforms(calls):
    """The --platform of each build call (buildx or not) among the recorded calls, with its build context."""
    found = []
    for call in calls:
        words = call.split()
        if "build" in words[:2]:
            found.append((words[words.index("--platform") + 1] if "--platform" in words else None, words[-1]))
    return found


PLATFORM = {"x86_64": "linux/amd64", "arm64": "linux/arm64"}


def test_test_jobs_build_step_builds_one_image_for_the_functions_architecture(extras_projects, tmp_path):
    for name, (answers, project) in extras_projects.items():
        calls = build_step_calls(project, tmp_path / name)
        assert built_platforms(calls) == [(PLATFORM[answers["architecture"]], ".")], calls


def test_build_step_check_fails_when_the_script_builds_for_another_platform(extras_projects, tmp_path):
    project = next(p for a, p in extras_projects.values() if a["architecture"] == "arm64")
    broken = edited_copy(project, tmp_path / "broken", "scripts/build-image.sh", "linux/arm64", "linux/amd64")
    assert built_platforms(build_step_calls(broken, tmp_path / "run")) == [("linux/amd64", ".")]


def test_test_job_builds_on_the_functions_architecture_so_nothing_runs_under_qemu(extras_projects):
    for answers, project in extras_projects.values():
        flow = workflow(project)
        assert flow["jobs"]["test"]["runs-on"] == RUNNER[answers["architecture"]]
        steps = [step for job in flow["jobs"].values() for step in job["steps"]]
        assert not [step for step in steps if re.search(r"qemu|binfmt", json.dumps(step), re.IGNORECASE)]


def test_test_job_installs_the_runtimes_own_language_version(extras_projects):
    for answers, project in extras_projects.values():
        version = CATALOGUE[answers["runtime"]]["version"]
        steps = workflow(project)["jobs"]["test"]["steps"]
        setup = steps[1]
        assert "/setup-" in setup["uses"]
        assert any(str(value).startswith(version) for value in setup["with"].values()), setup


def test_deploy_job_assumes_a_role_through_oidc_and_deploys_the_image_the_test_job_built(extras_projects):
    for _, project in extras_projects.values():
        flow = workflow(project)
        settings = json.loads((project / "lambda.json").read_text())
        test, deploy = flow["jobs"]["test"], flow["jobs"]["deploy"]
        assert deploy["needs"] == "test"
        assert "github.ref == 'refs/heads/main'" in deploy["if"] and "github.event_name == 'push'" in deploy["if"]
        assert flow["env"]["IMAGE"] == "hello-lambda:${{ github.sha }}"
        # The test job saves the image it tested under $IMAGE; the deploy job loads exactly that file.
        save = test["steps"][step_index(test["steps"], lambda s: "docker save" in s.get("run", ""))]
        upload = next(s for s in test["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
        assert save["run"] == 'docker save --output "$RUNNER_TEMP/image.tar" "$IMAGE"' and save["if"] == deploy["if"]
        assert upload["with"]["path"] == "${{ runner.temp }}/image.tar" and upload["if"] == deploy["if"]
        steps = deploy["steps"]
        download = next(s for s in steps if s.get("uses", "").startswith("actions/download-artifact@"))
        # Outside the work tree: deploy.sh tags the image with the commit, "-dirty" if the tree has changes.
        assert download["with"] == {"name": upload["with"]["name"], "path": "${{ runner.temp }}"}
        credentials = steps[step_index(steps, lambda s: "configure-aws-credentials@" in s.get("uses", ""))]
        assert credentials["with"] == {
            "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
            "aws-region": settings["aws_region"],
        }
        assert step_index(steps, runs('docker load --input "$RUNNER_TEMP/image.tar"')) < steps.index(credentials)
        assert steps[-1]["run"] == 'scripts/deploy.sh --image "$IMAGE"'
        text = (project / ".github/workflows/ci.yml").read_text()
        assert "aws-access-key-id" not in text and "secrets." not in text
        assert "--image REF" in (project / "scripts/deploy.sh").read_text()


def test_dependabot_updates_the_language_the_dockerfile_and_the_actions_where_they_live(extras_projects):
    for answers, project in extras_projects.values():
        config = yaml.safe_load((project / ".github/dependabot.yml").read_text())
        ecosystems = {update["package-ecosystem"]: update for update in config["updates"]}
        language = language_of(answers["runtime"])["dependabot_ecosystem"]
        assert set(ecosystems) == {language, "docker", "github-actions"}
        for name, update in ecosystems.items():
            for listed in update.get("directories") or [update["directory"]]:
                directory = project / listed.lstrip("/")
                assert any(any(directory.glob(pattern)) for pattern in MANIFESTS[name]), (answers, name, listed)
            assert update["schedule"]["interval"] == "weekly" and update["cooldown"]["default-days"] >= 7


# ---- hooks and cruft -----------------------------------------------------------------------------------


def project_files(project):
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }


def test_generating_again_over_a_project_gives_exactly_a_fresh_project(tmp_path):
    """The hooks run again on an existing project (cookiecutter --overwrite-if-exists) without harm."""

    def generate(output, **answers):
        return Path(
            cookiecutter(
                str(REPO), no_input=True, output_dir=str(output), overwrite_if_exists=True, extra_context=answers
            )
        )

    again = generate(tmp_path / "again", include_sam="yes", ci="github")
    again = generate(tmp_path / "again", include_sam="no", ci="none")
    fresh = generate(tmp_path / "fresh", include_sam="no", ci="none")
    assert project_files(again) == project_files(fresh)


def test_no_absolute_local_path_lands_in_a_generated_project(extras_projects):
    """The template's location and the output directory (both under REPO here) appear in no generated file."""
    leaks = [
        f"{variant}/{name}"
        for variant, (_, project) in extras_projects.items()
        for name, data in project_files(project).items()
        if str(REPO).encode() in data
    ]
    assert leaks == []


def git(*args, cwd):
    result = run(
        ["git", "-c", "user.name=lambda-container tests", "-c", "user.email=tests@example.invalid", *args], cwd
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def template_repository(tmp_path):
    """A git repository of the template as it stands in this checkout, on branch main."""
    repository = tmp_path / "template"
    repository.mkdir()
    for part in TEMPLATE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, repository / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repository / part)
    git("init", "-q", "-b", "main", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "template", cwd=repository)
    return repository


@pytest.mark.slow
def test_cruft_creates_checks_and_updates_a_project_from_the_template_repository(template_repository, tmp_path):
    cruft = tool("cruft")
    runtime = "python3.13"
    created = run(
        [
            cruft,
            "create",
            "--no-input",
            "--output-dir",
            str(tmp_path / "out"),
            "--extra-context",
            json.dumps({"runtime": runtime, "include_sam": "yes"}),
            str(template_repository),
        ],
        tmp_path,
    )
    assert created.returncode == 0, created.stderr
    project = tmp_path / "out" / "hello-lambda"
    state = json.loads((project / ".cruft.json").read_text())
    assert state["context"]["cookiecutter"]["runtime"] == runtime
    assert not [key for key in state["context"]["cookiecutter"] if key in ("_output_dir", "_repo_dir")]
    assert not (project / "_layers").exists() and (project / "template.yaml").is_file()
    git("init", "-q", "-b", "main", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "generated", cwd=project)
    assert run([cruft, "check"], project).returncode == 0

    # The template moves on: a new base image tag in the catalogue and a new line in the README.
    catalogue_file = template_repository / "cookiecutter.json"
    old_image = CATALOGUE[runtime]["aws_base_image"]
    new_image = f"{old_image}.2099.01.01"
    catalogue_file.write_text(catalogue_file.read_text().replace(f'"{old_image}"', f'"{new_image}"'))
    readme = template_repository / SLUG_DIR / "README.md"
    readme.write_text(readme.read_text() + "\nA line the template added later.\n")
    git("commit", "-q", "-am", "newer base image", cwd=template_repository)

    assert run([cruft, "check"], project).returncode != 0
    updated = run([cruft, "update", "--skip-apply-ask"], project)
    assert updated.returncode == 0, updated.stderr
    assert f"\nFROM {new_image}\n" in (project / "Dockerfile").read_text()
    assert "A line the template added later." in (project / "README.md").read_text()
    assert (project / "template.yaml").is_file() and not (project / "_layers").exists()
    assert run([cruft, "check"], project).returncode == 0
