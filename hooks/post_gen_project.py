"""Render the chosen runtime's template layers into the project root, then drop the rest.

cookiecutter copies `_runtimes/` without rendering it (`_copy_without_render`), so only the layers this
runtime uses are rendered, with cookiecutter's own Jinja environment and the same answers.
"""
import json
import shutil
import stat
from pathlib import Path

from cookiecutter.environment import StrictEnvironment
from jinja2 import FileSystemLoader

ANSWERS = json.loads(r"""{{ cookiecutter | jsonify }}""")
ENTRY = ANSWERS["_runtimes"][ANSWERS["runtime"]]
LAYERS = Path("_runtimes")
# Layers may include shared fragments from _runtimes/_shared/.
JINJA = StrictEnvironment(context={"cookiecutter": ANSWERS}, keep_trailing_newline=True,
                          loader=FileSystemLoader(str(LAYERS)))
# Optional extras: the files each answer leaves out of the project.
LEFT_OUT = {"include_sam": {"no": ["template.yaml", "samconfig.toml"]}, "ci": {"none": [".github"]}}


def layer_names():
    """The language layer, then its flavour (e.g. nodejs-typescript) when the runtime has one."""
    names = [ENTRY["language"]]
    if ENTRY.get("flavour_variable"):
        names.append(f"{ENTRY['language']}-{ANSWERS[ENTRY['flavour_variable']]}")
    return names


def render(text):
    return JINJA.from_string(text).render(cookiecutter=ANSWERS)


def render_layer(layer):
    """Render each file's path and content into the project root, overwriting shared defaults.

    A path that renders to a directory (an `if` around the file name) means: not for these answers.
    """
    for source in sorted(p for p in layer.rglob("*") if p.is_file()):
        relative = render(source.relative_to(layer).as_posix())
        if relative.endswith("/"):
            continue
        target = Path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # LF on every system: a script written with CRLF (Windows' default) dies at its shebang.
            target.write_text(render(source.read_text(encoding="utf-8")), encoding="utf-8", newline="\n")
        except UnicodeDecodeError:
            shutil.copyfile(source, target)
        shutil.copymode(source, target)


def prune_extras():
    for variable, choices in LEFT_OUT.items():
        for path in map(Path, choices.get(ANSWERS[variable], [])):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def make_scripts_executable():
    for script in Path("scripts").glob("*"):
        if script.suffix in (".sh", ".py"):
            script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


for name in layer_names():
    if (LAYERS / name).is_dir():
        render_layer(LAYERS / name)
shutil.rmtree(LAYERS, ignore_errors=True)  # safe to run again, e.g. when cruft regenerates
prune_extras()
make_scripts_executable()
