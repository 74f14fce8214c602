"""Names a person would type: every project_name gives valid derived names, or one line naming project_name.

Each name goes through plain cookiecutter, `lambda-container new --no-input` and the interactive wizard.
"""

import json

import pytest
from cookiecutter.exceptions import FailedHookException
from jinja2 import TemplateSyntaxError
from test_wizard import drive, wizard_keys

from helpers import bake
from lambda_container import cli, template

DERIVED = ("project_slug", "ecr_repository", "function_name")

# project_name -> the directory it derives; every derived name must also pass the hook's own rules.
GOOD_NAMES = {
    "Café Orders API!": "cafe-orders-api",
    "3D Renderer": "lambda-3d-renderer",  # a directory name starts with a letter
    "東京 Orders": "dong-jing-orders",  # transliterated
    "  Rocket 🚀  Launcher  ": "rocket-launcher",  # emoji dropped, separators collapsed
    "MiXeD Case__with--Underscores": "mixed-case-with-underscores",
    "Straße Ärger": "strasse-arger",
    "Q": "lambda-q",  # ECR wants two characters at least
    ("Quarterly Revenue Reconciliation " * 4)[:100]:  # cut at a word, within 63 characters
    "quarterly-revenue-reconciliation-quarterly-revenue",
}
NO_LETTERS = ["", "   ", "🚀🚀", "!!! ???"]
NO_LETTERS_MESSAGE = "has no letters or digits to name the project after: give a name such as 'Orders API'."


def derived_names(project):
    """The three derived names as the generated project records them (the slug is its directory)."""
    settings = json.loads((project / "lambda.json").read_text())
    return {
        "project_slug": project.name,
        "ecr_repository": settings["ecr_repository"],
        "function_name": settings["function_name"],
    }


def assert_valid(names):
    problems = [template.rules().FIELD_CHECKS[key](value) for key, value in names.items()]
    assert [problem for problem in problems if problem] == []


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_plain_cookiecutter_derives_valid_names(tmp_path, name):
    names = derived_names(bake(tmp_path, project_name=name))
    assert names == dict.fromkeys(DERIVED, GOOD_NAMES[name])
    assert_valid(names)


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_no_input_derives_the_same_names(tmp_path, name):
    assert cli.main(["new", str(tmp_path), "--no-input", "--set", f"project_name={name}"]) == 0
    names = derived_names(tmp_path / GOOD_NAMES[name])
    assert names == dict.fromkeys(DERIVED, GOOD_NAMES[name])


@pytest.mark.parametrize("name", ["Café Orders API!", "3D Renderer", "🚀 東京"])
def test_wizard_offers_the_derived_names_and_generates_them(tmp_path, name):
    expected = GOOD_NAMES.get(name, "dong-jing")
    assert drive(wizard_keys(project_name=(name,)), ["new", str(tmp_path)]) == 0
    assert derived_names(tmp_path / expected) == dict.fromkeys(DERIVED, expected)


@pytest.mark.parametrize("name", NO_LETTERS)
def test_plain_cookiecutter_refuses_a_name_without_letters_in_one_line(tmp_path, capfd, name):
    with pytest.raises(FailedHookException):
        bake(tmp_path, project_name=name)
    ours = [line for line in capfd.readouterr().err.splitlines() if line.startswith("lambda-container:")]
    assert ours == [f"lambda-container: project_name {name!r} {NO_LETTERS_MESSAGE}"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", NO_LETTERS)
def test_no_input_refuses_a_name_without_letters_in_one_line(tmp_path, capsys, name):
    assert cli.main(["new", str(tmp_path / "out"), "--no-input", "--set", f"project_name={name}"]) == 2
    assert capsys.readouterr().err == f"lambda-container: project_name {name!r} {NO_LETTERS_MESSAGE}\n"
    assert not (tmp_path / "out").exists()


def test_wizard_refuses_a_name_without_letters_until_one_has_them(tmp_path):
    assert drive(wizard_keys(project_name=("🚀🚀", "", "Orders")), ["new", str(tmp_path)]) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["orders"]


@pytest.mark.parametrize(
    "key, value", [("project_slug", "café"), ("function_name", "Café-API"), ("ecr_repository", "Café")]
)
def test_an_explicit_answer_is_validated_never_rewritten(tmp_path, capsys, key, value):
    assert cli.main(["new", str(tmp_path), "--no-input", "--set", f"{key}={value}"]) == 2
    assert f"{key} {value!r}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_wizard_derives_the_other_names_from_a_typed_slug(tmp_path):
    keys = wizard_keys(project_name=("Café Orders",), project_slug=("Bad_Slug", "orders-v2"))
    assert drive(keys, ["new", str(tmp_path)]) == 0
    assert derived_names(tmp_path / "orders-v2") == dict.fromkeys(DERIVED, "orders-v2")


# Slugs that are not one plain directory name: a path, the output directory itself, its parent.
PATH_SLUGS = ["", ".", "..", "a/b", "../outside", "/absolute", "{{"]
# Plain cookiecutter creates the directory `{{cookiecutter.project_slug}}` before the hook runs, so these
# either stop it first ("directory already exists") or leave a parent directory behind.
BEFORE_THE_HOOK = pytest.mark.xfail(strict=True, reason="the template directory is named by the raw slug")


@pytest.mark.parametrize("slug", PATH_SLUGS)
def test_no_input_refuses_a_slug_that_is_a_path_in_one_line(tmp_path, capsys, slug):
    assert cli.main(["new", str(tmp_path / "out"), "--no-input", "--project-slug", slug]) == 2
    assert capsys.readouterr().err.startswith(f"lambda-container: project_slug {slug!r} is not a valid")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "slug", [*(pytest.param(slug, marks=BEFORE_THE_HOOK) for slug in ("", ".", "..", "a/b")), "../outside", "ABSOLUTE"]
)
def test_plain_cookiecutter_refuses_a_slug_that_is_a_path_and_leaves_nothing(tmp_path, capfd, slug):
    slug = slug.replace("ABSOLUTE", str(tmp_path / "absolute"))  # an absolute path this test may write
    output = tmp_path / "out"
    output.mkdir()
    with pytest.raises(FailedHookException):
        bake(output, project_slug=slug)
    assert f"lambda-container: project_slug {slug!r} is not a valid" in capfd.readouterr().err
    assert [path.name for path in tmp_path.rglob("*")] == ["out"]


def test_plain_cookiecutter_renders_answers_as_jinja_so_it_refuses_template_syntax_itself(tmp_path):
    # cookiecutter renders every answer as a template before any hook runs; at least nothing is written.
    with pytest.raises(TemplateSyntaxError):
        bake(tmp_path, project_slug="{{")
    assert list(tmp_path.iterdir()) == []
