"""cookiecutter.json is the single source of truth: the choices, prompts and catalogue agree.

The catalogue is normalised: `_languages` holds what every runtime of a language shares, `_runtimes` what
is each runtime's own, so a new version of a language is one entry in `_runtimes`.
"""

import copy
import datetime
import json
import shutil

from cookiecutter.main import cookiecutter

from helpers import CATALOGUE, CONFIG, LANGUAGES, OFFERED, REPO
from lambda_container import template

RUNTIME_FIELDS = {"language", "version", "label", "aws_base_image", "build_image", "custom_base_image", "deprecation"}
LANGUAGE_FIELDS = {"name", "dependabot_ecosystem", "handler", "handler_format"}
TEMPLATE_PARTS = ("cookiecutter.json", "hooks", "templates", "{{cookiecutter.project_slug}}")


# The day the runtime choices were last checked against the deprecation dates: a fixed day, so that no test
# fails by the calendar. Move it forward when a runtime deprecated by then leaves the choices.
CHOICES_CHECKED_ON = "2026-11-29"


def rules():
    return template.rules()


def test_runtime_choices_are_exactly_the_runtimes_offered_on_the_day_they_were_checked():
    assert rules().offered_runtimes(CATALOGUE, CHOICES_CHECKED_ON) == OFFERED


def test_default_runtime_is_the_newest_python():
    pythons = [rid for rid in OFFERED if CATALOGUE[rid]["language"] == "python"]
    newest = max(pythons, key=lambda rid: tuple(map(int, CATALOGUE[rid]["version"].split("."))))
    assert OFFERED[0] == newest


def test_every_runtime_has_its_own_fields_and_names_a_language_of_the_catalogue():
    for runtime, entry in CATALOGUE.items():
        assert set(entry) >= RUNTIME_FIELDS, runtime
        assert entry["language"] in LANGUAGES, runtime
        datetime.date.fromisoformat(entry["deprecation"])


def test_every_language_has_the_facts_its_runtimes_share_and_no_runtime_repeats_one():
    for language, facts in LANGUAGES.items():
        assert set(facts) >= LANGUAGE_FIELDS, language
    shared = set().union(*LANGUAGES.values())
    for runtime, entry in CATALOGUE.items():
        assert not shared & set(entry), f"{runtime} repeats what _languages holds: {sorted(shared & set(entry))}"


def test_every_offered_runtime_has_a_prompt_label_and_a_language_layer():
    labels = CONFIG["__prompts__"]["runtime"]
    for runtime in OFFERED:
        assert runtime in labels
        layer = REPO / "{{cookiecutter.project_slug}}" / "_layers" / CATALOGUE[runtime]["language"]
        assert (layer / "Dockerfile").is_file(), layer


def test_every_variable_has_a_prompt():
    for key in CONFIG:
        if not key.startswith("_"):
            assert key in CONFIG["__prompts__"], key


def test_deprecated_runtime_is_refused_with_its_date_and_a_replacement():
    problem = rules().check_runtime("dotnet8", CATALOGUE, "2026-11-28")
    assert problem == "runtime 'dotnet8' was deprecated on 2026-11-10: choose dotnet10 instead."


def test_a_runtime_becomes_unavailable_on_its_deprecation_date():
    assert "nodejs22.x" in rules().offered_runtimes(CATALOGUE, "2027-04-29")
    assert "nodejs22.x" not in rules().offered_runtimes(CATALOGUE, "2027-04-30")


def with_runtime(destination, runtime, entry, label):
    """A copy of the template with one more runtime: its catalogue entry, its choice and its prompt."""
    destination.mkdir()
    for part in TEMPLATE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    config = copy.deepcopy(CONFIG)
    config["_runtimes"][runtime] = entry
    config["runtime"].insert(0, runtime)
    config["__prompts__"]["runtime"][runtime] = label
    (destination / "cookiecutter.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return destination


def test_a_new_version_of_a_language_is_one_catalogue_entry(tmp_path):
    # The step docs/CONTRIBUTING-RUNTIMES.md shows: python3.15 is python3.14's entry with its own version,
    # images and date; the handler, client and layers come from the language.
    entry = {
        **CATALOGUE["python3.14"],
        "version": "3.15",
        "label": "Python 3.15",
        "aws_base_image": "public.ecr.aws/lambda/python:3.15",
        "build_image": "public.ecr.aws/docker/library/python:3.15-slim",
        "custom_base_image": "public.ecr.aws/docker/library/python:3.15-slim",
        "deprecation": "2030-06-30",
    }
    copied = with_runtime(tmp_path / "template", "python3.15", entry, "Python 3.15")
    for base_image in ("aws", "custom"):
        project = cookiecutter(
            str(copied),
            no_input=True,
            extra_context={"runtime": "python3.15", "base_image": base_image},
            output_dir=str(tmp_path / base_image),
        )
        settings = json.loads((tmp_path / base_image / "hello-lambda" / "lambda.json").read_text())
        assert settings["runtime"] == "python3.15" and settings["handler"] == LANGUAGES["python"]["handler"], project
        dockerfile = (tmp_path / base_image / "hello-lambda" / "Dockerfile").read_text()
        assert entry[f"{base_image}_base_image"] in dockerfile
        assert "python:3.14" not in dockerfile
        workflow = (tmp_path / base_image / "hello-lambda" / ".github" / "workflows" / "ci.yml").read_text()
        assert 'python-version: "3.15"' in workflow


def test_the_dotnet_project_name_is_derived_in_one_place():
    # cookiecutter renders the private variable __dotnet_name (the slug in PascalCase) once; files and
    # paths name it instead of repeating the expression.
    expression = ".title().replace("
    assert expression in CONFIG["__dotnet_name"]
    repeated = [
        path.relative_to(REPO).as_posix()
        for part in TEMPLATE_PARTS[1:]
        for path in [REPO / part, *(REPO / part).rglob("*")]
        if expression in path.name
        or (path.is_file() and expression in path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert repeated == []
