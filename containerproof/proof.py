"""Build a generated project's Dockerfile on the stand-ins, run it, and measure what its images promise.

The project is built by its own scripts/build-image.sh with buildah-cli.sh as CONTAINER_CLI, exactly as a
user's `docker build` would (same build args, same stages). The image's entrypoint is started with
`buildah run` (podman run cannot set rlimits here), and the project's own harness, scripts/emulator_test.py,
invokes every event through the RIE inside and compares the answers as in its other modes.
"""

import importlib.util
import os
import re
import signal
import stat
import subprocess
from pathlib import Path

from . import store

RIE_PORT = 8080  # the RIE's own default: buildah run shares the host's network, so runs take turns
TOOLCHAIN = {
    "gcc",
    "g++",
    "cc",
    "c++",
    "make",
    "cmake",
    "go",
    "gofmt",
    "javac",
    "mvn",
    "gradle",
    "tsc",
    "node-gyp",
    "pip",
    "pip3",
    "bundle",
    "dotnet",
    "cargo",
    "rustc",
}
CACHE_DIRS = {".cache", ".npm", ".m2", ".gradle", ".nuget", ".pytest_cache", "go-build"}  # package managers
TEST_DIRS = ("tests", "test", "spec", "__tests__")
DEPENDENCY_STEPS = (
    "pip install",
    "npm ci",
    "npm install",
    "go mod download",
    "dependency:go-offline",
    "bundle install",
    "dotnet restore",
)


def build(project, tag):
    """Run the project's scripts/build-image.sh (its platform, its build args) on buildah."""
    env = {**store.env(), "CONTAINER_CLI": str(store.CLI)}
    command = [str(project / "scripts" / "build-image.sh"), tag]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=3600)
    print(f"$ CONTAINER_CLI=buildah-cli.sh {' '.join(command)}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return result


def remove_other_tags(tag):
    """Drop the images earlier versions of the template left under the same repository name."""
    repository = tag.rsplit(":", 1)[0]
    listed = store.buildah("images", "--format", "{{.Name}}:{{.Tag}}", check=False).stdout.split()
    stale = [
        name for name in listed if name.rsplit(":", 1)[0].endswith("/" + repository) and not name.endswith("/" + tag)
    ]
    if stale:
        store.buildah("rmi", *stale, check=False)


def step_cache(output):
    """Each build step's text and whether it came from the layer cache, in build order (FROM excluded)."""
    steps = []
    for line in output.splitlines():
        match = re.search(r"STEP \d+/\d+: (.*)", line)
        if match and match.group(1).startswith("FROM "):
            continue
        if match:
            steps.append([match.group(1), False])
        elif line.startswith("--> Using cache") and steps:
            steps[-1][1] = True
    return [tuple(step) for step in steps]


def dependency_steps(output):
    return [
        (text, cached)
        for text, cached in step_cache(output)
        if text.startswith("RUN") and any(marker in text for marker in DEPENDENCY_STEPS)
    ]


def harness(project):
    """The project's own scripts/emulator_test.py, loaded as a module (its comparison, its events)."""
    spec = importlib.util.spec_from_file_location(
        f"emulator_test_{abs(hash(str(project)))}", project / "scripts" / "emulator_test.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {project / 'scripts' / 'emulator_test.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def container_command(image, settings, runtime, rie):
    """What `docker run IMAGE` would run: the image's ENTRYPOINT + CMD; custom images get the RIE put in
    front of their runtime client, as the harness's container mode does with --entrypoint."""
    if settings["base_image"] == "custom":
        return ["--volume", f"{rie}:/aws-lambda/aws-lambda-rie:ro"], [
            "/aws-lambda/aws-lambda-rie",
            *runtime["custom_image_command"],
        ]
    config = store.config(image)
    return [], [*(config.get("Entrypoint") or []), *(config.get("Cmd") or [])]


def answer_events(project, image, rie, env=None, volumes=(), observe=None):
    """Start the image's entrypoint and have the project's harness invoke every event; (passed, failed).
    env and volumes add to the function's environment and mounts (e.g. JVM logging options); observe, when
    given, is called with the running `buildah run` process once every event has been answered."""
    emulator = harness(project)
    rie_volumes, command = container_command(image, emulator.SETTINGS, emulator.RUNTIME, rie)
    volumes = [*rie_volumes, *(f"--volume={volume}" for volume in volumes)]
    env = [f"--env={key}={value}" for key, value in {**emulator.function_env(), **(env or {})}.items()]
    with store.locked("rie-port", machine_wide=True), store.container(image) as name:
        process = subprocess.Popen(
            [str(store.CLI), "run", *env, *volumes, name, "--", *command], env=store.env(), start_new_session=True
        )
        try:
            emulator.wait_for_port(RIE_PORT, lambda: process.poll() is None, timeout=120)
            answered = emulator.run_events(RIE_PORT)
            if observe is not None:
                observe(process)
            return answered
        finally:
            stop(process)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tree(root):
    """Every path under root (relative, with a leading /) with what identifies its content."""
    entries = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(directory) / name
            info = path.lstat()
            link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
            entries["/" + str(path.relative_to(root))] = (info.st_mode, info.st_size, info.st_mtime_ns, link)
    return entries


def added_files(base, final):
    """Files the final image adds or changes over its base: {path: (mode, size, mtime, link)}."""
    with store.mounted(base) as base_root, store.mounted(final) as final_root:
        before, after = tree(base_root), tree(final_root)
    return {path: entry for path, entry in after.items() if before.get(path) != entry}


def regular_bytes(entries):
    return sum(size for mode, size, _, _ in entries.values() if stat.S_ISREG(mode))


def artifact_files(added, task_root):
    """The deployable artifact: what the final stage put in the task root or in /opt (where Lambda puts
    layers, e.g. a custom image's runtime interface client), and a bootstrap anywhere."""
    roots = (task_root.rstrip("/") + "/", "/opt/")
    return {path: entry for path, entry in added.items() if path.startswith(roots) or Path(path).name == "bootstrap"}


def toolchain_files(added):
    return sorted(
        path
        for path, (mode, *_rest) in added.items()
        if Path(path).name in TOOLCHAIN and stat.S_ISREG(mode) and mode & 0o111
    )


def cache_files(added):
    return sorted(path for path in added if CACHE_DIRS & set(Path(path).parts))


def project_test_names(project):
    """Names of the project's own test files (and what Java compiles them to)."""
    names = set()
    for path in project.rglob("*"):
        relative = path.relative_to(project)
        in_tests = bool(set(relative.parts[:-1]) & set(TEST_DIRS)) or relative.parts[:2] == ("src", "test")
        named_test = re.search(r"(_test\.go|\.test\.[jt]s|\.spec\.[jt]s)$", path.name)
        if path.is_file() and (in_tests or named_test) and "node_modules" not in relative.parts:
            names.add(path.name)
            if path.suffix == ".java":
                names.add(path.stem + ".class")
    return names


def test_files(added, project):
    names = project_test_names(project)
    return sorted(path for path in added if Path(path).name in names)
