"""cookiecutter.json is the single source of truth: the choices, prompts and catalogue agree."""

import datetime

from conftest import CATALOGUE, CONFIG, OFFERED, REPO
from lambda_container import template

REQUIRED_FIELDS = {
    "language",
    "version",
    "label",
    "aws_base_image",
    "build_image",
    "custom_base_image",
    "handler",
    "handler_format",
    "deprecation",
    "arm64_cross_build",
}


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


def test_every_catalogue_entry_has_every_field():
    for runtime, entry in CATALOGUE.items():
        assert set(entry) >= REQUIRED_FIELDS, runtime
        datetime.date.fromisoformat(entry["deprecation"])


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
