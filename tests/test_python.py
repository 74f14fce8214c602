"""The generated Python project end to end: its unit tests, and every event under the real RIE."""

import functools
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import CATALOGUE, CONFIG, bake, edited_copy, event_count, require_tool, run, runtimes_of, usable

pytestmark = pytest.mark.slow

NEWEST = runtimes_of("python")[0]
TRIGGERS = CONFIG["trigger"]
# Older runtimes, the other base image and architecture: what changes the Python the venv and the harness
# run, not the handler (every trigger runs on the newest runtime below). The direct handler keeps the
# harness's own checks (a changed answer, Ctrl-C) independent of which trigger is the default.
VARIANTS = {
    "python3.13-aws": {"runtime": "python3.13", "trigger": "direct"},
    "python3.12-custom-arm64": {
        "runtime": "python3.12",
        "base_image": "custom",
        "architecture": "arm64",
        "trigger": "direct",
    },
}


# CPython versions that none of the registries this project's machines reach provides, as a build or as a
# source package `.ci/install/pythons.sh` could build from: a project of such a runtime runs on this
# machine's python3 where no Python of its own version is installed, and every test of it says so in its ID
# (`...-on-python3.11`). Every other runtime's own Python is required (REQUIRE_TOOLCHAINS=1 fails without it).
NOT_INSTALLABLE = {"3.14"}
MINOR = "import sys; print('%d.%d' % sys.version_info[:2])"


def installed_python(version):
    """The runtime's own Python where this machine has one that runs (pyenv's, or pythonX.Y on PATH), else None.

    A name on PATH may be a shim that runs nothing: only an interpreter that answers counts.
    """
    installed = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    runnable = [path for path in reversed(installed) if usable(path)]
    return runnable[0] if runnable else usable(f"python{version}")


def python_for(version):
    """The Python a project of this version's runtime is tested on: its own (required), or python3 for a
    version in NOT_INSTALLABLE that this machine lacks. The project's venv is made with it (runtime.mk's PYTHON),
    so unit tests and native mode run on it."""
    own = installed_python(version)
    if own:
        return own
    if version in NOT_INSTALLABLE:
        return require_tool("python3")
    return require_tool(f"python{version}")


@functools.cache
def python_used(version):
    """`pythonX.Y`, the version of the Python python_for picks, for test IDs (without failing collection)."""
    own = installed_python(version)
    interpreter = own or (usable("python3") if version in NOT_INSTALLABLE else None)
    if not interpreter:
        return f"python{version}"  # missing: the test itself then requires it
    found = subprocess.run([interpreter, "-c", MINOR], capture_output=True, text=True)
    return f"python{found.stdout.strip()}"


def version_of(runtime):
    return CATALOGUE[runtime]["version"]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A project baked with these answers, its .venv made (`make deps`); once per module and answers."""
    projects = {}

    def get(**answers):
        key = tuple(sorted(answers.items()))
        if key not in projects:
            require_tool("make")
            path = bake(tmp_path_factory.mktemp("python"), **answers)
            version = CATALOGUE[json.loads((path / "lambda.json").read_text())["runtime"]]["version"]
            result = run(["make", "deps", f"PYTHON={python_for(version)}"], path)
            assert result.returncode == 0
            projects[key] = path
        return projects[key]

    return get


@pytest.fixture(
    params=list(VARIANTS.values()),
    ids=[f"{name}-on-{python_used(version_of(answers['runtime']))}" for name, answers in VARIANTS.items()],
)
def project(request, prepared):
    return prepared(**request.param)


@pytest.fixture(params=TRIGGERS, ids=[f"{trigger}-on-{python_used(version_of(NEWEST))}" for trigger in TRIGGERS])
def trigger_project(request, prepared):
    """The newest runtime on the AWS base image for x86_64, invoked by each trigger."""
    return prepared(runtime=NEWEST, trigger=request.param)


def test_each_trigger_passes_its_generated_unit_tests(trigger_project):
    result = run(["make", "test"], trigger_project)
    assert result.returncode == 0
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) > event_count(trigger_project), "every sample event, and more"
    assert " failed" not in result.stdout


def test_each_trigger_answers_every_event_under_the_native_emulator(trigger_project, native_emulator_test):
    result, passed, failed = native_emulator_test(trigger_project)
    assert result.returncode == 0
    assert (passed, failed) == (event_count(trigger_project), 0)


def test_unit_tests_fail_when_an_expected_answer_differs(prepared, tmp_path):
    http = prepared(runtime=NEWEST, trigger="http")
    wrong = edited_copy(http, tmp_path / "wrong", "events/get-hello-name.expected.json", "Hello, Ada!", "Hello, Eve!")
    result = run(["make", "test"], wrong)
    assert result.returncode != 0
    assert "1 failed" in result.stdout and "get-hello-name" in result.stdout


def test_generated_unit_tests_pass(project):
    result = run(["make", "test"], project)
    assert result.returncode == 0
    assert " passed" in result.stdout and " failed" not in result.stdout


def venv_problems(project, test_id):
    """The project's venv runs the runtime's own Python; only a version in NOT_INSTALLABLE may run on
    another, and the test ID names the one it runs."""
    version = CATALOGUE[json.loads((project / "lambda.json").read_text())["runtime"]]["version"]
    used = run([str(project / ".venv" / "bin" / "python"), "-c", MINOR], project).stdout.strip()
    problems = []
    if not test_id.endswith(f"-on-python{used}"):
        problems.append(f"the venv runs Python {used}, not the one the test ID {test_id} names")
    if used != version and version not in NOT_INSTALLABLE:
        problems.append(f"Python {version} is required, the venv runs {used}")
    return problems


def test_venv_runs_the_python_the_test_id_names(project, request):
    assert venv_problems(project, request.node.callspec.id) == []


def test_venv_check_fails_for_a_venv_of_another_python(prepared, tmp_path):
    """A copy of the python3.13 project whose venv python3 made instead (without pip: only its Python counts)."""
    name = "python3.13-aws"
    version = version_of(VARIANTS[name]["runtime"])
    project = shutil.copytree(
        prepared(**VARIANTS[name]), tmp_path / "project", symlinks=True, ignore=shutil.ignore_patterns(".venv")
    )
    other = require_tool("python3")
    other_version = run([other, "-c", MINOR], project).stdout.strip()
    assert other_version != version, f"python3 here is Python {version} itself: no other Python to make a venv with"
    made = run([other, "-m", "venv", "--without-pip", str(project / ".venv")], project)
    assert made.returncode == 0, made.stderr
    assert venv_problems(project, f"{name}-on-{python_used(version)}") == [
        f"the venv runs Python {other_version}, not the one the test ID {name}-on-{python_used(version)} names",
        f"Python {version} is required, the venv runs {other_version}",
    ]


def test_native_emulator_answers_every_event(project, native_emulator_test):
    result, passed, failed = native_emulator_test(project)
    assert result.returncode == 0
    assert (passed, failed) == (event_count(project), 0)


def test_emulator_test_fails_when_an_answer_differs(project, native_emulator_test, tmp_path):
    broken = edited_copy(project, tmp_path / "broken", "src/greeting.py", 'f"Hello, {name}!"', 'f"Goodbye, {name}!"')
    result, passed, failed = native_emulator_test(broken)
    assert result.returncode != 0
    assert (passed, failed) == (1, event_count(broken) - 1)
    assert "Goodbye, Ada!" in result.stdout


def test_emulator_test_fails_naming_a_line_the_function_writes_that_is_not_json(
    prepared, native_emulator_test, tmp_path
):
    """The harness runs the function with Lambda's JSON log format, so every line the function writes must be
    one JSON object: a plain print() is what CloudWatch would get as unqueryable text."""
    project = prepared(**VARIANTS["python3.13-aws"])
    plain = edited_copy(
        project, tmp_path / "plain", "src/app.py", "    return response", '    print("hi")\n    return response'
    )
    result, passed, failed = native_emulator_test(plain)
    assert result.returncode != 0
    assert (passed, failed) == (event_count(plain), 0), "every answer is still right"
    assert "FAIL logs: the function wrote a line that is not a JSON object: 'hi'" in result.stdout
    assert "PASS logs:" in native_emulator_test(project)[0].stdout


def test_emulator_test_without_an_rie_says_how_to_get_one(project, tmp_path):
    env = {**os.environ, "EMULATOR_MODE": "native", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    env.pop("RIE_BIN", None)
    result = subprocess.run(
        [sys.executable, "scripts/emulator_test.py"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "make rie" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_during_the_emulator_test_stops_every_process(project, rie_bin, tmp_path):
    slow = edited_copy(
        project,
        tmp_path / "slow",
        "src/app.py",
        "    started = time.perf_counter()",
        "    time.sleep(60)\n    started = time.perf_counter()",
    )
    harness = subprocess.Popen(
        [sys.executable, "scripts/emulator_test.py"],
        cwd=slow,
        text=True,
        env={**os.environ, "EMULATOR_MODE": "native", "RIE_BIN": rie_bin},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _processes_under(slow):
        time.sleep(0.2)
    assert _processes_under(slow), "the RIE never started"
    time.sleep(1)
    harness.send_signal(signal.SIGINT)
    assert harness.wait(timeout=30) == 130
    time.sleep(0.5)
    assert _processes_under(slow) == []


def _processes_under(directory):
    """PIDs of live processes whose command line mentions the directory (the RIE and the runtime)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(directory) in cmdline and "emulator_test.py" not in cmdline:
            found.append(int(pid))
    return found


def test_fetch_rie_installs_an_executable_linux_binary(tmp_path, project):
    result = run(["bash", "scripts/fetch-rie.sh"], project, env={"RIE_DIR": str(tmp_path)})
    assert result.returncode == 0
    binary = tmp_path / "aws-lambda-rie"
    assert binary.read_bytes()[:4] == b"\x7fELF" and os.access(binary, os.X_OK)
