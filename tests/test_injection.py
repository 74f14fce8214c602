"""Hostile free text reaches every generated file as inert, correctly quoted data."""
import json
import subprocess
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import OFFERED, bake
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
    project = bake(tmp_path / "out", runtime=runtime, project_name=text, description=text,
                   project_slug="safe-slug")
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


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{% for x in range(1) %}{{ x }}{% endfor %}",
    "{# comment #}",
])
def test_wizard_rejects_template_syntax_before_anything_is_rendered(tmp_path, capsys, payload):
    marker = tmp_path / MARKER
    code = cli.main(["new", str(tmp_path / "out"), "--no-input", "--project-slug", "demo",
                     "--set", "project_name=" + payload.replace("MARKER", str(marker))])
    assert code == 2
    assert "template syntax" in capsys.readouterr().err
    assert not marker.exists() and not (tmp_path / "out").exists()
