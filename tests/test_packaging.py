"""The wheel carries the template: `lambda-container new` works from a plain pip install."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import CONFIG, REPO, run

pytestmark = pytest.mark.slow

# Run by the installed package: where its template lives and what its cookiecutter.json says.
TEMPLATE_REPORT = """
import json
from lambda_container import template
print(json.dumps([str(template.template_dir()), template.config()]))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(REPO)], REPO)
    assert result.returncode == 0
    return next(out.glob("lambda_container-*.whl"))


def test_wheel_contains_the_template_the_repository_holds(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tracked = subprocess.run(
        ["git", "ls-files", "cookiecutter.json", "hooks", "templates", "{{cookiecutter.project_slug}}"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    for path in tracked.stdout.splitlines():
        assert f"lambda_container/template/{path}" in names, path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    """A throwaway virtual environment with nothing but the wheel (and its dependencies) installed."""
    venv = tmp_path_factory.mktemp("venv")
    assert run([sys.executable, "-m", "venv", str(venv)], venv).returncode == 0
    assert run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], venv).returncode == 0
    return venv


def test_installed_wheel_reads_the_template_the_repository_holds(venv, tmp_path):
    # Installed, the wizard must read the template inside the package, and that copy must be this one.
    result = run([str(venv / "bin" / "python"), "-c", TEMPLATE_REPORT], tmp_path)
    assert result.returncode == 0
    template_dir, config = json.loads(result.stdout)
    assert Path(template_dir).is_relative_to(venv.resolve())
    assert config == CONFIG


def test_installed_wheel_generates_the_default_project(venv, tmp_path):
    result = run([str(venv / "bin" / "lambda-container"), "new", "out", "--no-input"], tmp_path)
    assert result.returncode == 0
    settings = json.loads((tmp_path / "out" / "hello-lambda" / "lambda.json").read_text())
    assert settings["runtime"] == "python3.14"
    assert (tmp_path / "out" / "hello-lambda" / "Dockerfile").is_file()


def test_installed_wheel_names_a_dotnet_project_by_the_name_cookiecutter_derives(venv, tmp_path):
    # __dotnet_name is a private variable cookiecutter renders: never asked, and not an answer to give.
    command = [str(venv / "bin" / "lambda-container"), "new", "out", "--no-input", "--runtime", "dotnet10"]
    result = run([*command, "--project-name", "Orders API"], tmp_path)
    assert result.returncode == 0
    project = tmp_path / "out" / "orders-api"
    assert (project / "src" / "OrdersApi" / "OrdersApi.csproj").is_file()
    assert json.loads((project / "lambda.json").read_text())["handler"].startswith("OrdersApi::OrdersApi.Function::")
    refused = run([*command, "--set", "__dotnet_name=Other"], tmp_path)
    assert refused.returncode != 0 and "__dotnet_name" in refused.stderr
