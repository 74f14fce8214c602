"""The interactive questions: language first, then version, then everything cookiecutter.json declares.

Every answer is checked as it is typed by the same rules as the pre-generation hook.
"""

from collections.abc import Callable
from typing import Any

import questionary

from lambda_container import template
from lambda_container.answers import applies, check_answer, default_for
from lambda_container.template import Answers


def offered_by_language(today: str | None = None) -> dict[str, list[str]]:
    """{language: [runtime ids]} in the order cookiecutter.json offers them, without those deprecated on `today`."""
    grouped: dict[str, list[str]] = {}
    for runtime in template.offered_runtimes(today):
        grouped.setdefault(template.catalogue()[runtime]["language"], []).append(runtime)
    return grouped


def validator(key: str) -> Callable[[str], bool | str]:
    """questionary's validate: True, or the problem shown under the question."""

    def validate(text: str) -> bool | str:
        problem = check_answer(key, text.strip())
        return True if problem is None else problem

    return validate


class Wizard:
    def __init__(self, today: str | None = None, **session: Any) -> None:
        # `session` (input=..., output=...) reaches prompt_toolkit: tests drive the questions through a pipe.
        self.today = today
        self.session = session
        self.answers: Answers = {}

    def ask(self, question: Any) -> Any:
        """questionary's answer to a question (questionary has no type information: Any)."""
        return question.unsafe_ask(**({"patch_stdout": False} if not self.session else {}))

    def text(self, key: str) -> str:
        default = str(default_for(key, self.answers))
        question = questionary.text(template.prompt_text(key), default=default, validate=validator(key), **self.session)
        return str(self.ask(question)).strip()

    def select(self, key: str, choices: list[str], default: str | bool | None = None) -> str:
        options = [questionary.Choice(template.choice_label(key, c), value=c) for c in choices]
        question = questionary.select(
            template.prompt_text(key),
            choices=options,
            default=default if default in choices else choices[0],
            **self.session,
        )
        return str(self.ask(question))

    def confirm_variable(self, key: str, default: bool) -> bool:
        return bool(self.ask(questionary.confirm(template.prompt_text(key), default=default, **self.session)))

    def runtime(self) -> str:
        """The language, then its version when it has more than one not deprecated on the day."""
        grouped = offered_by_language(self.today)
        languages = [questionary.Choice(template.languages()[lang]["name"], value=lang) for lang in grouped]
        language = self.ask(questionary.select("Language", choices=languages, **self.session))
        versions = grouped[language]
        return versions[0] if len(versions) == 1 else self.select("runtime", versions)

    def run(self) -> Answers:
        for key, raw in template.variables().items():
            if key == "__prompts__":
                continue
            if key == "runtime":
                self.answers[key] = self.runtime()
            elif not applies(key, self.answers):
                self.answers[key] = default_for(key, self.answers)
            elif isinstance(raw, list):
                self.answers[key] = self.select(key, raw, default_for(key, self.answers))
            elif isinstance(raw, bool):
                self.answers[key] = self.confirm_variable(key, raw)
            else:
                self.answers[key] = self.text(key)
        return self.answers

    def confirm(self, summary: str) -> bool:
        print(f"\nYour answers:\n{summary}\n")
        return bool(self.ask(questionary.confirm("Generate this project?", default=True, **self.session)))
