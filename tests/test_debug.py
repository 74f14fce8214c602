"""make debug (scripts/debug.py, shared by every language): the function runs in native mode under the real RIE
with its language's real debugger listening on 127.0.0.1, and Ctrl-C leaves no process behind.

Each debugger answers its own protocol's handshake: debugpy and Delve a DAP `initialize` request, the Node.js
inspector its /json/list, JDWP its `JDWP-Handshake` echo. With DEBUG_WAIT=1 (Python, Java, Go) the first
invoke waits until a debugger attaches and lets the function run, then gets its expected answer (Python's
stops at a breakpoint set then); without it (Go, Node.js) the invoke is answered at once and the debugger
listens from then on. Ruby's rdbg is not run here: native mode for Ruby needs its gems from RubyGems.
"""

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest
from test_java import JAVA_RUNTIMES, maven_repo, toolchain  # noqa: F401 (fixture)
from test_nodejs import aws_lambda_ric, node_env  # noqa: F401 (fixture)
from test_python import python_for
from test_serve import processes_under

from helpers import CATALOGUE, bake, free_port, require_tool, run, runtimes_of

INVOKE_PATH = "/2015-03-31/functions/function/invocations"
EVENT = "hello-name"  # every language's direct trigger greets the event's name
# How long a function that does not wait for its debugger is given to answer the first invoke anyway: it
# proves DEBUG_WAIT=1 works when broken (a waiting function passes whatever it is) and times nothing.
WAIT_PROOF_S = 5


@contextmanager
def debugging(project, rie_bin, env=None):
    """scripts/debug.py in a project as `make debug` runs it: (invoke URL, debug port). Ctrl-C on leaving, checked."""
    port, debug_port = free_port(), free_port()
    log_path = project / "debug.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "scripts/debug.py", "--port", str(port)],
        cwd=project,
        env={**os.environ, "RIE_BIN": rie_bin, "DEBUG_PORT": str(debug_port), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 600  # native mode builds the function first
        while "debug: ready" not in log_path.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, "make debug never said it was ready"
            time.sleep(0.2)
        assert process.poll() is None, log_path.read_text()
        yield f"http://127.0.0.1:{port}{INVOKE_PATH}", debug_port
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
        time.sleep(0.5)
        assert processes_under(project) == [], "Ctrl-C left a process of the function or its debugger behind"
    finally:
        if process.poll() is None:  # a failed check: Ctrl-C still, so the script stops what it started
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
        log.close()
        print(log_path.read_text())


def invoke(url, project):
    """The function's answer to events/hello-name.json, parsed."""
    request = urllib.request.Request(url, data=(project / "events" / f"{EVENT}.json").read_bytes(), method="POST")
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def expected(project):
    return json.loads((project / "events" / f"{EVENT}.expected.json").read_text())


class BackgroundInvoke(threading.Thread):
    """An invoke that may wait for the debugger: its answer once joined."""

    def __init__(self, url, project):
        super().__init__(daemon=True)
        self.url, self.project, self.answer = url, project, None

    def run(self):
        self.answer = invoke(self.url, self.project)


def connect(port, alive):
    """A socket connected to the debugger, which listens once the first invoke has started the function."""
    deadline = time.monotonic() + 300
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=60)
        except ConnectionRefusedError:
            assert alive(), "the invoke ended before the debugger listened"
            assert time.monotonic() < deadline, f"no debugger on port {port}"
            time.sleep(0.1)


class Dap:
    """A Debug Adapter Protocol client: requests framed by Content-Length headers, answers read until matched."""

    def __init__(self, sock):
        self.sock, self.reader, self.seq = sock, sock.makefile("rb"), 0

    def send(self, command, arguments=None):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments or {}})
        self.sock.sendall(f"Content-Length: {len(body)}\r\n\r\n{body}".encode())
        return self.seq

    def receive(self, wanted):
        """The first message for which wanted(message) holds (events and other answers before it are read past)."""
        while True:
            length = None
            while (line := self.reader.readline().strip()) != b"":
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            assert length is not None, "a DAP message without Content-Length"
            message = json.loads(self.reader.read(length))
            if wanted(message):
                return message

    def request(self, command, arguments=None):
        seq = self.send(command, arguments)
        return self.receive(lambda m: m.get("type") == "response" and m.get("request_seq") == seq)


def assert_dap_initializes(dap):
    answer = dap.request("initialize", {"clientID": "test", "adapterID": "test", "linesStartAt1": True})
    assert (answer["command"], answer["success"]) == ("initialize", True), answer
    assert isinstance(answer.get("body", {}), dict)


@pytest.mark.slow
def test_python_debugpy_holds_the_first_invoke_until_attached(tmp_path, rie_bin):
    require_tool("make")
    runtime = runtimes_of("python")[0]
    project = bake(tmp_path, runtime=runtime, trigger="direct")
    assert run(["make", "deps", f"PYTHON={python_for(CATALOGUE[runtime]['version'])}"], project).returncode == 0
    with debugging(project, rie_bin, env={"DEBUG_WAIT": "1"}) as (url, debug_port):
        first = BackgroundInvoke(url, project)
        first.start()
        with connect(debug_port, first.is_alive) as sock:
            dap = Dap(sock)
            assert_dap_initializes(dap)
            # A function that did not wait would answer within this time; one that waits never does.
            first.join(timeout=WAIT_PROOF_S)
            assert first.is_alive(), "DEBUG_WAIT=1: the first invoke waits for the debugger"
            attach = dap.send("attach", {"justMyCode": True})
            dap.receive(lambda m: m.get("type") == "event" and m.get("event") == "initialized")
            greeting = project / "src" / "greeting.py"
            line = greeting.read_text().splitlines().index('    return {"message": f"Hello, {name}!"}') + 1
            answer = dap.request("setBreakpoints", {"source": {"path": str(greeting)}, "breakpoints": [{"line": line}]})
            assert answer["body"]["breakpoints"][0]["verified"] is True, answer
            assert dap.request("configurationDone")["success"] is True
            assert dap.receive(lambda m: m.get("request_seq") == attach)["success"] is True
            # The first invoke stops at the breakpoint, and goes on when told to.
            stopped = dap.receive(lambda m: m.get("type") == "event" and m.get("event") == "stopped")
            assert stopped["body"]["reason"] == "breakpoint"
            assert first.is_alive()
            assert dap.request("continue", {"threadId": stopped["body"]["threadId"]})["success"] is True
            first.join(timeout=120)
            assert first.answer == expected(project)
            dap.request("disconnect", {"terminateDebuggee": False})
        assert invoke(url, project) == expected(project), "the function still answers once the debugger left"


@pytest.mark.slow
def test_go_delve_answers_dap_while_the_function_runs(tmp_path, rie_bin):
    require_tool("make")
    require_tool("go")
    project = bake(tmp_path, runtime=runtimes_of("go")[0], trigger="direct")
    with debugging(project, rie_bin) as (url, debug_port):
        assert invoke(url, project) == expected(project), "not waiting: the first invoke runs at once"
        with connect(debug_port, lambda: True) as sock:
            assert_dap_initializes(Dap(sock))
        assert invoke(url, project) == expected(project)
    # Delve's own build of the function: with its debug information, which the image's build strips.
    assert (
        b".debug_info" in (project / "bootstrap").read_bytes()
        or b".zdebug_info" in (project / "bootstrap").read_bytes()
    )


@pytest.mark.slow
def test_go_delve_holds_the_first_invoke_until_a_dap_client_attaches(tmp_path, rie_bin):
    require_tool("make")
    require_tool("go")
    project = bake(tmp_path, runtime=runtimes_of("go")[0], trigger="direct")
    with debugging(project, rie_bin, env={"DEBUG_WAIT": "1"}) as (url, debug_port):
        first = BackgroundInvoke(url, project)
        first.start()
        with connect(debug_port, first.is_alive) as sock:
            dap = Dap(sock)
            assert_dap_initializes(dap)
            first.join(timeout=WAIT_PROOF_S)
            assert first.is_alive(), "DEBUG_WAIT=1: Delve holds the function until a client lets it run"
            attach = dap.request("attach", {"mode": "remote"})
            assert attach["success"] is True, attach
            assert dap.request("configurationDone")["success"] is True
            first.join(timeout=120)
            assert first.answer == expected(project)
            dap.request("disconnect", {})
        assert invoke(url, project) == expected(project)


@pytest.mark.slow
def test_nodejs_inspector_lists_the_function(tmp_path, rie_bin, aws_lambda_ric):  # noqa: F811 (fixture)
    require_tool("make")
    project = bake(tmp_path, runtime="nodejs24.x", node_language="typescript", trigger="direct")
    env = {**node_env(CATALOGUE["nodejs24.x"]["version"]), "AWS_LAMBDA_RIC_DIR": str(aws_lambda_ric)}
    assert run(["make", "deps"], project, env=env).returncode == 0
    with debugging(project, rie_bin, env=env) as (url, debug_port):
        assert invoke(url, project) == expected(project), "not waiting: the first invoke runs at once"
        with urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list", timeout=30) as response:
            targets = json.loads(response.read())
        assert [target["type"] for target in targets] == ["node"]
        assert targets[0]["webSocketDebuggerUrl"].startswith(f"ws://127.0.0.1:{debug_port}/")
    # Built with source maps for the debugger: breakpoints go in the TypeScript sources.
    assert (project / "dist" / "index.mjs.map").is_file()


def jdwp_command(sock, packet_id, command_set, command):
    """Send a JDWP command without data; its reply's error code (events the VM sends before it are read past)."""
    sock.sendall(struct.pack(">IIBBB", 11, packet_id, 0, command_set, command))
    while True:
        length, answered, flags, error = struct.unpack(">IIBH", sock.recv(11, socket.MSG_WAITALL))
        if length > 11:
            sock.recv(length - 11, socket.MSG_WAITALL)
        if flags == 0x80 and answered == packet_id:
            return error


@pytest.mark.slow
def test_java_jdwp_holds_the_first_invoke_until_resumed(tmp_path, rie_bin, maven_repo):  # noqa: F811 (fixture)
    require_tool("make")
    runtime = JAVA_RUNTIMES[0]
    jdk, java = toolchain(int(CATALOGUE[runtime]["version"]))
    project = bake(tmp_path, runtime=runtime, trigger="direct")
    env = {
        "JAVA_HOME": str(jdk),
        "MVN": f"mvn -o -Dmaven.repo.local={maven_repo}",
        "LAMBDA_JAVA": str(java / "bin" / "java"),
        "DEBUG_WAIT": "1",
    }
    with debugging(project, rie_bin, env=env) as (url, debug_port):
        first = BackgroundInvoke(url, project)
        first.start()
        with connect(debug_port, first.is_alive) as sock:
            sock.sendall(b"JDWP-Handshake")
            assert sock.recv(14, socket.MSG_WAITALL) == b"JDWP-Handshake"
            first.join(timeout=WAIT_PROOF_S)
            assert first.is_alive(), "DEBUG_WAIT=1: the JVM starts suspended"
            # VirtualMachine.Resume (command set 1, command 9). The JVM first sends its VMStart event.
            assert jdwp_command(sock, 1, 1, 9) == 0, "Resume answered without error"
            first.join(timeout=120)
            assert first.answer == expected(project)
            # VirtualMachine.Dispose: the debugger leaves and the function keeps running.
            assert jdwp_command(sock, 2, 1, 6) == 0
        assert invoke(url, project) == expected(project)


def test_debug_refuses_a_bad_debug_port_in_one_line(tmp_path):
    project = bake(tmp_path, runtime=runtimes_of("python")[0], trigger="direct")
    result = run(["make", "debug", "DEBUG_PORT=99999"], project)
    assert result.returncode != 0
    assert "debug: DEBUG_PORT='99999': a port is a number from 1 to 65535" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("language", sorted({entry["language"] for entry in CATALOGUE.values()}))
def test_launch_json_attaches_where_make_debug_listens(tmp_path, language):
    project = bake(tmp_path, runtime=runtimes_of(language)[0], trigger="direct")
    debug = json.loads((project / "emulator.json").read_text())["debug"]
    (attach,) = json.loads((project / ".vscode" / "launch.json").read_text())["configurations"]
    assert attach["request"] == "attach"
    if "port" not in debug:  # a debugger that attaches to a process: make debug says how
        assert attach["processId"] == "${command:pickProcess}" and debug["attach"]
        return
    listening = [attach.get(key) for key in ("port", "connect", "debugPort") if key in attach]
    port = debug["port"]
    assert listening in ([port], [{"host": "127.0.0.1", "port": port}], [f"127.0.0.1:{port}"])
