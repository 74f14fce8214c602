"""Line endings: a template cloned with core.autocrlf=true (Git for Windows' default) generates projects whose
scripts, Makefile and sources run, and a generated project stays LF through its own commits and checkouts.

Git would check text files out with CRLF there, and cookiecutter keeps each file's line endings: a CRLF
shell script dies at its shebang. The .gitattributes of the template repository and of every generated
project prevent that; these tests clone and commit with real git to prove it.
"""

import os
import shutil
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from helpers import CATALOGUE, OFFERED, REPO, all_variants, event_count, require, require_tool, run, variant_id

TEMPLATE = "{{cookiecutter.project_slug}}"
# What `cookiecutter <repository>` reads from the template repository.
TEMPLATE_PATHS = [".gitattributes", "cookiecutter.json", "hooks", "templates", TEMPLATE]
AUTOCRLF = ["-c", "core.autocrlf=true"]
# Settings a developer's own git configuration could otherwise impose on the test repositories.
COMMIT = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
# Every language and flavour, both base images (they generate different files), with every optional file.
FIRST_RUNTIME: dict[str, str] = {}
for _runtime in OFFERED:
    FIRST_RUNTIME.setdefault(CATALOGUE[_runtime]["language"], _runtime)
VARIANTS = [
    {**answers, "include_sam": "yes", "ci": "github"}
    for answers in all_variants()
    if answers["runtime"] in FIRST_RUNTIME.values() and answers["architecture"] == "x86_64"
]
# A binary file whose bytes look like CRLF text to git's guess: only the `binary` rule keeps it intact.
PNG_LOOKING_LIKE_TEXT = b"\x89PNG\r\n\x1a\n" + b"IHDR pixels\r\n" * 40


def git(*arguments, cwd):
    result = run(["git", *arguments], cwd)
    assert result.returncode == 0, result.stderr
    return result


def generate(template, output, **answers):
    """Plain cookiecutter, as `cookiecutter gh:org/lambda-container` generates from its clone."""
    extra = {key: str(value) for key, value in answers.items()}
    return Path(cookiecutter(str(template), no_input=True, extra_context=extra, output_dir=str(output)))


def files(root):
    """Every file's bytes by relative path, outside .git."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def with_cr(root):
    """Text files (no NUL byte) that contain a carriage return."""
    return [name for name, data in files(root).items() if b"\0" not in data and b"\r" in data]


@pytest.fixture(scope="module")
def autocrlf_clone(tmp_path_factory):
    """The template as this working tree holds it, committed, then cloned as Git for Windows clones it."""
    source = tmp_path_factory.mktemp("template-repository")
    for name in TEMPLATE_PATHS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    git("init", "-q", cwd=source)
    git("add", ".", cwd=source)
    git(*COMMIT, "commit", "-q", "-m", "template", cwd=source)
    clone = tmp_path_factory.mktemp("clone") / "lambda-container"
    git(*AUTOCRLF, "clone", "-q", str(source), str(clone), cwd=clone.parent)
    return clone


@pytest.fixture(scope="module", params=VARIANTS, ids=variant_id)
def generated(request, autocrlf_clone, tmp_path_factory):
    return generate(autocrlf_clone, tmp_path_factory.mktemp("generated"), **request.param)


def test_every_language_is_generated():
    assert {CATALOGUE[answers["runtime"]]["language"] for answers in VARIANTS} == set(FIRST_RUNTIME)


def test_root_gitattributes_has_every_rule_of_the_template_one():
    """The template's .gitattributes covers its tree; the repository's root one must agree with it."""
    template_rules = (REPO / TEMPLATE / ".gitattributes").read_text().splitlines()
    root_rules = (REPO / ".gitattributes").read_text().splitlines()
    missing = [rule for rule in template_rules if rule and not rule.startswith("#") and rule not in root_rules]
    assert missing == []


def test_project_generated_from_an_autocrlf_clone_has_no_carriage_return(generated):
    assert "scripts/build-image.sh" in files(generated)
    assert with_cr(generated) == []
    assert (generated / ".gitattributes").read_bytes() == (REPO / TEMPLATE / ".gitattributes").read_bytes()


def test_make_build_runs_the_generated_build_script_with_the_container_cli(generated, tmp_path):
    """`make build` runs scripts/build-image.sh, which finds `docker` on PATH: a stand-in that records its call."""
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    record = tmp_path / "docker-call"
    docker = stand_ins / "docker"
    docker.write_text(f'#!/bin/sh\n{{ pwd; printf "%s\\n" "$@"; }} > "{record}"\n')
    docker.chmod(0o755)
    result = run(
        ["make", "build", "IMAGE=hello:test"],
        generated,
        env={"PATH": f"{stand_ins}{os.pathsep}{os.environ['PATH']}", "CONTAINER_CLI": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cwd, *arguments = record.read_text().splitlines()
    assert Path(cwd) == generated
    # The stand-in answers `docker buildx version`, so the script builds with buildx (its last call recorded).
    assert arguments == [
        "buildx",
        "build",
        "--load",
        "--provenance=false",
        "--sbom=false",
        "--platform",
        "linux/amd64",
        "-t",
        "hello:test",
        ".",
    ]


def test_generated_project_committed_and_checked_out_with_autocrlf_stays_lf(generated, tmp_path):
    """The project's own .gitattributes: a commit from a Windows editor (CRLF) and a checkout with
    core.autocrlf=true both leave LF, and a binary file is kept byte for byte."""
    project = shutil.copytree(generated, tmp_path / "project")
    script = project / "scripts" / "build-image.sh"
    script.write_bytes(script.read_bytes().replace(b"\n", b"\r\n"))
    (project / "docs").mkdir()
    (project / "docs" / "diagram.png").write_bytes(PNG_LOOKING_LIKE_TEXT)
    git("init", "-q", cwd=project)
    git(*AUTOCRLF, "add", ".", cwd=project)
    git(*AUTOCRLF, *COMMIT, "commit", "-q", "-m", "project", cwd=project)
    checkout = tmp_path / "checkout"
    git(*AUTOCRLF, "clone", "-q", str(project), str(checkout), cwd=tmp_path)
    checked_out = files(checkout)
    assert checked_out.pop("docs/diagram.png") == PNG_LOOKING_LIKE_TEXT, "the binary file was converted"
    assert [name for name, data in checked_out.items() if b"\r" in data] == []
    assert checked_out == files(generated)


@pytest.mark.slow
def test_go_project_from_an_autocrlf_clone_passes_make_test_and_the_native_emulator_test(
    autocrlf_clone, tmp_path, native_emulator_test
):
    """End to end from such a clone. (GNU make, Go and the Python harness accept CRLF: the shebang of the
    build script is what CRLF breaks, which the test of `make build` above proves.)"""
    require_tool("go")
    project = generate(autocrlf_clone, tmp_path, runtime="provided.al2023", base_image="aws")
    # Fetched directly, not through the Makefile under test, so that only a missing network skips.
    modules = run(["go", "mod", "download"], project)
    require(modules.returncode == 0, "the Go modules could not be fetched through GOPROXY")
    result = run(["make", "test"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    result, passed, failed = native_emulator_test(project)
    assert (passed, failed) == (event_count(project), 0), result.stdout + result.stderr
