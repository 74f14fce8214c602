"""Validate every answer before cookiecutter writes anything.

The wizard (src/lambda_container) imports this file for the same rules, so it must stay
importable as plain Python: the only Jinja in it is the raw string cookiecutter fills in.
"""

import datetime
import json
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

from slugify import slugify  # python-slugify: cookiecutter's own slugify filter, so always installed

CONTEXT_JSON = r"""{{ cookiecutter | jsonify }}"""

SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# ECR: 2-256 chars, lowercase, optional namespaces, separators . _ - between alphanumerics.
ECR_REPOSITORY = re.compile(r"^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")
# Jinja delimiters, spelt so that Jinja itself does not see one in this file.
TEMPLATE_SYNTAX = re.compile(r"[{][#%{]|[#%}][}]")
# The runtime catalogue, cookiecutter.json's `_runtimes`: runtime id -> its own fields (JSON values); what
# every runtime of a language shares is in `_languages`, keyed by the runtime's `language`.
Catalogue = Mapping[str, Mapping[str, Any]]


def check_text(value: str, what: str) -> str | None:
    if not value.strip():
        return f"{what} is empty: give a short text."
    if "\n" in value or "\r" in value:
        return f"{what} spans several lines: give it on one line."
    if TEMPLATE_SYNTAX.search(value):
        return f"{what} contains template syntax (double braces or a brace with % or #): remove it."
    if len(value) > 200:
        return f"{what} is {len(value)} characters long: keep it to 200."
    return None


def check_project_name(value: str) -> str | None:
    # Directory, repository and function names are made from its letters and digits (cookiecutter.json).
    if not slugify(value):
        return (
            f"project_name {value!r} has no letters or digits to name the project after: "
            "give a name such as 'Orders API'."
        )
    return check_text(value, "project_name")


def check_slug(value: str) -> str | None:
    if not SLUG.fullmatch(value) or len(value) > 63:
        return (
            f"project_slug {value!r} is not a valid directory name: use lowercase letters, "
            "digits and single hyphens, starting with a letter (at most 63 chars), e.g. 'hello-lambda'."
        )
    return None


def check_function_name(value: str) -> str | None:
    if len(value) > 64:
        return f"function_name is {len(value)} characters long: Lambda allows at most 64."
    if not FUNCTION_NAME.fullmatch(value):
        return f"function_name {value!r} may contain only letters, digits, '-' and '_' (at most 64)."
    return None


def check_ecr_repository(value: str) -> str | None:
    if not ECR_REPOSITORY.fullmatch(value):
        return (
            f"ecr_repository {value!r} breaks ECR naming rules: 2-256 lowercase letters and digits, "
            "separated by single '.', '_' or '-', with optional 'namespace/' prefixes."
        )
    return None


def check_int_range(value: str, what: str, low: int, high: int, unit: str) -> str | None:
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        return f"{what} {value!r} must be a whole number of {unit} from {low} to {high}."
    return None


def check_memory_size(value: str) -> str | None:
    return check_int_range(value, "memory_size", 128, 10240, "MB")


def check_timeout(value: str) -> str | None:
    return check_int_range(value, "timeout", 1, 900, "seconds")


def check_region(value: str) -> str | None:
    if not REGION.fullmatch(value):
        return f"aws_region {value!r} is not a Region name like 'us-east-1' or 'eu-west-3'."
    return None


def offered_runtimes(catalogue: Catalogue, today: str | None = None) -> list[str]:
    """Runtime ids a new project may use: known, offered and not deprecated on `today` (ISO date; None: today)."""
    today = today or datetime.date.today().isoformat()
    return [rid for rid, entry in catalogue.items() if entry.get("offered", True) and entry["deprecation"] > today]


def check_runtime(value: str, catalogue: Catalogue, today: str | None = None) -> str | None:
    entry = catalogue.get(value)
    newest = offered_runtimes(catalogue, today)
    if entry is None:
        return f"runtime {value!r} is unknown: choose one of {', '.join(newest)}."
    if value not in newest:
        same = [rid for rid in newest if catalogue[rid]["language"] == entry["language"]]
        why = entry.get("not_offered_reason") or f"was deprecated on {entry['deprecation']}"
        return f"runtime {value!r} {why}: choose {same[0] if same else newest[0]} instead."
    return None


# Every free-form variable and its check; choices are enforced by cookiecutter and the wizard.
FIELD_CHECKS: dict[str, Callable[[str], str | None]] = {
    "project_name": check_project_name,
    "description": lambda value: check_text(value, "description"),
    "project_slug": check_slug,
    "memory_size": check_memory_size,
    "timeout": check_timeout,
    "aws_region": check_region,
    "ecr_repository": check_ecr_repository,
    "function_name": check_function_name,
}


def problems(answers: Mapping[str, Any], today: str | None = None) -> list[str]:
    """Every problem with a full set of answers (the catalogue under `_runtimes`), one clear line each."""
    found = [check(str(answers[key])) for key, check in FIELD_CHECKS.items()]
    found.append(check_runtime(answers["runtime"], answers["_runtimes"], today))
    return [problem for problem in found if problem]


def main() -> int:
    errors = problems(json.loads(CONTEXT_JSON))
    for error in errors:
        print(f"lambda-container: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
