"""Turning defaults and overrides into one complete, validated set of answers.

`today` (an ISO date; None means the real today) decides which runtimes are deprecated: tests fix it.
"""

import platform
from collections.abc import Mapping

from lambda_container import template
from lambda_container.template import Answer, Answers


class AnswerError(ValueError):
    """One or more answers are invalid; each line says what is wrong and how to fix it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def host_architecture() -> str:
    return "arm64" if platform.machine().lower() in ("arm64", "aarch64") else "x86_64"


def default_for(key: str, answers: Answers) -> Answer:
    """A variable's default: the first choice, the host's architecture, or its rendered expression."""
    raw = template.variables()[key]
    if key == "architecture":
        return host_architecture()
    if isinstance(raw, list):
        return str(raw[0])
    if isinstance(raw, bool):
        return raw
    return template.derived_default(key, answers)


def applies(key: str, answers: Answers) -> bool:
    """Flavour variables (e.g. node_language) matter only for the runtime that names them."""
    flavours = {facts.get("flavour_variable") for facts in template.languages().values()} - {None}
    return key not in flavours or template.language_of(str(answers["runtime"])).get("flavour_variable") == key


def check_answer(key: str, value: Answer, today: str | None = None) -> str | None:
    """The one problem with a single answer, or None: choices from cookiecutter.json, else the hook's rule."""
    raw = template.variables()[key]
    if key == "runtime":
        return template.rules().check_runtime(str(value), template.catalogue(), today)
    if isinstance(raw, list) and value not in raw:
        return f"{key} {value!r} must be one of: {', '.join(raw)}."
    check = template.rules().FIELD_CHECKS.get(key)
    return check(str(value)) if check else None


def resolve(overrides: Mapping[str, Answer], today: str | None = None) -> Answers:
    """Fill every variable in prompt order: an override wins, else the (possibly derived) default.

    Overrides are checked before anything is rendered from them, so a bad project_name is reported as
    such rather than as a bad slug derived from it.
    """
    known = [key for key in template.variables() if key != "__prompts__"]
    found = [
        f"unknown variable {key!r}: use one of {', '.join(known)}."
        if key not in known
        else check_answer(key, value, today)
        for key, value in overrides.items()
    ]
    problems = [problem for problem in found if problem]
    if problems:
        raise AnswerError(problems)
    answers: Answers = {}
    for key in known:
        answers[key] = overrides[key] if key in overrides else default_for(key, answers)
    problems = template.rules().problems({**answers, "_runtimes": template.catalogue()}, today)
    if problems:
        raise AnswerError(problems)
    return answers
