"""Keep only what the chosen runtime uses: lift its template layers to the project root."""
import json
import os
import shutil
import stat
from pathlib import Path

ANSWERS = json.loads(r"""{{ cookiecutter | jsonify }}""")
ENTRY = ANSWERS["_runtimes"][ANSWERS["runtime"]]
LAYERS = Path("_runtimes")
# Optional extras: the files each answer leaves out of the project.
LEFT_OUT = {"include_sam": {"no": ["template.yaml", "samconfig.toml"]}, "ci": {"none": [".github"]}}


def layer_names():
    """The language layer, then its flavour (e.g. nodejs-typescript) when the runtime has one."""
    names = [ENTRY["language"]]
    if ENTRY.get("flavour_variable"):
        names.append(f"{ENTRY['language']}-{ANSWERS[ENTRY['flavour_variable']]}")
    return names


def lift(layer):
    """Move every file of a layer into the project root, overwriting shared defaults."""
    for source in sorted(p for p in layer.rglob("*") if p.is_file()):
        target = source.relative_to(layer)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def prune_extras():
    for variable, choices in LEFT_OUT.items():
        for path in map(Path, choices.get(ANSWERS[variable], [])):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def make_scripts_executable():
    for script in Path("scripts").glob("*"):
        if script.suffix in (".sh", ".py") or script.name == "mvnw":
            script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


for name in layer_names():
    if (LAYERS / name).is_dir():
        lift(LAYERS / name)
shutil.rmtree(LAYERS, ignore_errors=True)  # safe to run again, e.g. when cruft regenerates
prune_extras()
make_scripts_executable()
