"""The post-generation hook's functions, called directly on small fake projects (no cookiecutter run)."""

import importlib.util
import json
import stat

import pytest

from helpers import REPO

HOOK = REPO / "hooks" / "post_gen_project.py"


def load_hook():
    """hooks/post_gen_project.py as a module: importing it runs nothing, its Jinja placeholder stays unread."""
    spec = importlib.util.spec_from_file_location("post_gen_project", HOOK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = load_hook()


def answers_for(language="python", flavour_variable=None, **answers):
    """A context as cookiecutter hands it to the hook: the answers and a one-runtime, one-language catalogue."""
    shared = {"flavour_variable": flavour_variable} if flavour_variable else {}
    defaults = {
        "project_slug": "orders",
        "runtime": "rt1",
        "base_image": "aws",
        "trigger": "sqs",
        "include_sam": "no",
        "ci": "none",
    }
    return {**defaults, **answers, "_languages": {language: shared}, "_runtimes": {"rt1": {"language": language}}}


def write(path, text, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def test_layers_are_the_language_its_flavour_its_base_image_then_the_trigger_events_and_handler():
    extras = ["include_sam-no", "ci-none"]
    assert hook.layer_names(answers_for("python")) == ["python", "python-aws", "trigger-sqs", "python-sqs", *extras]
    typescript = answers_for("nodejs", "node_language", node_language="typescript", base_image="custom", trigger="http")
    assert hook.layer_names(typescript) == [
        "nodejs",
        "nodejs-typescript",
        "nodejs-custom",
        "trigger-http",
        "nodejs-http",
        "nodejs-typescript-http",
        *extras,
    ]


def test_render_layer_renders_names_and_contents_keeps_modes_and_copies_binaries(tmp_path):
    answers = answers_for()
    layer = tmp_path / "layer"
    write(layer / "src" / "{{ cookiecutter.project_slug }}.txt", "name: {{ cookiecutter.project_slug }}\n")
    write(layer / "run.sh", "#!/bin/sh\r\necho hi\r\n", mode=0o755)
    binary = bytes(range(256))
    (layer / "logo.bin").write_bytes(binary)
    project = tmp_path / "project"

    hook.render_layer(layer, project, hook.renderer(answers, layer))

    assert (project / "src" / "orders.txt").read_text() == "name: orders\n"
    assert (project / "run.sh").read_bytes() == b"#!/bin/sh\necho hi\n"  # LF whatever the source had
    assert (project / "run.sh").stat().st_mode & stat.S_IXUSR
    assert (project / "logo.bin").read_bytes() == binary


def test_a_file_name_that_renders_to_a_directory_is_refused(tmp_path):
    layer = tmp_path / "layer"
    write(layer / "{% if cookiecutter.base_image == 'custom' %}Host.cs{% endif %}", "")
    with pytest.raises(ValueError, match="renders to a directory"):
        hook.render_layer(layer, tmp_path / "project", hook.renderer(answers_for(), layer))


def test_lift_layers_applies_layers_in_order_skips_unused_ones_and_removes_them_all(tmp_path):
    answers = answers_for("nodejs", "node_language", node_language="javascript")
    layers = tmp_path / hook.LAYERS
    write(layers / "nodejs" / "Dockerfile", "FROM node\n")
    write(layers / "nodejs" / "src" / "index.txt", "shared default\n")
    write(layers / "nodejs-javascript" / "src" / "index.txt", "javascript\n")
    write(layers / "nodejs-typescript" / "tsconfig.json", "{}\n")
    write(layers / "python" / "app.py", "")

    hook.lift_layers(answers, tmp_path)

    assert (tmp_path / "Dockerfile").read_text() == "FROM node\n"
    assert (tmp_path / "src" / "index.txt").read_text() == "javascript\n"  # the flavour overwrites
    assert not (tmp_path / "tsconfig.json").exists() and not (tmp_path / "app.py").exists()
    assert not layers.exists()


def test_layers_include_shared_fragments(tmp_path):
    layers = tmp_path / hook.LAYERS
    write(layers / "_shared" / "header", "# for {{ cookiecutter.project_slug }}\n")
    write(layers / "python" / "Dockerfile", '{% include "_shared/header" %}FROM python\n')
    hook.lift_layers(answers_for("python"), tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == "# for orders\nFROM python\n"


@pytest.mark.parametrize(
    "answers, kept, removed",
    [
        ({"include_sam": "no", "ci": "none"}, [], ["template.yaml", "samconfig.toml", ".github"]),
        ({"include_sam": "yes", "ci": "github"}, ["template.yaml", "samconfig.toml", ".github"], []),
        ({"include_sam": "yes", "ci": "none"}, ["template.yaml", "samconfig.toml"], [".github"]),
    ],
)
def test_an_extra_is_a_layer_chosen_by_its_answer_and_leaves_nothing_when_not_chosen(tmp_path, answers, kept, removed):
    layers = tmp_path / hook.LAYERS
    write(layers / "python" / "Makefile", "")
    for name in ("template.yaml", "samconfig.toml"):
        write(layers / "include_sam-yes" / name, "")
    write(layers / "ci-github" / ".github" / "workflows" / "ci.yml", "")
    for name in ("template.yaml", "samconfig.toml", ".github/workflows/ci.yml"):
        write(tmp_path / name, "")  # as an earlier generation with other answers left them
    hook.lift_layers(answers_for(**answers), tmp_path)
    assert [name for name in kept + ["Makefile"] if not (tmp_path / name).exists()] == []
    assert [name for name in removed if (tmp_path / name).exists()] == []


def test_scripts_become_executable_and_other_files_do_not(tmp_path):
    for name in ("deploy.sh", "deploy-helper.py", "notes.txt"):
        write(tmp_path / "scripts" / name, "")
    hook.make_scripts_executable(tmp_path)
    modes = {path.name: path.stat().st_mode & 0o777 for path in (tmp_path / "scripts").iterdir()}
    assert modes == {"deploy.sh": 0o755, "deploy-helper.py": 0o755, "notes.txt": 0o644}


def test_main_reads_the_answers_cookiecutter_renders_into_the_hook(tmp_path, monkeypatch):
    answers = answers_for("go", include_sam="no")
    write(tmp_path / hook.LAYERS / "go" / "main.go", "package {{ cookiecutter.project_slug }}\n")
    write(tmp_path / hook.LAYERS / "include_sam-yes" / "template.yaml", "")
    monkeypatch.setattr(hook, "ANSWERS_JSON", json.dumps(answers))  # what the placeholder renders to
    monkeypatch.chdir(tmp_path)  # cookiecutter runs the hook in the new project
    hook.main()
    assert (tmp_path / "main.go").read_text() == "package orders\n"
    assert not (tmp_path / "template.yaml").exists() and not (tmp_path / hook.LAYERS).exists()


def test_the_hook_file_is_valid_jinja_holding_only_the_answers_placeholder():
    """cookiecutter renders the hook before running it: any other Jinja syntax in it would break that."""
    text = HOOK.read_text(encoding="utf-8")
    placeholder = "{{ cookiecutter | jsonify }}"
    assert text.count(placeholder) == 1
    rest = text.replace(placeholder, "")
    assert [marker for marker in ("{{", "{%", "{#") if marker in rest] == []
