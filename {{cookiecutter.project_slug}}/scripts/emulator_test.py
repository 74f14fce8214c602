#!/usr/bin/env python3
"""Run the function under the AWS Lambda Runtime Interface Emulator and check every event.

For each events/NAME.json with an events/NAME.expected.json beside it, invoke the function once
and compare the response with the expected one as JSON (key order and whitespace do not matter).
Error responses are compared on errorMessage, and on errorType when the expected file names one; HTTP proxy
responses as API Gateway reads them (header names in any case, the JSON body parsed, empty fields left out).
The function runs with Lambda's JSON log format, as deployed, and every line it writes must be one JSON object.

Modes (EMULATOR_MODE=container|native, default: container when an engine answers, else native):
  container  build the image with docker, podman or finch (or CONTAINER_CLI) and run it with the RIE;
  native     run the RIE binary and the language's runtime interface client as local processes.
             A self-contained artifact (Go's bootstrap) is built for the function's architecture and run
             under the RIE of that architecture, through qemu-user when it is not this machine's.
Everything started here is stopped on exit, on failure and on Ctrl-C.
scripts/serve.py (make serve), scripts/dev.py (make dev) and scripts/debug.py (make debug) run the function
through this module's emulators too.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
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
ELF_ARCH = {62: "x86_64", 183: "arm64"}  # e_machine: EM_X86_64, EM_AARCH64
GOARCH = {"x86_64": "amd64", "arm64": "arm64"}
# Runtimes whose native artifact runs as it is on another architecture: the make arguments that build it
# for one, and the command that runs it. The others run on this machine's interpreter, so on its architecture.
CROSS_NATIVE = {"provided": (["cross-build", "ARCH={goarch}"], ["{root}/dist/linux-{goarch}/bootstrap"])}
# The lines the RIE writes itself, beside the function's: its diagnostics ("29 Nov 2026 23:51:21,914 [INFO]
# (rapid) ...") and each invoke's START, END and REPORT lines.
RIE_LINE = re.compile(r"(\d+ [A-Z][a-z]{2} \d{4} [\d:,]+ \[[A-Z]+\] |(START|END|REPORT) RequestId: )")
# The lines the language's runtime writes itself, which no handler code can turn into JSON (emulator.json).
RUNTIME_LINE = re.compile(RUNTIME.get("runtime_lines", r"(?!)"))


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
        # The function's LoggingConfig (scripts/deploy.sh, template.yaml), as Lambda passes it to the runtime.
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "AWS_LAMBDA_LOG_LEVEL": SETTINGS.get("log_level", "INFO"),
    }


def elf_arch(path):
    """The architecture of a Linux executable, or None when it is no ELF file of one we know."""
    with open(path, "rb") as binary:
        header = binary.read(20)
    return ELF_ARCH.get(int.from_bytes(header[18:20], "little")) if header[:4] == b"\x7fELF" else None


def find_rie(arch=HOST_ARCH):
    """The first RIE built for `arch`: RIE_BIN, PATH, ~/.aws-lambda-rie (aws-lambda-rie, aws-lambda-rie-ARCH)."""
    rie_dir = Path.home() / ".aws-lambda-rie"
    candidates = [
        os.environ.get("RIE_BIN"),
        shutil.which("aws-lambda-rie"),
        rie_dir / "aws-lambda-rie",
        rie_dir / f"aws-lambda-rie-{arch}",
    ]
    # An RIE for another architecture is passed over (a wrapper script, which is no ELF file, is not).
    for candidate in filter(None, candidates):
        if Path(candidate).is_file() and os.access(candidate, os.X_OK) and elf_arch(candidate) in (arch, None):
            return str(Path(candidate).resolve())
    other = os.environ.get("RIE_BIN")
    other = f" (RIE_BIN is the {elf_arch(other)} one)" if other and Path(other).is_file() else ""
    fetch = f"'make rie' (or scripts/fetch-rie.sh {arch})" if arch == HOST_ARCH else f"'scripts/fetch-rie.sh {arch}'"
    raise SetupError(
        f"the Runtime Interface Emulator for {arch} was not found in RIE_BIN, PATH or ~/.aws-lambda-rie"
        f"{other}: run {fetch} to fetch the official binary"
    )


def native_arch():
    """The architecture native mode runs the function on: its own when its artifact is self-contained."""
    if SETTINGS["architecture"] == HOST_ARCH or SETTINGS["runtime"].split(".")[0] not in CROSS_NATIVE:
        return HOST_ARCH
    return SETTINGS["architecture"]


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
    """The RIE and the runtime interface client as local processes, in their own process group.

    With `debug` ({"port": N, "wait": bool}) the function runs under its language's debugger, as emulator.json's
    `debug` field says: `make` (the build's make arguments, default native-build), `command` (replaces
    native_command) and `env` (added to native_env), in which {debug_port} is the debugger's port and {wait} the
    first (not waiting) or second (waiting for the debugger) value of `wait`; command parts that come out empty
    are left out. Debugging runs on this machine's architecture.
    """

    def __init__(self, output=None, debug=None):
        self.process = None
        self.output = output  # where the build's and the RIE's output go (default: this terminal)
        self.debug = debug
        self.capture = False  # when set, the RIE's output is also kept in `lines` (shown on this terminal)
        self.lines = []
        self.reader = None

    def start(self, port, build=True):
        arch = HOST_ARCH if self.debug else native_arch()
        fill = {"root": str(ROOT), "handler": SETTINGS["handler"], "goarch": GOARCH.get(arch)}
        make, command = ["native-build"], RUNTIME["native_command"]
        debug = RUNTIME.get("debug", {}) if self.debug else {}
        if self.debug:
            wait = debug.get("wait", ["", ""])[1 if self.debug["wait"] else 0]
            fill.update(debug_port=str(self.debug["port"]), wait=wait)
            make, command = debug.get("make", make), debug.get("command", command)
        if arch != HOST_ARCH:
            make, command = CROSS_NATIVE[SETTINGS["runtime"].split(".")[0]]
            print(
                f"note: native mode runs this {arch} function under the {arch} RIE through this {HOST_ARCH} "
                f"machine's emulation (qemu-user): answers are real, timings are not"
            )
        elif SETTINGS["architecture"] != HOST_ARCH:
            print(f"note: the function is {SETTINGS['architecture']}; native mode runs it on this {HOST_ARCH} machine")
        rie = find_rie(arch)
        if build:
            subprocess.run(
                ["make", "--no-print-directory", *(part.format(**fill) for part in make)],
                cwd=ROOT,
                check=True,
                stdout=self.output,
                stderr=self.output,
            )
        command = [part.format(**fill) for part in command if part.format(**fill)]
        native_env = {
            key: value.format(**fill)
            for key, value in {**RUNTIME.get("native_env", {}), **debug.get("env", {})}.items()
        }
        env = {**os.environ, **function_env(), **native_env}
        rie = [
            rie,
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{port}",
            "--runtime-api-address",
            f"127.0.0.1:{free_port()}",
        ]
        try:
            self.process = subprocess.Popen(
                rie + command,
                cwd=ROOT / RUNTIME.get("native_cwd", "."),
                env=env,
                start_new_session=True,
                stdout=subprocess.PIPE if self.capture else self.output,
                stderr=subprocess.STDOUT if self.capture else self.output,
            )
        except OSError as error:
            raise SetupError(
                f"this {HOST_ARCH} machine cannot run the {arch} RIE ({error.strerror}): install "
                f"qemu-user-static and binfmt-support (Debian, Ubuntu), or use container mode"
            ) from None
        if self.capture:
            self.reader = threading.Thread(target=self.keep_lines, args=(self.process.stdout,), daemon=True)
            self.reader.start()
        wait_for_port(port, self.is_running)

    def keep_lines(self, stream):
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            print(line, flush=True)

    def is_running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Stop the whole process group: a runtime outlives an RIE that was killed."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.reader:
            self.reader.join(timeout=5)


# The user the function runs as in container mode: Lambda runs it as a non-root user of its own, so any
# non-root uid with no entry in the image will do; 65534 is "nobody" on most Linux distributions.
SANDBOX_USER = "65534:65534"
TMP_SIZE_MB = 512  # Lambda's default ephemeral storage


def lambda_sandbox():
    """`run` options (docker, podman and finch take the same) that confine the function as Lambda does: a non-root
    user, a read-only root file system with only /tmp writable (512 MB, programs may run from it) and the memory
    limit from lambda.json, without swap."""
    memory = f"{SETTINGS['memory_size']}m"
    return [
        "--user",
        SANDBOX_USER,
        "--read-only",
        "--tmpfs",
        f"/tmp:rw,exec,mode=1777,size={TMP_SIZE_MB}m",
        "--memory",
        memory,
        "--memory-swap",
        memory,
    ]


class ContainerEmulator:
    """The image built and run by a container engine as Lambda runs it; custom images get the host's RIE mounted in."""

    def __init__(self, cli):
        self.cli = cli
        # Container names start with a letter or digit; a function name may start with '-' or '_'.
        self.name = f"emulator-{os.getpid()}-{SETTINGS['function_name'][:40]}"
        self.started = False
        self.lines = []  # the container's output, read when it stops

    def start(self, port, build=True):
        image = os.environ.get("IMAGE", f"{SETTINGS['image_name']}:emulator-test")
        if build:
            build_image = [str(ROOT / "scripts" / "build-image.sh"), image]
            subprocess.run(build_image, cwd=ROOT, env={**os.environ, "CONTAINER_CLI": self.cli}, check=True)
        run = [self.cli, "run", "-d", "--rm", "--name", self.name, "-p", f"127.0.0.1:{port}:8080"]
        run += lambda_sandbox()
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
            logs = subprocess.run([self.cli, "logs", self.name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.lines = logs.stdout.decode("utf-8", "replace").splitlines()
            print("\n".join(self.lines))
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


def as_http_answer(response):
    """A proxy response as API Gateway reads it: header names in any case, a JSON body parsed, and the
    fields a language's event types add when empty (null values, isBase64Encoded false) left out."""
    if not (isinstance(response, dict) and "statusCode" in response):
        return response
    answer = {key: value for key, value in response.items() if value is not None}
    if answer.get("isBase64Encoded") is False:
        del answer["isBase64Encoded"]
    if isinstance(answer.get("headers"), dict):
        answer["headers"] = {name.lower(): value for name, value in answer["headers"].items()}
    with contextlib.suppress(KeyError, TypeError, ValueError):
        answer["body"] = json.loads(answer["body"])
    return answer


def matches(actual, expected):
    """Semantic comparison; errors carry request ids and stack traces that differ on every run."""
    if isinstance(expected, dict) and "errorMessage" in expected and isinstance(actual, dict):
        keys = [key for key in ("errorMessage", "errorType") if key in expected]
        return all(actual.get(key) == expected[key] for key in keys)
    return as_http_answer(actual) == as_http_answer(expected)


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


def not_json_lines(lines):
    """The function's lines that are not one JSON object each; the RIE's and the runtime's own lines and blank
    lines aside."""
    found = []
    for line in lines:
        if not line.strip() or RIE_LINE.match(line) or RUNTIME_LINE.match(line):
            continue
        try:
            is_object = isinstance(json.loads(line), dict)
        except ValueError:
            is_object = False
        if not is_object:
            found.append(line)
    return found


def check_logs(lines):
    """One line saying whether every line the function wrote is a JSON object; True when it is."""
    found = not_json_lines(lines)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        print(f"FAIL logs: the function wrote a line that is not a JSON object: {found[0]!r}{more}")
        return False
    print("PASS logs: every line the function wrote is a JSON object")
    return True


def choose_emulator():
    mode = os.environ.get("EMULATOR_MODE", "auto")
    if mode not in ("auto", "container", "native"):
        raise SetupError(f"EMULATOR_MODE={mode!r}: use container, native or leave it unset")
    cli = find_container_cli() if mode in ("auto", "container") else None
    if mode == "container" and not cli:
        raise SetupError(
            "EMULATOR_MODE=container but no docker, podman or finch engine answers: start one, "
            "or set EMULATOR_MODE=native"
        )
    if cli:
        return "container", ContainerEmulator(cli)
    if sys.platform != "linux":
        raise SetupError("native mode needs Linux (the RIE is a Linux binary): start a container engine instead")
    find_rie(native_arch())  # fail before building anything
    return "native", NativeEmulator()


def unwind_on_ctrl_c_and_termination():
    """Ctrl-C raises KeyboardInterrupt and termination exits 143, so a tool's `finally` stops what it started;
    even when started where SIGINT is ignored (a background job of a non-interactive shell), where Python
    would not raise KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main():
    unwind_on_ctrl_c_and_termination()
    emulator = None
    try:
        mode, emulator = choose_emulator()
        emulator.capture = True
        port = free_port()
        print(f"emulator-test: {mode} mode, {SETTINGS['runtime']}, port {port}")
        emulator.start(port)
        passed, failed = run_events(port)
    except SetupError as error:
        print(f"emulator-test: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(
            f"emulator-test: '{' '.join(map(str, error.cmd))}' failed with exit code {error.returncode}",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if emulator:
            emulator.stop()
    logs_ok = check_logs(emulator.lines)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed or not logs_ok else 0


if __name__ == "__main__":
    sys.exit(main())
