"""Lift the layers these answers use into the project root, drop the rest, and finish the project.

A layer is a folder of `_layers/`: first the language's files (`python/`), then the files that depend on
one more answer, named `<language>-<value>`: the runtime's flavour (`nodejs-typescript/`) and the base image
(`dotnet-aws/`); then what invokes the function: its events (`trigger-http/`) and the language's handler
for it (`python-http/`, `nodejs-typescript-http/`). A later layer overwrites same-named files of an earlier one;
a layer may be absent.
cookiecutter copies `_layers/` without rendering it (`_copy_without_render`), so only the layers used are
rendered, here, with cookiecutter's own Jinja environment and the same answers.
"""

import json
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cookiecutter.environment import StrictEnvironment
from jinja2 import FileSystemLoader

# cookiecutter fills this in when it renders the hook; only main() reads it, so tests can import this file.
ANSWERS_JSON = r"""{{ cookiecutter | jsonify }}"""
LAYERS = "_layers"
# Optional extras: the files each answer leaves out of the project.
LEFT_OUT = {"include_sam": {"no": ["template.yaml", "samconfig.toml"]}, "ci": {"none": [".github"]}}
EXECUTABLE = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH

# cookiecutter's context: every answer, and the catalogue: `_languages` (what every runtime of a language
# shares) and `_runtimes` (each runtime's own facts, naming its language), as JSON values.
Answers = dict[str, Any]
Render = Callable[[str], str]


def layer_names(answers: Answers) -> list[str]:
    """The layers these answers use, in the order they are applied."""
    language = str(answers["_runtimes"][answers["runtime"]]["language"])
    flavour = answers["_languages"][language].get("flavour_variable")
    names = [language]
    if flavour:
        names.append(f"{language}-{answers[flavour]}")
    names.append(f"{language}-{answers['base_image']}")
    # What invokes the function: its sample events (`trigger-<trigger>/`, every language), then the
    # language's handler for it, per flavour where the language has one (`nodejs-typescript-http/`).
    trigger = answers["trigger"]
    names.append(f"trigger-{trigger}")
    names.append(f"{language}-{trigger}")
    if flavour:
        names.append(f"{language}-{answers[flavour]}-{trigger}")
    return names


def renderer(answers: Answers, layers: Path) -> Render:
    """Render a text as cookiecutter would; a layer may include shared fragments from `_layers/_shared/`."""
    environment = StrictEnvironment(
        context={"cookiecutter": answers}, keep_trailing_newline=True, loader=FileSystemLoader(str(layers))
    )
    return lambda text: str(environment.from_string(text).render(cookiecutter=answers))


def render_layer(layer: Path, project: Path, render: Render) -> None:
    """Render each file's path and content into the project, keeping its mode; binary files are copied."""
    for source in sorted(path for path in layer.rglob("*") if path.is_file()):
        relative = render(source.relative_to(layer).as_posix())
        if relative == "" or relative.endswith("/"):
            # cookiecutter would leave such a file out; here an answer chooses files by choosing a layer.
            raise ValueError(f"{source}: its name renders to a directory; put answer-dependent files in a layer")
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # LF on every system: a script written with CRLF (Windows' default) dies at its shebang.
            target.write_text(render(source.read_text(encoding="utf-8")), encoding="utf-8", newline="\n")
        except UnicodeDecodeError:
            shutil.copyfile(source, target)
        shutil.copymode(source, target)


def lift_layers(answers: Answers, project: Path) -> None:
    """Render the layers these answers use into the project, then remove every layer."""
    layers = project / LAYERS
    render = renderer(answers, layers)
    for name in layer_names(answers):
        if (layers / name).is_dir():
            render_layer(layers / name, project, render)
    shutil.rmtree(layers, ignore_errors=True)  # safe to run again, e.g. when cruft regenerates


def prune_extras(answers: Answers, project: Path) -> None:
    """Remove the optional files the answers leave out (LEFT_OUT)."""
    for variable, choices in LEFT_OUT.items():
        for path in (project / name for name in choices.get(answers[variable], [])):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def make_scripts_executable(project: Path) -> None:
    """scripts/*.sh and scripts/*.py run by their shebang, whatever mode the checkout gave them."""
    for script in (project / "scripts").glob("*"):
        if script.suffix in (".sh", ".py"):
            script.chmod(script.stat().st_mode | EXECUTABLE)


def main() -> None:
    answers = json.loads(ANSWERS_JSON)
    project = Path.cwd()  # cookiecutter runs the hook in the generated project
    lift_layers(answers, project)
    prune_extras(answers, project)
    make_scripts_executable(project)


if __name__ == "__main__":
    main()
