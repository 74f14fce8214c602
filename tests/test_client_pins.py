"""Each runtime interface client is pinned once, in a manifest the project's Dependabot updates.

A pin written twice (a Dockerfile ARG beside requirements-dev.txt, a README naming the version) drifts:
Dependabot bumps the manifest and the other copy stays behind. So in every generated project, each
version pinned for the language's client appears in exactly one file, a manifest of the ecosystem
`.github/dependabot.yml` names, in a directory it lists; the Dockerfile installs from that manifest.
"""

import re

import pytest
import yaml

from helpers import CATALOGUE, bake, edited_copy, variant_id
from lambda_container.template import variants

# The client each language's function runs under (Go links it into the binary: aws-lambda-go).
CLIENTS = {
    "python": "awslambdaric",
    "nodejs": "aws-lambda-ric",
    "java": "aws-lambda-java-runtime-interface-client",
    "dotnet": "Amazon.Lambda.RuntimeSupport",
    "go": "github.com/aws/aws-lambda-go",
    "ruby": "aws_lambda_ric",
}
# The files Dependabot reads for each ecosystem, relative to a directory dependabot.yml lists.
MANIFESTS = {
    "pip": ["requirements*.txt", "pyproject.toml"],
    "npm": ["package.json"],
    "maven": ["pom.xml"],
    "nuget": ["**/*.csproj"],
    "gomod": ["go.mod"],
    "bundler": ["Gemfile"],
}
# Files Dependabot rewrites together with a manifest, holding the same version by construction.
COMPANIONS = {"go.sum"}
# Every language's variants on each base image (one architecture: the pins do not depend on it).
CASES = [answers for answers in variants() if answers["architecture"] == "x86_64"]


def pins(text, client):
    """The versions written right after the client's name: name==1.2.3, "name": "1.2.3", name v1.2.3..."""
    return re.findall(re.escape(client) + r"""(?![\w./-])[^\d]{0,40}?v?(\d+\.\d+\.\d+)""", text)


def pinned_in(project, client):
    """{relative path: [versions]} for every text file that pins the client."""
    found = {}
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".git" not in path.parts and path.name not in COMPANIONS:
            try:
                versions = pins(path.read_text(encoding="utf-8"), client)
            except UnicodeDecodeError:
                continue
            if versions:
                found[path.relative_to(project).as_posix()] = versions
    return found


def dependabot_manifests(project, ecosystem):
    """The files the project's Dependabot reads for its language's ecosystem."""
    config = yaml.safe_load((project / ".github" / "dependabot.yml").read_text())
    (update,) = [update for update in config["updates"] if update["package-ecosystem"] == ecosystem]
    directories = update.get("directories") or [update["directory"]]
    return {
        path.relative_to(project).as_posix()
        for directory in directories
        for pattern in MANIFESTS[ecosystem]
        for path in (project / directory.strip("/")).glob(pattern)
    }


def check_pins(project, answers):
    language = CATALOGUE[answers["runtime"]]["language"]
    config = yaml.safe_load((project / ".github" / "dependabot.yml").read_text())
    ecosystem = config["updates"][0]["package-ecosystem"]
    found = pinned_in(project, CLIENTS[language])
    assert len(found) == 1, f"{CLIENTS[language]} is pinned in {sorted(found)}: pin it in one manifest"
    ((where, versions),) = found.items()
    assert len(set(versions)) == 1, f"{where} pins {CLIENTS[language]} at {versions}"
    assert where in dependabot_manifests(project, ecosystem), f"{where} is no {ecosystem} manifest Dependabot reads"
    return where


@pytest.fixture(scope="module", params=CASES, ids=variant_id)
def generated(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("pins"), ci="github", **request.param)


def test_the_client_is_pinned_once_in_a_manifest_dependabot_updates(generated):
    answers, project = generated
    check_pins(project, answers)


def test_a_second_pin_of_the_client_fails_the_check(generated, tmp_path):
    answers, project = generated
    where = check_pins(project, answers)
    pin = (project / where).read_text(encoding="utf-8")
    client = CLIENTS[CATALOGUE[answers["runtime"]]["language"]]
    version = pins(pin, client)[0]
    copy = edited_copy(project, tmp_path / "copy", "Dockerfile", "\nCMD ", f"\n# {client} {version}\nCMD ")
    with pytest.raises(AssertionError, match="pin it in one manifest"):
        check_pins(copy, answers)
