"""`lambda-container new` and `lambda-container runtimes`."""

import argparse
import sys
from pathlib import Path
from typing import Any

from cookiecutter.exceptions import CookiecutterException

from lambda_container import __version__, template
from lambda_container.answers import AnswerError, applies, resolve
from lambda_container.generate import TargetExists, generate
from lambda_container.template import Answers

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def flag_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def parse_set(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise AnswerError([f"--set {pair!r} is not KEY=VALUE: write it like --set memory_size=1024."])
        overrides[key.strip()] = value
    return overrides


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lambda-container", description="Generate AWS Lambda container-image projects."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    new = commands.add_parser("new", help="generate a project (asks questions unless --no-input)")
    new.add_argument("output_dir", nargs="?", default=".", help="where the project directory is created")
    new.add_argument("--no-input", action="store_true", help="take defaults for everything not given")
    new.add_argument("--force", action="store_true", help="replace an existing project directory")
    new.add_argument(
        "--set", dest="sets", action="append", default=[], metavar="KEY=VALUE", help="answer a variable (repeatable)"
    )
    named = new.add_argument_group("answers (same as --set KEY=VALUE)")
    for key, raw in template.variables().items():
        if key != "__prompts__":
            choices = f" ({', '.join(raw)})" if isinstance(raw, list) else ""
            named.add_argument(
                flag_name(key), dest=f"var_{key}", metavar="VALUE", help=f"{template.prompt_text(key)}{choices}"
            )

    commands.add_parser("runtimes", help="list the runtime catalogue")
    return parser


def print_runtimes(today: str | None) -> None:
    offered = set(template.offered_runtimes(today))
    print(f"{'runtime':<17} {'AWS base image':<42} {'deprecation':<12} offered")
    for runtime, entry in template.catalogue().items():
        mark = "yes" if runtime in offered else "no"
        print(f"{runtime:<17} {entry['aws_base_image']:<42} {entry['deprecation']:<12} {mark}")


def summary(answers: Answers) -> str:
    shown = {key: value for key, value in answers.items() if applies(key, answers)}
    width = max(map(len, shown))
    return "\n".join(f"  {key:<{width}}  {value}" for key, value in shown.items())


def next_steps(project: Path) -> str:
    return (
        f"\nCreated {project}\nNext steps:\n  cd {project}\n  make test            # unit tests\n"
        "  make emulator-test   # every event under the Lambda Runtime Interface Emulator\n"
        "  make deploy          # ECR + Lambda (needs AWS credentials)"
    )


def new(args: argparse.Namespace, session: dict[str, Any], today: str | None) -> int:
    overrides = parse_set(args.sets)
    overrides.update({k[4:]: v for k, v in vars(args).items() if k.startswith("var_") and v is not None})
    if args.no_input:
        answers = resolve(overrides, today)
    else:
        if not session and not sys.stdin.isatty():
            print(
                "lambda-container: stdin is not a terminal, so questions cannot be asked: "
                "pass --no-input (with --set KEY=VALUE for the answers).",
                file=sys.stderr,
            )
            return EXIT_USAGE
        from lambda_container.wizard import Wizard

        wizard = Wizard(today, **session)
        answers = resolve({**wizard.run(), **overrides}, today)
        if not wizard.confirm(summary(answers)):
            print("lambda-container: nothing generated.", file=sys.stderr)
            return 1
    project = generate(answers, Path(args.output_dir), force=args.force)
    print(next_steps(project))
    return 0


def main(argv: list[str] | None = None, today: str | None = None, **session: Any) -> int:
    """Entry point. `session` (input=..., output=...) is handed to the questions; tests use a pipe.

    `today` (an ISO date) decides which runtimes are deprecated: None is the real date; tests fix it.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "runtimes":
            print_runtimes(today)
            return 0
        return new(args, session, today)
    except AnswerError as error:
        for problem in error.problems:
            print(f"lambda-container: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except TargetExists as error:
        print(f"lambda-container: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CookiecutterException as error:
        # A template defect, not a user error: one line, and generate() has removed the partial project.
        detail = getattr(error, "message", None) or str(error).splitlines()[0]
        if getattr(error, "error", None) is not None:  # UndefinedVariableInTemplate carries the Jinja error
            detail += f": {error.error}"
        print(f"lambda-container: generation failed: {detail}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nlambda-container: interrupted; nothing was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
