"""Generated projects check their toolchain first: `make test`, native `make emulator-test` and
`make build` stop with one line naming the tool, the version needed, the version found and what to do.

Each tool is a stand-in executable on PATH that reports a chosen version, so every message is tested on
any machine, whatever toolchains it has; only make, sh and sed are real.
"""

import os
import re
import shutil
import stat
import subprocess

import pytest

from helpers import CATALOGUE, bake, require_tool, run, runtimes_of

# Variables that name a tool (runtime.mk's overrides) or change make's output: none may leak in.
CALLERS_SETTINGS = (
    "PYTHON",
    "MVN",
    "GO",
    "DOTNET",
    "RUBY",
    "CONTAINER_CLI",
    "EMULATOR_MODE",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
)

CONTAINER_MODE = "or use container mode: EMULATOR_MODE=container make emulator-test"
RUNTIMES = {language: runtimes_of(language)[0] for language in ("python", "nodejs", "java", "dotnet", "go", "ruby")}


def version(language):
    return CATALOGUE[RUNTIMES[language]]["version"]


def ruby(reported):
    """A Ruby stand-in: `ruby -e CODE` is how runtime.mk asks whether this Ruby is the declared one."""
    series = version("ruby")
    same = "yes" if reported.startswith(series + ".") else "no"
    return f'[ "$1" = -e ] && {{ printf {same}; exit 0; }}\necho "ruby {reported}p100 (2025-01-01) [x86_64-linux]"'


# language: (stand-in name, its output when too old, when new enough, the line make test must print)
CASES = {
    "python": (
        f"python{version('python')}",
        "echo 'Python 3.9.18'",
        f"echo 'Python {version('python')}.0'",
        f"lambda-container: {RUNTIMES['python']} needs Python 3.10 or newer, found Python 3.9.18 "
        f"(python{version('python')} on PATH): install Python {version('python')} (e.g. uv python install "
        f"{version('python')}) or set PYTHON to one, {CONTAINER_MODE}",
    ),
    "nodejs": (
        "node",
        "echo v20.20.2",
        f"echo v{version('nodejs')}.11.0",
        f"lambda-container: {RUNTIMES['nodejs']} needs Node.js {version('nodejs')} or newer, found Node.js "
        f"20.20.2 (node on PATH): install Node.js {version('nodejs')} (e.g. nvm install {version('nodejs')}), "
        f"{CONTAINER_MODE}",
    ),
    "java": (
        "mvn",
        "echo 'Apache Maven 3.9.9'; echo 'Java version: 17.0.15, vendor: Debian, runtime: /jdk17'",
        f"echo 'Apache Maven 3.9.9'; echo 'Java version: {version('java')}.0.1, vendor: Eclipse Adoptium'",
        f"lambda-container: {RUNTIMES['java']} needs JDK {version('java')} or newer, found JDK 17.0.15 "
        f"(mvn on PATH): install Maven and a JDK {version('java')} or newer, and point JAVA_HOME at the JDK, "
        f"{CONTAINER_MODE}",
    ),
    "dotnet": (
        "dotnet",
        "echo 8.0.404",
        f"echo {version('dotnet')}.0.100",
        f"lambda-container: {RUNTIMES['dotnet']} needs .NET SDK {version('dotnet')} or newer, found .NET SDK "
        f"8.0.404 (dotnet on PATH): install the .NET {version('dotnet')} SDK (https://dot.net), {CONTAINER_MODE}",
    ),
    "go": (
        "go",
        "echo 'go version go1.22.5 linux/amd64'",
        f"echo 'go version go{version('go')}.0 linux/amd64'",
        f"lambda-container: {RUNTIMES['go']} needs Go {version('go')} or newer, found Go 1.22.5 (go on PATH): "
        f"install Go {version('go')} or newer (https://go.dev/dl), {CONTAINER_MODE}",
    ),
    "ruby": (
        "ruby",
        ruby("3.0.6"),
        ruby(f"{version('ruby')}.1"),
        f"lambda-container: {RUNTIMES['ruby']} needs Ruby 3.1 or newer, found Ruby 3.0.6 (ruby on PATH): "
        f"install Ruby {version('ruby')} with Bundler (e.g. rbenv install {version('ruby')}), {CONTAINER_MODE}",
    ),
}
# What else each language's new-enough toolchain needs to pass its check.
COMPANIONS = {"ruby": {"bundle": "echo 'Bundler version 2.6.2'"}}
# The command a project runs when its tool is missing, where that is not the stand-in's name.
MISSING_COMMAND = {"python": "python3"}  # the runtime's own python3.X does not run, so python3 is tried


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    require_tool("make")
    root = tmp_path_factory.mktemp("toolchain")
    return {
        language: bake(root, runtime=runtime, project_name=f"check {language}")
        for language, runtime in RUNTIMES.items()
    }


def stand_ins(directory, tools):
    """Executables that print what the given shell snippets print, in a fresh directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, body in tools.items():
        path = directory / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return directory


def bare_path(directory):
    """A PATH with only what the Makefiles and scripts themselves run, so that no real toolchain is found."""
    directory.mkdir(parents=True, exist_ok=True)
    for tool in ("make", "sh", "sed", "uname", "env", "bash", "dirname", "basename"):
        (directory / tool).symlink_to(shutil.which(tool))
    return str(directory)


def make(project, *arguments, path, **env):
    """`make ARGUMENTS` with this PATH, and no tool setting inherited from the caller's environment."""
    environment = {key: value for key, value in os.environ.items() if key not in CALLERS_SETTINGS}
    command = ["make", "--no-print-directory", *arguments]
    result = subprocess.run(
        command, cwd=project, env={**environment, "PATH": path, **env}, capture_output=True, text=True, timeout=120
    )
    print(f"$ {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return result


def own_lines(result):
    """stderr without make's own closing line (make: *** [...] Error 1)."""
    return [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\* ", line)]


@pytest.mark.parametrize("language", CASES)
def test_make_test_names_a_too_old_tool_the_version_needed_and_what_to_do(projects, language, tmp_path):
    name, old, _, message = CASES[language]
    bin_dir = stand_ins(tmp_path / "bin", {name: old})
    result = make(projects[language], "test", path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert result.returncode != 0
    assert own_lines(result) == [message]
    assert result.stdout == "", "nothing may run before the check"


@pytest.mark.parametrize("language", CASES)
def test_the_check_passes_silently_when_the_tool_is_new_enough(projects, language, tmp_path):
    name, _, new, _ = CASES[language]
    bin_dir = stand_ins(tmp_path / "bin", {name: new, **COMPANIONS.get(language, {})})
    result = make(projects[language], "toolchain", path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("language", CASES)
def test_a_missing_tool_is_named_with_what_to_do(projects, language, tmp_path):
    name, _, _, message = CASES[language]
    result = make(projects[language], "test", path=bare_path(tmp_path / "base"))
    needed = message.split(", found ")[0]
    advice = message.split("): ", 1)[1]
    command = MISSING_COMMAND.get(language, name)
    assert own_lines(result) == [f"{needed}, found none ({command} is not installed): {advice}"]


def test_a_version_managers_shim_that_runs_nothing_is_not_trusted(projects, tmp_path):
    name = CASES["python"][0]
    bin_dir = stand_ins(
        tmp_path / "bin",
        {
            "python3": "echo 'Python 3.9.18'",  # python3 as a fallback: old, so a pass could only come from the shim
            name: f"echo 'pyenv: {name}: command not found' >&2; exit 127",
        },
    )
    result = make(projects["python"], "test", path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}")
    assert result.returncode != 0
    assert "found Python 3.9.18 (python3 on PATH)" in own_lines(result)[0]


def test_python_other_than_the_runtimes_passes_with_a_note(projects, tmp_path):
    series = version("python")
    bin_dir = stand_ins(tmp_path / "bin", {"python3": "echo 'Python 3.11.7'"})
    result = make(projects["python"], "toolchain", path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines() == [
        f"lambda-container: note: {RUNTIMES['python']} runs on Python {series}; Python 3.11.7 (python3 on PATH) "
        "passes, but is not what Lambda runs"
    ]


def test_ruby_without_rake_says_so_instead_of_make_failing_on_rake(projects, tmp_path):
    bin_dir = stand_ins(tmp_path / "bin", {"ruby": ruby("3.1.2")})
    result = make(projects["ruby"], "test", path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}")
    assert own_lines(result) == [
        f"lambda-container: {RUNTIMES['ruby']} needs rake, found none (rake is not installed): install rake and "
        f"minitest for this Ruby (gem install rake minitest), or install Ruby {version('ruby')} with Bundler "
        f"(e.g. rbenv install {version('ruby')}), {CONTAINER_MODE}"
    ]


def test_ruby_native_mode_names_the_ruby_series_it_needs(projects, tmp_path):
    bin_dir = stand_ins(tmp_path / "bin", {"ruby": ruby("3.1.2"), "rake": "echo 'rake, version 13.0.6'"})
    result = make(
        projects["ruby"],
        "emulator-test",
        path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}",
        EMULATOR_MODE="native",
    )
    series = version("ruby")
    assert own_lines(result) == [
        f"lambda-container: {RUNTIMES['ruby']} native mode needs Ruby {series}.x, found Ruby 3.1.2 (ruby on PATH): "
        f"install Ruby {series} with Bundler (e.g. rbenv install {series}) and run make deps, {CONTAINER_MODE}"
    ]


def test_native_emulator_test_stops_at_the_check_before_the_harness_starts(projects, tmp_path):
    name, old, _, message = CASES["nodejs"]
    bin_dir = stand_ins(tmp_path / "bin", {name: old})
    result = make(
        projects["nodejs"], "emulator-test", path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", EMULATOR_MODE="native"
    )
    assert own_lines(result) == [message]
    assert "emulator-test:" not in result.stdout


def test_container_mode_needs_no_language_toolchain(projects, tmp_path):
    """With an old node, container mode goes straight to the harness, which asks only for a container engine."""
    name, old, _, _ = CASES["nodejs"]
    no_engine = {cli: "exit 1" for cli in ("docker", "podman", "finch")}  # container CLIs whose engine is down
    bin_dir = stand_ins(tmp_path / "bin", {name: old, **no_engine})
    result = make(
        projects["nodejs"],
        "emulator-test",
        path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        EMULATOR_MODE="container",
    )
    assert result.returncode != 0
    assert "lambda-container:" not in result.stderr
    assert "emulator-test:" in result.stderr, "the harness itself says what container mode lacks"


def test_make_build_without_a_container_cli_says_what_to_install(projects, tmp_path):
    result = make(projects["go"], "build", path=bare_path(tmp_path / "base"))
    assert own_lines(result) == [
        "lambda-container: make build needs a container CLI (docker, podman or finch), found none on PATH: "
        "install Docker, Podman or Finch, or set CONTAINER_CLI to your container CLI"
    ]


def test_make_build_with_a_container_cli_that_does_not_run_says_so(projects, tmp_path):
    bin_dir = stand_ins(tmp_path / "bin", {"podman": "echo 'podman: cannot exec: no such runtime' >&2; exit 125"})
    result = make(projects["go"], "build", path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}")
    assert own_lines(result) == [
        "lambda-container: make build needs a container CLI (docker, podman or finch), found podman on PATH, which "
        "does not run (podman: cannot exec: no such runtime): install Docker, Podman or Finch, or set CONTAINER_CLI "
        "to your container CLI"
    ]


def test_make_build_passes_the_check_with_a_container_cli_that_runs(projects, tmp_path):
    bin_dir = stand_ins(tmp_path / "bin", {"finch": '[ "$1" = --version ] && echo "finch version v1.4.0"; exit 0'})
    result = make(projects["go"], "build", path=f"{bin_dir}{os.pathsep}{bare_path(tmp_path / 'base')}")
    assert result.returncode == 0, result.stderr
    assert "lambda-container:" not in result.stderr and "build-image: finch build" in result.stdout


CHECKER = "scripts/check-toolchain.sh"


@pytest.mark.parametrize(
    "found, rule, passes",
    [
        ("go version go1.26.8 linux/amd64", ["--min", "1.26"], True),
        ("go version go1.26 linux/amd64", ["--min", "1.26.1"], False),
        ("v22.12.0", ["--min", "22.18"], False),
        ("v22.18.0", ["--min", "22.18"], True),
        ("v100.0.0", ["--min", "24"], True),
        ("10.0.100-preview.7", ["--min", "10"], True),
        ("9.0.300", ["--min", "10"], False),
        ("ruby 3.4.7p58", ["--series", "3.4"], True),
        ("ruby 3.40.1", ["--series", "3.4"], False),
        ("ruby 3.3.9", ["--series", "3.4"], False),
    ],
)
def test_versions_compare_as_numbers(projects, tmp_path, found, rule, passes):
    bin_dir = stand_ins(tmp_path / "bin", {"tool": f"echo '{found}'"})
    result = run(
        ["sh", CHECKER, "--for", "f", "--tool", "T", *rule, "--fix", "x", "--", str(bin_dir / "tool")], projects["go"]
    )
    assert result.returncode == (0 if passes else 1)


def test_an_unreadable_needed_version_is_a_template_error_not_a_pass(projects, tmp_path):
    """A project file without its version line (e.g. go.mod's go line) must not disable the check."""
    result = run(
        ["sh", CHECKER, "--for", "f", "--tool", "Go", "--min", "", "--fix", "x", "--", "go", "version"], projects["go"]
    )
    assert result.returncode == 2
    assert "--min needs a version such as 24 or 3.4, got ''" in result.stderr
