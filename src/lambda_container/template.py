"""Where the template lives, what cookiecutter.json says, and the hook's validation rules.

Installed, the template ships inside the package (template/); in a source checkout it is the repository
root. The validators are imported from hooks/pre_gen_project.py itself, so the wizard and the
pre-generation hook cannot disagree.
"""

import importlib.util
import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, cast

from cookiecutter.environment import StrictEnvironment

PACKAGED = Path(__file__).resolve().parent / "template"
SOURCE_CHECKOUT = Path(__file__).resolve().parent.parent.parent

# An answer is a choice or a text (a string) or a yes/no variable (a boolean).
Answer = str | bool
Answers = dict[str, Answer]
# A catalogue entry as cookiecutter.json writes it: JSON values (strings, booleans) keyed by field name.
CatalogueEntry = dict[str, Any]
Catalogue = dict[str, CatalogueEntry]


class Rules(Protocol):
    """What the wizard uses of hooks/pre_gen_project.py (dates are ISO strings; None means today)."""

    FIELD_CHECKS: dict[str, Callable[[str], str | None]]

    def offered_runtimes(self, catalogue: Catalogue, today: str | None = None) -> list[str]: ...

    def check_runtime(self, value: str, catalogue: Catalogue, today: str | None = None) -> str | None: ...

    def problems(self, answers: Mapping[str, Any], today: str | None = None) -> list[str]: ...


def template_dir() -> Path:
    return PACKAGED if (PACKAGED / "cookiecutter.json").is_file() else SOURCE_CHECKOUT


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """cookiecutter.json, in its own key order."""
    loaded: dict[str, Any] = json.loads((template_dir() / "cookiecutter.json").read_text(encoding="utf-8"))
    return loaded


def catalogue() -> Catalogue:
    """`_runtimes`: runtime id -> what is the runtime's own (language, version, images, deprecation...)."""
    runtimes: Catalogue = config()["_runtimes"]
    return runtimes


def languages() -> Catalogue:
    """`_languages`: language -> what every runtime of it shares (handler, flavour_variable...)."""
    shared: Catalogue = config()["_languages"]
    return shared


def language_of(runtime: str) -> CatalogueEntry:
    """The shared facts of the runtime's language."""
    return languages()[catalogue()[runtime]["language"]]


def variables() -> dict[str, Any]:
    """The user-facing variables, in prompt order, with their raw defaults."""
    return {key: value for key, value in config().items() if not key.startswith("_")}


def prompt_text(key: str) -> str:
    prompt = config().get("__prompts__", {}).get(key, key)
    return str(prompt["__prompt__"] if isinstance(prompt, dict) else prompt)


def choice_label(key: str, choice: str) -> str:
    prompt = config().get("__prompts__", {}).get(key)
    return str(prompt.get(choice, choice)) if isinstance(prompt, dict) else choice


def offered_runtimes(today: str | None = None) -> list[str]:
    """The runtime choices a new project may take on `today`: cookiecutter.json's, less the deprecated."""
    open_on_the_day = set(rules().offered_runtimes(catalogue(), today))
    return [runtime for runtime in variables()["runtime"] if runtime in open_on_the_day]


def variants() -> list[dict[str, str]]:
    """Every offered runtime x base image x architecture, and each flavour (e.g. node_language) it has."""
    found = []
    for runtime in variables()["runtime"]:
        flavour = language_of(runtime).get("flavour_variable")
        for flavour_value in variables()[flavour] if flavour else [None]:
            for base in variables()["base_image"]:
                for arch in variables()["architecture"]:
                    answers = {"runtime": runtime, "base_image": base, "architecture": arch}
                    if flavour:
                        answers[flavour] = flavour_value
                    found.append(answers)
    return found


def trigger_variants() -> list[dict[str, str]]:
    """Every offered runtime (and flavour) with every trigger, on the AWS base image for x86_64.

    A trigger changes the handler and its events, not the image: with variants(), every file is rendered
    in every way it can differ, without multiplying the whole matrix by the triggers.
    """
    found: list[dict[str, str]] = []
    for answers in variants():
        if answers["base_image"] == variables()["base_image"][0] and answers["architecture"] == "x86_64":
            found.extend({**answers, "trigger": trigger} for trigger in variables()["trigger"])
    return found


@lru_cache(maxsize=1)
def rules() -> Rules:
    """hooks/pre_gen_project.py as a module: FIELD_CHECKS, problems(), offered_runtimes()..."""
    path = template_dir() / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("lambda_container_rules", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the validation rules from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast(Rules, module)


def derived_default(key: str, answers: Answers) -> str:
    """Render a default such as project_slug's Jinja expression with the answers given so far.

    cookiecutter's own environment, so its filters (slugify) derive the same names as plain cookiecutter.
    Answers are validated before this runs, and rendering output is never rendered again.
    """
    raw = variables()[key]
    if not isinstance(raw, str):
        return str(raw)
    environment = StrictEnvironment(context={"cookiecutter": config()})
    return str(environment.from_string(raw).render(cookiecutter=answers))
