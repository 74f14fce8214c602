"""The container proof's buildah store: one directory of vfs storage, driven through buildah-cli.sh."""

import fcntl
import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CLI = HERE / "buildah-cli.sh"
STORE = Path(os.environ.get("CONTAINERPROOF_STORE", REPO / ".cache" / "containerproof"))


@contextmanager
def using(directory):
    """Every operation of this module on another store directory (one image per name and store: the arm64
    stand-ins live in their own), until the block ends."""
    global STORE
    previous, STORE = STORE, Path(directory)
    try:
        yield
    finally:
        STORE = previous


def env():
    return {**os.environ, "CONTAINERPROOF_STORE": str(STORE)}


def buildah(*args, check=True, timeout=1800, **kwargs):
    """Run buildah on the proof's store; returns the completed process (text output captured)."""
    STORE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [str(CLI), *map(str, args)], env=env(), capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"buildah {' '.join(map(str, args))} failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def inspect(image):
    """The image's buildah inspect document, or None when the store has no such image."""
    result = buildah("inspect", "--type", "image", image, check=False)
    return json.loads(result.stdout) if result.returncode == 0 else None


def config(image):
    """The image's OCI config section (Env, Entrypoint, Cmd, WorkingDir, User, Labels)."""
    return inspect(image)["OCIv1"]["config"]


def diff_ids(image):
    return inspect(image)["OCIv1"]["rootfs"]["diff_ids"]


@contextmanager
def locked(name, machine_wide=False):
    """An exclusive lock for every pytest-xdist worker on this store (machine_wide: every store on this machine)."""
    STORE.mkdir(parents=True, exist_ok=True)
    directory = Path("/tmp") if machine_wide else STORE
    with open(directory / f"containerproof-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def container(image):
    """A working container of the image (buildah from), removed afterwards."""
    name = buildah("from", "--pull=never", "--quiet", image).stdout.strip()
    try:
        yield name
    finally:
        buildah("rm", name, check=False)


@contextmanager
def mounted(image):
    """The image's root filesystem as a directory on the host (read it, never write it)."""
    with container(image) as name:
        path = buildah("mount", name).stdout.strip()
        try:
            yield Path(path)
        finally:
            buildah("umount", name, check=False)


def run_in(image, *command):
    """Run a command in a throwaway container of the image and return the completed process."""
    with container(image) as name:
        return buildah("run", name, "--", *command, check=False)
