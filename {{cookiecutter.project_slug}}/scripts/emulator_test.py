#!/usr/bin/env python3
"""Run the function under the AWS Lambda Runtime Interface Emulator and check every event.

For each events/NAME.json with an events/NAME.expected.json beside it, invoke the function once
and compare the response with the expected one as JSON (key order and whitespace do not matter).
Error responses are compared on errorMessage, and on errorType when the expected file names one.

Modes (EMULATOR_MODE=container|native, default: container when an engine answers, else native):
  container  build the image with docker, podman or finch (or CONTAINER_CLI) and run it with the RIE;
  native     run the RIE binary and the language's runtime interface client as local processes.
Everything started here is stopped on exit, on failure and on Ctrl-C.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = json.loads((ROOT / "lambda.json").read_text())
RUNTIME = json.loads((ROOT / "emulator.json").read_text())
INVOKE_PATH = "/2015-03-31/functions/function/invocations"
HOST_ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}.get(os.uname().machine)
CONTAINER_CLIS = ("docker", "podman", "finch")


class SetupError(Exception):
    """A precondition is missing; the message says how to fix it."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def function_env():
    """What Lambda sets for the function and the RIE reads; the RIE sets neither region nor task root."""
    return {
        "AWS_LAMBDA_FUNCTION_NAME": SETTINGS["function_name"],
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(SETTINGS["memory_size"]),
        "AWS_LAMBDA_FUNCTION_TIMEOUT": str(SETTINGS["timeout"]),
        "AWS_REGION": SETTINGS["aws_region"],
        "AWS_DEFAULT_REGION": SETTINGS["aws_region"],
    }


def find_rie(arch=HOST_ARCH):
    rie_dir = Path.home() / ".aws-lambda-rie"
    candidates = [os.environ.get("RIE_BIN")] if arch == HOST_ARCH else []
    if arch == HOST_ARCH:
        candidates += [shutil.which("aws-lambda-rie"), rie_dir / "aws-lambda-rie"]
    candidates.append(rie_dir / f"aws-lambda-rie-{arch}")
    for candidate in filter(None, candidates):
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(Path(candidate).resolve())
    raise SetupError(f"the Runtime Interface Emulator for {arch} was not found (RIE_BIN, PATH, ~/.aws-lambda-rie): "
                     f"run 'make rie' (or scripts/fetch-rie.sh {arch}) to fetch the official binary")


def find_container_cli():
    """The first container CLI whose engine answers, or None."""
    names = [os.environ["CONTAINER_CLI"]] if os.environ.get("CONTAINER_CLI") else CONTAINER_CLIS
    for name in names:
        if shutil.which(name) and subprocess.run([name, "info"], capture_output=True).returncode == 0:
            return name
    return None


def wait_for_port(port, process_alive, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive():
            raise SetupError("the emulator exited before it was ready; see its output above")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SetupError(f"the emulator did not listen on port {port} within {timeout} s")


class NativeEmulator:
    """The RIE and the runtime interface client as local processes, in their own process group."""

    def __init__(self, output=None):
        self.process = None
        self.output = output  # where the build's and the RIE's output go (default: this terminal)

    def start(self, port, build=True):
        if HOST_ARCH != SETTINGS["architecture"]:
            print(f"note: the function is {SETTINGS['architecture']}; native mode runs it on this {HOST_ARCH} machine")
        if build:
            subprocess.run(["make", "--no-print-directory", "native-build"], cwd=ROOT, check=True,
                           stdout=self.output, stderr=self.output)
        fill = {"root": str(ROOT), "handler": SETTINGS["handler"]}
        command = [part.format(**fill) for part in RUNTIME["native_command"]]
        env = {**os.environ, **function_env(), **{k: v.format(**fill) for k, v in RUNTIME.get("native_env", {}).items()}}
        rie = [find_rie(), "--runtime-interface-emulator-address", f"127.0.0.1:{port}",
               "--runtime-api-address", f"127.0.0.1:{free_port()}"]
        self.process = subprocess.Popen(rie + command, cwd=ROOT / RUNTIME.get("native_cwd", "."), env=env,
                                        start_new_session=True, stdout=self.output, stderr=self.output)
        wait_for_port(port, lambda: self.process.poll() is None)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class ContainerEmulator:
    """The image built and run by a container engine; custom images get the host's RIE mounted in."""

    def __init__(self, cli):
        self.cli = cli
        self.name = f"{SETTINGS['function_name'][:40]}-emulator-{os.getpid()}"
        self.started = False

    def start(self, port):
        image = os.environ.get("IMAGE", f"{SETTINGS['image_name']}:emulator-test")
        build = [str(ROOT / "scripts" / "build-image.sh"), image]
        subprocess.run(build, cwd=ROOT, env={**os.environ, "CONTAINER_CLI": self.cli}, check=True)
        run = [self.cli, "run", "-d", "--rm", "--name", self.name, "-p", f"127.0.0.1:{port}:8080"]
        run += [f"--env={key}={value}" for key, value in function_env().items()]
        command = []
        if SETTINGS["base_image"] == "custom":
            rie = find_rie(SETTINGS["architecture"])
            run += ["-v", f"{rie}:/aws-lambda/aws-lambda-rie:ro", "--entrypoint", "/aws-lambda/aws-lambda-rie"]
            command = RUNTIME["custom_image_command"]
        self.started = True
        subprocess.run(run + [image] + command, check=True, stdout=subprocess.DEVNULL)
        wait_for_port(port, self.is_running)

    def is_running(self):
        state = subprocess.run([self.cli, "inspect", self.name], capture_output=True, text=True)
        return state.returncode == 0 and json.loads(state.stdout)[0]["State"]["Running"] is True

    def stop(self):
        if self.started:
            subprocess.run([self.cli, "logs", self.name], check=False)
            subprocess.run([self.cli, "rm", "-f", self.name], capture_output=True, check=False)


def invoke(port, payload):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{INVOKE_PATH}", data=payload, method="POST")
    with urllib.request.urlopen(request, timeout=SETTINGS["timeout"] + 30) as response:
        return response.read().decode("utf-8")


def parse(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def matches(actual, expected):
    """Semantic comparison; errors carry request ids and stack traces that differ on every run."""
    if isinstance(expected, dict) and "errorMessage" in expected and isinstance(actual, dict):
        keys = [key for key in ("errorMessage", "errorType") if key in expected]
        return all(actual.get(key) == expected[key] for key in keys)
    return actual == expected


def events():
    cases = sorted(p for p in (ROOT / "events").glob("*.json") if not p.name.endswith(".expected.json"))
    return [(p, p.with_name(p.stem + ".expected.json")) for p in cases]


def run_events(port):
    passed = failed = 0
    for event, expected_file in events():
        if not expected_file.exists():
            print(f"FAIL {event.name}: no {expected_file.name} beside it")
            failed += 1
            continue
        started = time.monotonic()
        try:
            actual = parse(invoke(port, event.read_bytes()))
        except (urllib.error.URLError, OSError) as error:
            actual = f"no answer from the emulator: {error}"
        expected = json.loads(expected_file.read_text())
        took = (time.monotonic() - started) * 1000
        if matches(actual, expected):
            print(f"PASS {event.name} ({took:.0f} ms)")
            passed += 1
        else:
            print(f"FAIL {event.name}\n  expected: {json.dumps(expected)}\n  actual:   {json.dumps(actual)}")
            failed += 1
    return passed, failed


def choose_emulator():
    mode = os.environ.get("EMULATOR_MODE", "auto")
    if mode not in ("auto", "container", "native"):
        raise SetupError(f"EMULATOR_MODE={mode!r}: use container, native or leave it unset")
    cli = find_container_cli() if mode in ("auto", "container") else None
    if mode == "container" and not cli:
        raise SetupError("EMULATOR_MODE=container but no docker, podman or finch engine answers: start one, "
                         "or set EMULATOR_MODE=native")
    if cli:
        return "container", ContainerEmulator(cli)
    if sys.platform != "linux":
        raise SetupError("native mode needs Linux (the RIE is a Linux binary): start a container engine instead")
    find_rie()  # fail before building anything
    return "native", NativeEmulator()


def main():
    # Ctrl-C and termination both unwind through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    emulator = None
    try:
        mode, emulator = choose_emulator()
        port = free_port()
        print(f"emulator-test: {mode} mode, {SETTINGS['runtime']}, port {port}")
        emulator.start(port)
        passed, failed = run_events(port)
    except SetupError as error:
        print(f"emulator-test: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"emulator-test: '{' '.join(map(str, error.cmd))}' failed with exit code {error.returncode}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if emulator:
            emulator.stop()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
