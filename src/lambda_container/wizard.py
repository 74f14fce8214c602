"""The interactive questions: language first, then version, then everything cookiecutter.json declares.

Every answer is checked as it is typed by the same rules as the pre-generation hook.
"""
import questionary

from lambda_container import template
from lambda_container.answers import applies, check_answer, default_for

LANGUAGE_NAMES = {"python": "Python", "nodejs": "Node.js", "java": "Java", "dotnet": ".NET", "go": "Go",
                  "ruby": "Ruby"}


def offered_by_language():
    """{language: [runtime ids]} in the order cookiecutter.json offers them."""
    grouped = {}
    for runtime in template.variables()["runtime"]:
        grouped.setdefault(template.catalogue()[runtime]["language"], []).append(runtime)
    return grouped


def validator(key):
    def validate(text):
        problem = check_answer(key, text.strip())
        return True if problem is None else problem
    return validate


class Wizard:
    def __init__(self, **session):
        # `session` (input=..., output=...) reaches prompt_toolkit: tests drive the questions through a pipe.
        self.session = session
        self.answers = {}

    def ask(self, question):
        return question.unsafe_ask(**({"patch_stdout": False} if not self.session else {}))

    def text(self, key):
        default = str(default_for(key, self.answers))
        question = questionary.text(template.prompt_text(key), default=default, validate=validator(key),
                                    **self.session)
        return self.ask(question).strip()

    def select(self, key, choices, default=None):
        options = [questionary.Choice(template.choice_label(key, c), value=c) for c in choices]
        question = questionary.select(template.prompt_text(key), choices=options,
                                      default=default if default in choices else choices[0], **self.session)
        return self.ask(question)

    def runtime(self):
        grouped = offered_by_language()
        languages = [questionary.Choice(LANGUAGE_NAMES.get(lang, lang), value=lang) for lang in grouped]
        language = self.ask(questionary.select("Language", choices=languages, **self.session))
        versions = grouped[language]
        return versions[0] if len(versions) == 1 else self.select("runtime", versions)

    def run(self):
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
                self.answers[key] = self.ask(questionary.confirm(template.prompt_text(key), default=raw,
                                                                 **self.session))
            else:
                self.answers[key] = self.text(key)
        return self.answers

    def confirm(self, summary):
        print(f"\nYour answers:\n{summary}\n")
        return self.ask(questionary.confirm("Generate this project?", default=True, **self.session))
