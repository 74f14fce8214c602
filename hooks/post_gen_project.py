"""Lift the layers these answers use into the project root, drop the rest, and finish the project.

A layer is a folder of `_layers/`: first the language's files (`python/`), then the files that depend on
one more answer, named `<language>-<value>`: the runtime's flavour (`nodejs-typescript/`) and the base image
(`dotnet-aws/`); then what invokes the function: its events (`trigger-http/`) and the language's handler
for it (`python-http/`, `nodejs-typescript-http/`); last the optional extras, one layer per chosen value,
named `<variable>-<value>` (`include_sam-yes/`: template.yaml and samconfig.toml; `ci-github/`: .github/).
A later layer overwrites same-named files of an earlier one; a layer may be absent (`ci-none/`), so an extra
not chosen leaves no file behind: generating again over a project removes the files of the extras' other
layers first, so a changed answer gives the project a fresh generation would.
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
# Optional extras: each variable's chosen value picks the layer `<variable>-<value>/`, if there is one.
EXTRAS = ["include_sam", "ci"]
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
    names.extend(f"{variable}-{answers[variable]}" for variable in EXTRAS)
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


def unchosen_extras(answers: Answers, layers: Path) -> list[Path]:
    """The layers of the extras' other values (`ci-github/` when ci=none)."""
    chosen = set(layer_names(answers))
    return [
        layer
        for variable in EXTRAS
        for layer in sorted(layers.glob(f"{variable}-*"))
        if layer.is_dir() and layer.name not in chosen
    ]


def remove_layer_files(layer: Path, project: Path, render: Render) -> None:
    """Remove from the project the files a layer would give it, and the folders that leaves empty."""
    for source in sorted(path for path in layer.rglob("*") if path.is_file()):
        target = project / render(source.relative_to(layer).as_posix())
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != project and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def lift_layers(answers: Answers, project: Path) -> None:
    """Render the layers these answers use into the project, then remove every layer."""
    layers = project / LAYERS
    render = renderer(answers, layers)
    for layer in unchosen_extras(answers, layers):
        remove_layer_files(layer, project, render)  # what an earlier generation's answers put there
    for name in layer_names(answers):
        if (layers / name).is_dir():
            render_layer(layers / name, project, render)
    shutil.rmtree(layers, ignore_errors=True)  # safe to run again, e.g. when cruft regenerates


def make_scripts_executable(project: Path) -> None:
    """scripts/*.sh and scripts/*.py run by their shebang, whatever mode the checkout gave them."""
    for script in (project / "scripts").glob("*"):
        if script.suffix in (".sh", ".py"):
            script.chmod(script.stat().st_mode | EXECUTABLE)


def main() -> None:
    answers = json.loads(ANSWERS_JSON)
    project = Path.cwd()  # cookiecutter runs the hook in the generated project
    lift_layers(answers, project)
    make_scripts_executable(project)


if __name__ == "__main__":
    main()
