"""The template repository's own GitHub Actions (.github/): the variants matrix comes from the catalogue,
every action is pinned, permissions are least, and zizmor and actionlint find nothing.

Each check is a function of a .github directory, so the tests that prove a check can fail run it on an
edited copy.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import CATALOGUE, CONFIG, OFFERED, REPO, edited_copy, require_tool, run

GITHUB = REPO / ".github"
MATRIX_SCRIPT = GITHUB / "scripts" / "matrix.py"
RUNNER = {"x86_64": "ubuntu-24.04", "arm64": "ubuntu-24.04-arm"}
PINNED_ACTION = re.compile(r"^\s*(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
PINNED_IMAGE = re.compile(r"^\s*image: [\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")


def workflows(github=GITHUB):
    return sorted((github / "workflows").glob("*.yml"))


def load(path):
    return yaml.safe_load(path.read_text())


def tool(name):
    """A linter installed beside the Python running the tests (the venv of `make test`), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else require_tool(name)


def unpinned(github):
    """Lines that use an action not pinned to a full commit SHA with its release, or an image not by digest."""
    return [
        f"{path.name}: {line.strip()}"
        for path in workflows(github)
        for line in path.read_text().splitlines()
        if (re.match(r"^\s*(- )?uses:", line) and not PINNED_ACTION.match(line))
        or (re.match(r"^\s*image:", line) and not PINNED_IMAGE.match(line))
    ]


def permission_problems(github):
    """Workflows without `permissions: {}` at the top, jobs asking for more than reading the repository."""
    problems = []
    for path in workflows(github):
        flow = load(path)
        if flow.get("permissions") != {}:
            problems.append(f"{path.name}: top-level permissions {flow.get('permissions')!r}")
        for name, job in flow["jobs"].items():
            if job.get("permissions") != {"contents": "read"}:
                problems.append(f"{path.name}: job {name} permissions {job.get('permissions')!r}")
    return problems


def zizmor(github):
    return subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", "--persona=pedantic", str(github)],
        capture_output=True,
        text=True,
    )


def actionlint(github):
    return run([require_tool("actionlint"), *map(str, workflows(github))], github.parent)


def matrix_entries(config, monkeypatch):
    """The include list .github/scripts/matrix.py makes when cookiecutter.json holds `config`."""
    spec = importlib.util.spec_from_file_location("template_matrix", MATRIX_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr("lambda_container.template.config", lambda: config)
    return module.include()


def steps_of(job):
    return [step.get("run", step.get("uses", "")).strip() for step in job["steps"]]


# ---- the matrix is the catalogue -------------------------------------------------------------------------


def expected_variants(config):
    """Every offered runtime x base image x architecture, x each value of the runtime's flavour variable."""
    found = []
    for runtime in config["runtime"]:
        flavour = config["_languages"][config["_runtimes"][runtime]["language"]].get("flavour_variable")
        for value in config[flavour] if flavour else [None]:
            for base in config["base_image"]:
                for arch in config["architecture"]:
                    answers = {"runtime": runtime, "base_image": base, "architecture": arch}
                    found.append({**answers, flavour: value} if flavour else answers)
    return found


def as_answers(entry):
    return dict(pair.split("=", 1) for pair in entry["answers"].split())


def test_matrix_script_prints_every_offered_variant_with_its_runner_and_toolchain():
    result = subprocess.run([sys.executable, str(MATRIX_SCRIPT)], capture_output=True, text=True, check=True)
    key, _, value = result.stdout.strip().partition("=")
    entries = json.loads(value)
    assert key == "include" and "\n" not in result.stdout.strip()  # one $GITHUB_OUTPUT line
    assert sorted(map(json.dumps, map(as_answers, entries))) == sorted(map(json.dumps, expected_variants(CONFIG)))
    assert {as_answers(e)["runtime"] for e in entries} == set(OFFERED)
    for entry in entries:
        answers = as_answers(entry)
        runtime = CATALOGUE[answers["runtime"]]
        assert entry["runner"] == RUNNER[answers["architecture"]]
        assert (entry["language"], entry["version"]) == (runtime["language"], runtime["version"])
    assert len({entry["name"] for entry in entries}) == len(entries)  # job names tell variants apart


def test_a_runtime_added_to_the_catalogue_gets_its_jobs_without_editing_the_workflow(monkeypatch):
    config = json.loads(json.dumps(CONFIG))
    config["_runtimes"]["python3.15"] = {**config["_runtimes"]["python3.14"], "version": "3.15"}
    config["runtime"].append("python3.15")
    added = [e for e in matrix_entries(config, monkeypatch) if as_answers(e)["runtime"] == "python3.15"]
    assert len(added) == len(CONFIG["base_image"]) * len(CONFIG["architecture"])
    assert {e["version"] for e in added} == {"3.15"}


def test_variant_jobs_come_from_the_matrix_job_and_prove_each_variant_with_docker():
    flow = load(GITHUB / "workflows" / "variants.yml")
    matrix, variant = flow["jobs"]["matrix"], flow["jobs"]["variant"]
    listing = next(step for step in matrix["steps"] if step.get("id") == "variants")
    assert listing["run"] == 'python .github/scripts/matrix.py >> "$GITHUB_OUTPUT"'
    assert matrix["outputs"]["include"] == "${{ steps.variants.outputs.include }}"
    assert variant["needs"] == "matrix" and variant["runs-on"] == "${{ matrix.runner }}"
    assert variant["strategy"] == {
        "fail-fast": False,
        "matrix": {"include": "${{ fromJSON(needs.matrix.outputs.include) }}"},
    }
    assert variant["env"]["CONTAINER_CLI"] == "docker"
    steps = steps_of(variant)
    modes = [
        step.get("env", {}).get("EMULATOR_MODE") for step in variant["steps"] if step.get("run") == "make emulator-test"
    ]
    assert sorted(modes) == ["container", "native"]
    assert steps.index("make test") < steps.index("make build")
    assert any("$GITHUB_STEP_SUMMARY" in step and "docker image inspect" in step for step in steps)


def test_every_offered_language_has_its_toolchain_and_dependency_cache():
    variant = load(GITHUB / "workflows" / "variants.yml")["jobs"]["variant"]
    setups: dict[str, list[dict]] = {}
    for step in variant["steps"]:
        found = re.fullmatch(r"matrix\.language == '(\w+)'", step.get("if", ""))
        if found:
            setups.setdefault(found.group(1), []).append(step)
    assert set(setups) == {CATALOGUE[runtime]["language"] for runtime in OFFERED}
    caches = {language: [step.get("with", {}) for step in steps] for language, steps in setups.items()}
    assert {"cache": "pip", "cache-dependency-path": "project/requirements*.txt"}.items() <= caches["python"][0].items()
    assert caches["nodejs"][0]["cache"] == "npm" and caches["java"][0]["cache"] == "maven"
    assert caches["go"][0]["cache-dependency-path"] == "project/go.sum"  # setup-go caches by default
    assert any(with_.get("path") == "~/.nuget/packages" for with_ in caches["dotnet"])


def test_repository_tests_run_ci_run_and_make_lint():
    job = load(GITHUB / "workflows" / "tests.yml")["jobs"]["make-test"]
    steps = steps_of(job)
    assert ".ci/run" in steps
    assert "REQUIRE_TOOLCHAINS=1 make test" in (REPO / ".ci" / "run").read_text()
    if re.search(r"^lint:", (REPO / "Makefile").read_text(), re.MULTILINE):
        assert steps.index("make lint") > steps.index(".ci/run")


# ---- pinning, permissions, concurrency, linters --------------------------------------------------------


def test_every_action_is_pinned_by_commit_sha_and_every_image_by_digest():
    assert workflows() and unpinned(GITHUB) == []


def test_permissions_are_none_at_the_top_and_read_only_per_job():
    assert permission_problems(GITHUB) == []


def test_a_newer_push_cancels_the_older_run_of_the_same_workflow_and_branch():
    for path in workflows():
        assert load(path)["concurrency"] == {
            "group": "${{ github.workflow }}-${{ github.ref }}",
            "cancel-in-progress": True,
        }, path.name


def test_workflows_and_dependabot_config_match_githubs_schemas():
    checker = tool("check-jsonschema")
    for schema, files in (("vendor.github-workflows", workflows()), ("vendor.dependabot", [GITHUB / "dependabot.yml"])):
        result = subprocess.run([checker, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_have_no_zizmor_findings_even_pedantic_ones():
    result = zizmor(GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing():
    result = actionlint(GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr


# ---- each check fails on a broken copy -----------------------------------------------------------------

VARIANTS_YML = "workflows/variants.yml"
CHECKOUT = "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2"


@pytest.mark.parametrize(
    "check, relative, old, new",
    [
        (unpinned, VARIANTS_YML, CHECKOUT, "actions/checkout@v6"),
        (
            permission_problems,
            VARIANTS_YML,
            "    permissions:\n      contents: read\n    outputs:",
            "    permissions:\n      contents: write\n    outputs:",
        ),
        (lambda github: zizmor(github).returncode, VARIANTS_YML, "persist-credentials: false", "fetch-depth: 1"),
        (lambda github: actionlint(github).returncode, VARIANTS_YML, "needs: matrix", "needs: matrixx"),
    ],
    ids=["pinning", "permissions", "zizmor", "actionlint"],
)
def test_each_check_fails_on_a_broken_copy(tmp_path, check, relative, old, new):
    assert not check(GITHUB)
    assert check(edited_copy(GITHUB, tmp_path / ".github", relative, old, new))
