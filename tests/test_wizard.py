"""The questionary wizard and the CLI, driven through a prompt_toolkit pipe like a terminal."""

import datetime
import json
import re
import subprocess
import sys

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from helpers import CONFIG
from lambda_container import cli
from lambda_container.answers import AnswerError, host_architecture, resolve
from lambda_container.wizard import Wizard, offered_by_language

ENTER, DOWN, CLEAR_LINE, CTRL_C = "\r", "\x1b[B", "\x15", "\x03"
VARIABLES = [key for key in CONFIG if not key.startswith("_")]


def day_before(iso_day):
    return (datetime.date.fromisoformat(iso_day) - datetime.timedelta(days=1)).isoformat()


# Deprecation is decided by a fixed day, never the calendar: an older runtime with a newer one of its language,
# on its last offered day and on its deprecation day.
OLDER, NEWER = "nodejs22.x", "nodejs24.x"
DEPRECATED_ON = CONFIG["_runtimes"][OLDER]["deprecation"]
LAST_DAY = day_before(DEPRECATED_ON)


def drive(keys, argv):
    """Run `lambda-container` with the given keystrokes typed into its questions."""
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        return cli.main(argv, input=pipe, output=DummyOutput())


def retype(text):
    return CLEAR_LINE + text + ENTER


def answers_in(project):
    return json.loads((project / "lambda.json").read_text())


def wizard_keys(**typed):
    """Keystrokes answering every question, in cookiecutter.json's order.

    `typed` maps a variable to the texts typed in turn until one is accepted; other text questions take
    their default.
    """
    typed = {"project_name": ("Billing Export",), "memory_size": ("1024",), **typed}
    keys = []
    for key in VARIABLES:
        if key in typed:
            keys += [retype(value) for value in typed[key]]
        elif key == "runtime":
            keys += [ENTER, DOWN + ENTER]  # language: Python; version: the second
        elif key == "base_image":
            keys.append(DOWN + ENTER)  # custom
        elif key == "architecture":
            keys.append(DOWN + ENTER)  # the one after the host's
        elif key == "node_language":
            continue  # not asked for Python
        else:
            keys.append(ENTER)  # accept the default
    return keys + [ENTER]  # confirm the summary


def test_wizard_asks_language_then_version_and_generates_the_answers(tmp_path):
    assert drive(wizard_keys(), ["new", str(tmp_path)]) == 0
    settings = answers_in(tmp_path / "billing-export")
    assert settings["runtime"] == CONFIG["runtime"][1]
    assert settings["architecture"] == {"x86_64": "arm64", "arm64": "x86_64"}[host_architecture()]
    assert settings["base_image"] == "custom"
    assert settings["memory_size"] == 1024
    assert settings["function_name"] == "billing-export"


def test_wizard_refuses_an_invalid_answer_until_it_is_corrected(tmp_path):
    assert drive(wizard_keys(memory_size=("64", "100000", "256")), ["new", str(tmp_path)]) == 0
    assert answers_in(tmp_path / "billing-export")["memory_size"] == 256


def test_wizard_ctrl_c_exits_130_and_writes_nothing(tmp_path):
    assert drive([retype("Billing Export"), CTRL_C], ["new", str(tmp_path / "out")]) == 130
    assert not (tmp_path / "out").exists()


def test_wizard_answers_cover_every_cookiecutter_variable(monkeypatch):
    with create_pipe_input() as pipe:
        pipe.send_text("".join(wizard_keys()))
        answers = Wizard(input=pipe, output=DummyOutput()).run()
    assert list(answers) == [key for key in VARIABLES if key != "__prompts__"]


def test_cli_has_a_named_flag_for_every_cookiecutter_variable(capsys):
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    flags = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", capsys.readouterr().out))
    named = {
        "runtime": "--runtime",
        "node_language": "--node-language",
        "trigger": "--trigger",
        "base_image": "--base-image",
        "architecture": "--architecture",
        "memory_size": "--memory-size",
        "timeout": "--timeout",
        "aws_region": "--aws-region",
        "project_name": "--project-name",
        "project_slug": "--project-slug",
        "description": "--description",
        "ecr_repository": "--ecr-repository",
        "function_name": "--function-name",
        "include_sam": "--include-sam",
        "ci": "--ci",
    }
    assert set(named) == {key for key in VARIABLES if key != "__prompts__"}, "a variable without its flag here"
    assert set(named.values()) <= flags, set(named.values()) - flags


def test_no_input_generates_the_defaults(tmp_path):
    assert cli.main(["new", str(tmp_path), "--no-input"]) == 0
    settings = answers_in(tmp_path / "hello-lambda")
    assert settings["runtime"] == CONFIG["runtime"][0] == "python3.14"


def test_set_and_named_flags_script_every_answer(tmp_path):
    argv = [
        "new",
        str(tmp_path),
        "--no-input",
        "--set",
        "runtime=python3.12",
        "--memory-size",
        "2048",
        "--set",
        "project_name=Orders API",
        "--function-name",
        "orders_api-prod",
        "--timeout",
        "900",
        "--aws-region",
        "eu-west-3",
        "--ecr-repository",
        "team/shared-images",
    ]
    assert cli.main(argv) == 0
    settings = answers_in(tmp_path / "orders-api")
    assert (settings["runtime"], settings["memory_size"], settings["timeout"]) == ("python3.12", 2048, 900)
    assert (settings["function_name"], settings["aws_region"]) == ("orders_api-prod", "eu-west-3")
    assert settings["ecr_repository"] == "team/shared-images"


def test_refuses_an_existing_project_directory_without_force(tmp_path, capsys):
    assert cli.main(["new", str(tmp_path), "--no-input"]) == 0
    (tmp_path / "hello-lambda" / "mine.txt").write_text("keep?")
    assert cli.main(["new", str(tmp_path), "--no-input"]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "hello-lambda" / "mine.txt").exists()
    assert cli.main(["new", str(tmp_path), "--no-input", "--force"]) == 0
    assert not (tmp_path / "hello-lambda" / "mine.txt").exists()


def test_stdin_not_a_terminal_without_no_input_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "lambda_container", "new", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--no-input" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("today, chosen", [(LAST_DAY, OLDER), (DEPRECATED_ON, NEWER)])
def test_wizard_offers_a_version_until_its_deprecation_day(today, chosen):
    """Language, then the second version: on its deprecation day the older is gone, the newer taken unasked."""
    language = list(offered_by_language(today)).index(CONFIG["_runtimes"][OLDER]["language"])
    with create_pipe_input() as pipe:
        pipe.send_text(DOWN * language + ENTER + DOWN + ENTER)
        assert Wizard(today, input=pipe, output=DummyOutput()).runtime() == chosen


def test_a_runtime_is_accepted_on_its_last_day_and_refused_with_a_replacement_on_its_deprecation_day():
    assert resolve({"runtime": OLDER}, LAST_DAY)["runtime"] == OLDER
    with pytest.raises(AnswerError) as refused:
        resolve({"runtime": OLDER}, DEPRECATED_ON)
    assert refused.value.problems == [f"runtime '{OLDER}' was deprecated on {DEPRECATED_ON}: choose {NEWER} instead."]


def runtimes_listing(capsys, today):
    """`lambda-container runtimes` on a given day: {runtime: its row's columns}."""
    assert cli.main(["runtimes"], today=today) == 0
    return {row.split()[0]: row.split() for row in capsys.readouterr().out.splitlines()[1:]}


def test_runtimes_lists_the_catalogue_with_deprecation_dates(capsys):
    listing = runtimes_listing(capsys, LAST_DAY)
    assert list(listing) == list(CONFIG["_runtimes"])
    for runtime, entry in CONFIG["_runtimes"].items():
        assert listing[runtime][2] == entry["deprecation"]


def test_runtimes_marks_a_runtime_offered_until_its_deprecation_day(capsys):
    assert runtimes_listing(capsys, LAST_DAY)[OLDER][-1] == "yes"
    assert runtimes_listing(capsys, DEPRECATED_ON)[OLDER][-1] == "no"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--set", "memory_size=64"], "memory_size '64' must be a whole number of MB from 128 to 10240."),
        (["--timeout", "901"], "timeout '901' must be a whole number of seconds from 1 to 900."),
        (["--function-name", "x" * 65], "function_name is 65 characters long: Lambda allows at most 64."),
        (["--function-name", "bad name"], "function_name 'bad name' may contain only letters, digits"),
        (["--ecr-repository", "Upper"], "ecr_repository 'Upper' breaks ECR naming rules"),
        (["--aws-region", "mars-1"], "aws_region 'mars-1' is not a Region name"),
        (["--runtime", "nodejs20.x"], "runtime 'nodejs20.x' was deprecated on 2026-04-30: choose nodejs24.x"),
        (["--runtime", "cobol1"], "runtime 'cobol1' is unknown"),
        (["--project-slug", "Bad_Slug"], "project_slug 'Bad_Slug' is not a valid directory name"),
        (["--set", "colour=blue"], "unknown variable 'colour'"),
        (["--set", "oops"], "--set 'oops' is not KEY=VALUE"),
        (["--architecture", "sparc"], "architecture 'sparc' must be one of: x86_64, arm64."),
    ],
)
def test_no_input_rejects_each_bad_value_with_one_clear_line(tmp_path, capsys, argv, message):
    assert cli.main(["new", str(tmp_path), "--no-input", *argv], today=LAST_DAY) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []
