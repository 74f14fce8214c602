"""Hostile free text reaches every generated file as inert, correctly quoted data, and no generated script runs it."""

import json
import os
import shlex
import subprocess

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib
import xml.etree.ElementTree as ElementTree

import pytest

from helpers import OFFERED, bake, edited_copy, event_count, require_tool, run
from lambda_container import cli

MARKER = "executed"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Anything the hostile text managed to run would create ./executed here."""
    monkeypatch.chdir(tmp_path)


def hostile(marker):
    name = marker.name
    return f"Evil \"dq\" 'sq' $(touch {name}) `touch {name}` ${{HOME}} \\ <b> & ; touch {name} #"


@pytest.mark.parametrize("runtime", OFFERED)
def test_hostile_name_and_description_are_inert_in_every_generated_file(tmp_path, runtime):
    marker = tmp_path / MARKER
    text = hostile(marker)
    project = bake(tmp_path / "out", runtime=runtime, project_name=text, description=text, project_slug="safe-slug")
    assert not marker.exists()
    for path in project.rglob("*"):
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".toml":
            document = tomllib.loads(path.read_text(encoding="utf-8"))
            if "project" in document:
                assert document["project"]["description"] == text
        elif path.suffix in (".xml", ".csproj", ".props") or path.name == "pom.xml":
            ElementTree.parse(path)
        elif path.suffix == ".sh":
            assert subprocess.run(["bash", "-n", str(path)]).returncode == 0
    assert text in (project / "README.md").read_text(encoding="utf-8")
    assert not marker.exists()


def test_generated_python_project_carries_the_description_verbatim(tmp_path):
    text = hostile(tmp_path / MARKER)
    project = bake(tmp_path, description=text)
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["description"] == text


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
        "{% for x in range(1) %}{{ x }}{% endfor %}",
        "{# comment #}",
    ],
)
def test_wizard_rejects_template_syntax_before_anything_is_rendered(tmp_path, capsys, payload):
    marker = tmp_path / MARKER
    code = cli.main(
        [
            "new",
            str(tmp_path / "out"),
            "--no-input",
            "--project-slug",
            "demo",
            "--set",
            "project_name=" + payload.replace("MARKER", str(marker)),
        ]
    )
    assert code == 2
    assert "template syntax" in capsys.readouterr().err
    assert not marker.exists() and not (tmp_path / "out").exists()


# The generated entry points run with hostile answers: every free text the validator lets through, and names
# that are legal yet look like command-line options or carry separators. The free texts reach the README and
# manifests; the names reach lambda.json, which the scripts read. Whatever reaches a command must stay one
# literal word, and nothing in the answers may run.
HOSTILE_FUNCTION_NAME = "--help"  # a legal Lambda function name that a command line would take as an option
HOSTILE_REPOSITORY = "team.x/evil_repo-1"  # namespaces, dots and underscores are all legal in ECR
# Pieces of hostile() that survive make's and the shell's expansion: found outside the whole, quoted text,
# they are the text split into words or spliced into a command.
PIECES = ('"dq"', "`touch", "$(touch", "${HOME}", "<b>", "'sq'")
# A container CLI that records each call's arguments, one per line, in a file of its own, and builds nothing.
STAND_IN_CLI = """#!/bin/sh
[ "$1" = "--version" ] && { echo "podman version 5.4.2"; exit 0; }
calls=$(ls "$RECORD_DIR" | wc -l)
printf '%s\\n' "$@" >"$RECORD_DIR/$calls"
"""


def hostile_answers(tmp_path):
    text = hostile(tmp_path / MARKER)
    return {
        "project_name": text,
        "description": text,
        "function_name": HOSTILE_FUNCTION_NAME,
        "ecr_repository": HOSTILE_REPOSITORY,
    }


def payload_ran(root):
    """The marker files the hostile text's `touch` commands created anywhere under root."""
    return sorted(root.rglob(MARKER))


def split_or_spliced(arguments, text):
    """The arguments that hold a piece of the hostile text without holding all of it."""
    return [argument for argument in arguments if any(piece in argument for piece in PIECES) and text not in argument]


def unquoted(command_lines, text):
    """The command lines where a piece of the hostile text stands outside the text quoted as one shell word."""
    return [
        line
        for line in command_lines.splitlines()
        if any(piece in line.replace(shlex.quote(text), "") for piece in PIECES)
    ]


@pytest.fixture
def stand_in_cli(tmp_path):
    """Environment putting a recording `podman` first on PATH; returns (env, directory of recorded calls)."""
    bin_dir, record_dir = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    record_dir.mkdir()
    cli_path = bin_dir / "podman"
    cli_path.write_text(STAND_IN_CLI)
    cli_path.chmod(0o755)
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    env = {"PATH": path, "CONTAINER_CLI": "podman", "RECORD_DIR": str(record_dir)}
    return env, record_dir


def recorded_calls(record_dir):
    return [path.read_text().splitlines() for path in sorted(record_dir.iterdir(), key=lambda path: int(path.name))]


def make_build(project, stand_in_cli):
    """`make build` with the recording CLI; returns (result, the recorded `build` call)."""
    env, record_dir = stand_in_cli
    result = run(["make", "build"], project, env=env)
    builds = [call for call in recorded_calls(record_dir) if "build" in call]
    return result, builds[0] if builds else []


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    require_tool("make")
    out = tmp_path_factory.mktemp("hostile")
    return bake(out, **hostile_answers(out))


def test_make_build_runs_nothing_from_the_answers_and_passes_the_image_tag_as_one_argument(
    hostile_project, stand_in_cli
):
    result, build = make_build(hostile_project, stand_in_cli)
    assert result.returncode == 0
    assert payload_ran(hostile_project.parent) == []
    image_name = json.loads((hostile_project / "lambda.json").read_text())["image_name"]
    assert build[build.index("-t") + 1] == f"{image_name}:latest"
    assert split_or_spliced(build, hostile(hostile_project / MARKER)) == []


def test_make_build_check_catches_a_build_script_that_echoes_the_project_name_unquoted(
    hostile_project, stand_in_cli, tmp_path
):
    # The bug this file exists for: the name inside double quotes, where $(...) and backticks still run.
    text = hostile(tmp_path / MARKER)
    broken = edited_copy(
        hostile_project,
        tmp_path / "broken",
        "scripts/build-image.sh",
        "set -euo pipefail\n",
        f'set -euo pipefail\necho "building {text}"\n',
    )
    make_build(broken, stand_in_cli)
    assert payload_ran(broken) != []


def test_deploy_help_and_argument_errors_run_nothing_from_the_answers(hostile_project):
    helped = run(["scripts/deploy.sh", "--help"], hostile_project)
    refused = run(["scripts/deploy.sh", "--no-such-flag"], hostile_project)
    assert helped.returncode == 0 and helped.stdout.startswith("Usage:")
    assert refused.returncode == 2 and "--no-such-flag" in refused.stderr
    assert payload_ran(hostile_project.parent) == []


def make_targets(project):
    """The targets `make help` lists."""
    listed = run(["make", "--no-print-directory", "help"], project)
    assert listed.returncode == 0
    return [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]


def dry_runs(project, env):
    """What `make -n` would run for every target `make help` lists, as one text."""
    printed = []
    for target in make_targets(project):
        result = run(["make", "--no-print-directory", "-n", target], project, env=env)
        assert result.returncode == 0, target
        printed.append(result.stdout)
    return "".join(printed)


@pytest.mark.parametrize("runtime", OFFERED)
def test_every_make_target_keeps_hostile_answers_quoted_and_runs_nothing(tmp_path, stand_in_cli, runtime):
    require_tool("make")
    project = bake(tmp_path / "out", runtime=runtime, **hostile_answers(tmp_path))
    assert {"build", "test", "emulator-test", "deploy"} <= set(make_targets(project))
    commands = dry_runs(project, stand_in_cli[0])
    assert unquoted(commands, hostile(tmp_path / MARKER)) == []
    assert payload_ran(tmp_path) == []


def test_make_target_check_catches_a_recipe_that_echoes_the_project_name_unquoted(
    hostile_project, stand_in_cli, tmp_path
):
    text = hostile(tmp_path / MARKER)
    broken = edited_copy(
        hostile_project,
        tmp_path / "broken",
        "Makefile",
        ".DEFAULT_GOAL := help\n",
        f'.DEFAULT_GOAL := help\ngreet: ## Greet\n\techo "building {text}"\n',
    )
    assert unquoted(dry_runs(broken, stand_in_cli[0]), text) != []


@pytest.mark.slow
def test_emulator_harness_answers_every_event_of_a_hostile_project_and_runs_nothing(
    hostile_project, native_emulator_test
):
    result, passed, failed = native_emulator_test(hostile_project)
    assert result.returncode == 0
    assert (passed, failed) == (event_count(hostile_project), 0)
    assert payload_ran(hostile_project.parent) == []
