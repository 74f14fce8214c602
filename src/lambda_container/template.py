"""Where the template lives, what cookiecutter.json says, and the hook's validation rules.

Installed, the template ships inside the package (template/); in a source checkout it is the repository
root. The validators are imported from hooks/pre_gen_project.py itself, so the wizard and the
pre-generation hook cannot disagree.
"""
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from cookiecutter.environment import StrictEnvironment

PACKAGED = Path(__file__).resolve().parent / "template"
SOURCE_CHECKOUT = Path(__file__).resolve().parent.parent.parent


def template_dir():
    return PACKAGED if (PACKAGED / "cookiecutter.json").is_file() else SOURCE_CHECKOUT


@lru_cache(maxsize=1)
def config():
    """cookiecutter.json, in its own key order."""
    return json.loads((template_dir() / "cookiecutter.json").read_text(encoding="utf-8"))


def catalogue():
    return config()["_runtimes"]


def variables():
    """The user-facing variables, in prompt order, with their raw defaults."""
    return {key: value for key, value in config().items() if not key.startswith("_")}


def prompt_text(key):
    prompt = config().get("__prompts__", {}).get(key, key)
    return prompt["__prompt__"] if isinstance(prompt, dict) else prompt


def choice_label(key, choice):
    prompt = config().get("__prompts__", {}).get(key)
    return prompt.get(choice, choice) if isinstance(prompt, dict) else choice


def variants():
    """Every offered runtime x base image x architecture, and each flavour (e.g. node_language) it has."""
    found = []
    for runtime in variables()["runtime"]:
        flavour = catalogue()[runtime].get("flavour_variable")
        for flavour_value in variables()[flavour] if flavour else [None]:
            for base in variables()["base_image"]:
                for arch in variables()["architecture"]:
                    answers = {"runtime": runtime, "base_image": base, "architecture": arch}
                    if flavour:
                        answers[flavour] = flavour_value
                    found.append(answers)
    return found


@lru_cache(maxsize=1)
def rules():
    """hooks/pre_gen_project.py as a module: FIELD_CHECKS, problems(), offered_runtimes()..."""
    path = template_dir() / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("lambda_container_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def derived_default(key, answers):
    """Render a default such as project_slug's Jinja expression with the answers given so far.

    cookiecutter's own environment, so its filters (slugify) derive the same names as plain cookiecutter.
    Answers are validated before this runs, and rendering output is never rendered again.
    """
    raw = variables()[key]
    if not isinstance(raw, str):
        return raw
    return StrictEnvironment(context={"cookiecutter": config()}).from_string(raw).render(cookiecutter=answers)
