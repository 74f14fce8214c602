"""The wheel carries the template: `lambda-container new` works from a plain pip install."""
import json
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)], REPO)
    assert result.returncode == 0
    return next(out.glob("lambda_container-*.whl"))


def test_wheel_contains_the_template_the_repository_holds(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tracked = subprocess.run(["git", "ls-files", "cookiecutter.json", "hooks", "templates",
                              "{{cookiecutter.project_slug}}"], cwd=REPO, capture_output=True, text=True)
    for path in tracked.stdout.splitlines():
        assert f"lambda_container/template/{path}" in names, path


def test_installed_wheel_generates_the_default_project(wheel, tmp_path):
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0
    assert run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], tmp_path).returncode == 0
    result = run([str(venv / "bin" / "lambda-container"), "new", "out", "--no-input"], tmp_path)
    assert result.returncode == 0
    settings = json.loads((tmp_path / "out" / "hello-lambda" / "lambda.json").read_text())
    assert settings["runtime"] == "python3.14"
    assert (tmp_path / "out" / "hello-lambda" / "Dockerfile").is_file()
