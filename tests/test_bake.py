"""Every variant in the catalogue bakes, renders completely and lints clean."""

import json
import re

import pytest

from helpers import CATALOGUE, REPO, Dockerfile, all_variants, language_of, lint_once, runtimes_of, variant_id
from lambda_container.template import trigger_variants

PYTHON_VARIANTS = [
    answers for answers in all_variants() + trigger_variants() if CATALOGUE[answers["runtime"]]["language"] == "python"
]
LEFTOVER_JINJA = re.compile(r"\{\{|\{%|\{#|cookiecutter\.")
LANGUAGE_LAYER = (
    "Dockerfile",
    "runtime.mk",
    "emulator.json",
    "README.md",
    "Makefile",
    "lambda.json",
    "scripts/emulator_test.py",
    "scripts/build-image.sh",
    "scripts/fetch-rie.sh",
)


@pytest.fixture(scope="module", params=all_variants() + trigger_variants(), ids=variant_id)
def baked(request, cookies_session):
    result = cookies_session.bake(extra_context=request.param)
    assert result.exit_code == 0, result.exception
    return request.param, result.project_path


def text_files(project):
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue


def test_variant_has_every_file_the_harness_and_makefile_need(baked):
    _, project = baked
    missing = [name for name in LANGUAGE_LAYER if not (project / name).is_file()]
    assert not missing
    assert not (project / "_layers").exists()


def test_variant_leaves_no_template_syntax_behind(baked):
    _, project = baked
    leftovers = [
        str(path.relative_to(project))
        for path, text in text_files(project)
        if LEFTOVER_JINJA.search(text) and not path.match(".github/workflows/*")
    ]
    assert leftovers == []


def test_variant_json_files_parse_and_name_the_catalogue_handler(baked):
    answers, project = baked
    settings = json.loads((project / "lambda.json").read_text())
    assert settings["runtime"] == answers["runtime"]
    handler = language_of(answers["runtime"])["handler"]
    # {Project} in a catalogue handler stands for the assembly, named after the project (default "Hello Lambda").
    assert settings["handler"] == handler.replace("{Project}", "HelloLambda")
    for path in project.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("project_name", "handler"),
    [
        ("Hello Lambda", "HelloLambda::HelloLambda.Function::FunctionHandler"),
        ("orders-api", "OrdersApi::OrdersApi.Function::FunctionHandler"),
        ("2fa service", "Lambda2FaService::Lambda2FaService.Function::FunctionHandler"),
        ("Café Crème v2", "CafeCremeV2::CafeCremeV2.Function::FunctionHandler"),
    ],
)
def test_dotnet_handler_names_the_assembly_the_project_name_gives(project_name, handler, cookies):
    result = cookies.bake(extra_context={"runtime": runtimes_of("dotnet")[0], "project_name": project_name})
    assert result.exit_code == 0, result.exception
    project = result.project_path
    assert json.loads((project / "lambda.json").read_text())["handler"] == handler
    assembly = handler.split("::")[0]
    assert (project / "src" / assembly / f"{assembly}.csproj").is_file()


def test_variant_dockerfile_ends_with_a_one_element_exec_cmd(baked):
    _, project = baked
    cmds = re.findall(r"^CMD (.+)$", (project / "Dockerfile").read_text(), re.MULTILINE)
    assert cmds, "the final stage needs a CMD"
    assert len(json.loads(cmds[-1])) == 1


# An image reference Dependabot's docker ecosystem can read and bump: registry/name:tag (a digest may follow),
# written out, with no build argument in it.
LITERAL_IMAGE = re.compile(r"[a-z0-9][a-z0-9._-]*(:\d+)?(/[a-z0-9][a-z0-9._-]*)*:\w[\w.-]*(@sha256:[0-9a-f]{64})?")


def test_variant_dockerfile_names_every_image_literally_so_dependabot_can_bump_it(baked):
    _, project = baked
    stages = Dockerfile.of(project).stages
    earlier: list[str] = []
    for stage in stages:
        assert "$" not in stage.image, f"FROM {stage.header}: the image must be written out, not an ARG"
        assert stage.image in earlier or stage.image == "scratch" or LITERAL_IMAGE.fullmatch(stage.image), (
            f"FROM {stage.header}: not a literal image:tag, an earlier stage or scratch"
        )
        assert stage.platform in (None, "$BUILDPLATFORM"), f"FROM {stage.header}"
        if stage.name:
            earlier.append(stage.name)


def test_variant_dockerfile_is_hadolint_clean(baked):
    _, project = baked
    result = lint_once(["hadolint"], [project / "Dockerfile"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_variant_shell_scripts_are_shellcheck_clean(baked):
    _, project = baked
    result = lint_once(["shellcheck", "--severity=style"], sorted(project.rglob("*.sh")))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("answers", PYTHON_VARIANTS, ids=variant_id)
def test_python_variant_is_ruff_clean_under_its_own_configuration(answers, cookies_session):
    result = cookies_session.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    project = result.project_path
    sources = sorted([*project.glob("src/**/*.py"), *project.glob("tests/**/*.py")])
    configuration = (project / "pyproject.toml").read_text()
    assert "[tool.ruff" in configuration, "the generated project carries its own ruff configuration"
    for command in (["ruff", "check", "--no-cache"], ["ruff", "format", "--check", "--no-cache"]):
        linted = lint_once(command, sources, context=configuration)
        assert linted.returncode == 0, linted.stdout + linted.stderr


def test_shared_python_scripts_are_ruff_clean_for_the_oldest_python_they_run_on():
    """scripts/*.py (emulator harness, local server, deploy helper) run on the developer's python3, 3.10 or
    newer, whatever the function's language; they hold no template syntax, so they are linted as they are."""
    scripts = sorted((REPO / "{{cookiecutter.project_slug}}" / "scripts").glob("*.py"))
    settings = ["--no-cache", "--config", "line-length=120", "--config", 'target-version="py310"']
    rules = ["--config", 'lint.select=["E", "F", "W", "I", "B", "UP", "SIM"]']
    for command in (["ruff", "check", *settings, *rules], ["ruff", "format", "--check", *settings]):
        result = lint_once(command, scripts)
        assert result.returncode == 0, result.stdout + result.stderr
