"""`make serve`: real HTTP clients (urllib, curl) call the generated HTTP function on 127.0.0.1, answered by the
real RIE and runtime client in native mode, for Python, Go and Node.js: the routes of the HTTP contract, a body
that is not UTF-8, a runtime that exits followed by a request that succeeds, and Ctrl-C leaving no process.
Python's copy also echoes what its event held (query string, cookies, a base64 body), answers without
statusCode, raises, and outlives its timeout while the queue of one overflows; another copy answers the same
requests as REST API events (SERVE_PAYLOAD=1.0) and echoes what those held."""

import base64
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_go import OFFLINE, baked_with_modules
from test_nodejs import aws_lambda_ric, node_env  # noqa: F401 (fixture)
from test_python import python_for

from helpers import CATALOGUE, bake, free_port, require_tool, run, usable

pytestmark = pytest.mark.slow

NOT_UTF8 = b"\xff\xfe\x00binary\x80"
# Python's copy: besides the contract, routes that show what the event held and how answers go back.
PYTHON_EXTRAS = """    import base64 as b64
    import os

    query = event.get("queryStringParameters") or {}
    if query.get("name") == "crash":
        os._exit(1)
    if query.get("name") == "slow":
        time.sleep(30)
    if query.get("name") == "raise":
        raise RuntimeError("raised on purpose")
    if event.get("rawPath") == "/plain":
        return {"plain": True}
    if event.get("rawPath") == "/echo":
        body = event.get("body", "")
        return {
            "statusCode": 201,
            "headers": {"x-base64": str(event["isBase64Encoded"]), "x-query": event["rawQueryString"]},
            "cookies": [cookie.upper() for cookie in event.get("cookies", [])],
            "body": body if event["isBase64Encoded"] else b64.b64encode(body.encode()).decode(),
            "isBase64Encoded": True,
        }
"""


def edit(project, relative, old, new):
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def processes_under(directory):
    """PIDs of live processes whose command line mentions the directory (the RIE and the runtime)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(directory) in cmdline:
            found.append(int(pid))
    return found


def exited(pid):
    """Whether the process is gone or a zombie: its command line empties before it has finished exiting."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


READY = ": a fresh emulator is ready"


def rie_pids(project):
    """The live RIE processes serving the project."""
    found = []
    for pid in processes_under(project):
        try:
            if b"aws-lambda-rie" in Path(f"/proc/{pid}/cmdline").read_bytes() and not exited(pid):
                found.append(pid)
        except OSError:
            continue
    return found


def ready_lines(project):
    return (project / "serve.log").read_text().count(READY)


def wait_for_fresh_emulator(project, before):
    """Wait for the server's own signal that it restarted the emulator: one more readiness line than `before`."""
    deadline = time.monotonic() + 120
    while ready_lines(project) <= before:
        assert time.monotonic() < deadline, "the server never said a fresh emulator was ready"
        time.sleep(0.1)


@contextmanager
def serving(project, rie_bin, env=None, queue=16):
    """`scripts/serve.py` in native mode as `make serve` runs it; its base URL. Ctrl-C on leaving, checked."""
    port = free_port()
    log = (project / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "scripts/serve.py", "--port", str(port), "--queue", str(queue)],
        cwd=project,
        env={**os.environ, "EMULATOR_MODE": "native", "RIE_BIN": rie_bin, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600  # native mode builds the function first
        while f"{url}/" not in (project / "serve.log").read_text() and server.poll() is None:
            assert time.monotonic() < deadline, "the server never printed its URL"
            time.sleep(0.2)
        assert server.poll() is None, (project / "serve.log").read_text()
        yield url
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 130
        time.sleep(0.5)
        assert processes_under(project) == [], "Ctrl-C left a process of the function behind"
    finally:
        if server.poll() is None:  # a failed check: Ctrl-C still, so the server stops what it started
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
        log.close()
        print((project / "serve.log").read_text())


def call(url, method="GET", body=None, headers=None):
    """(status, headers, body bytes) of one request; error statuses are answers too."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def assert_http_contract(url, project):
    """The routes every language's HTTP handler answers, then a runtime that exits and a request after it."""
    status, headers, body = call(f"{url}/hello?name=Ada")
    assert (status, headers["content-type"], json.loads(body)) == (
        200,
        "application/json",
        {"message": "Hello, Ada!"},
    )
    status, _, body = call(f"{url}/hello", "POST", b'{"name": "Zo\xc3\xab"}', {"content-type": "application/json"})
    assert (status, json.loads(body)) == (200, {"message": "Hello, Zoë!"})
    status, _, body = call(f"{url}/nope")
    assert (status, json.loads(body)) == (404, {"error": "not found"})
    status, headers, body = call(f"{url}/hello", "DELETE")
    assert (status, headers["allow"], json.loads(body)) == (405, "GET, POST", {"error": "method not allowed"})
    status, _, body = call(f"{url}/hello", "POST", b'{"name": ')
    assert (status, json.loads(body)) == (400, {"error": "the request body is not valid JSON"})
    # Not UTF-8: it reaches the handler base64-encoded, which decodes it and finds no JSON.
    status, _, body = call(f"{url}/hello", "POST", NOT_UTF8)
    assert (status, json.loads(body)) == (400, {"error": "the request body is not valid JSON"})
    if usable("curl"):
        curled = run(["curl", "-sS", "-i", "--cookie", "a=1", f"{url}/hello?name=Grace"], project)
        assert curled.returncode == 0 and curled.stdout.startswith("HTTP/1.1 200")
        assert json.loads(curled.stdout.split("\n\n", 1)[1]) == {"message": "Hello, Grace!"}
    (rie,) = rie_pids(project)
    restarts = ready_lines(project)
    status, _, body = call(f"{url}/hello?name=crash")
    exited = json.loads(body)
    assert (status, exited["error"], exited["errorType"]) == (502, "the function's process exited", "Runtime.ExitError")
    wait_for_fresh_emulator(project, restarts)
    assert rie not in rie_pids(project), "the next request runs on a fresh emulator"
    status, _, body = call(f"{url}/hello?name=Ada")
    assert (status, json.loads(body)) == (200, {"message": "Hello, Ada!"})
    log = (project / "serve.log").read_text()
    assert re.search(r'"GET /hello\?name=crash" 502 \d+ B \d+ ms', log), "one access-log line per request"


def test_python_function_answers_real_http_requests(tmp_path, rie_bin):
    require_tool("make")
    project = bake(tmp_path, runtime="python3.13", trigger="http")
    start = "    started = time.perf_counter()\n"
    edit(project, "src/app.py", start, PYTHON_EXTRAS + start)
    settings = json.loads((project / "lambda.json").read_text())
    (project / "lambda.json").write_text(json.dumps({**settings, "timeout": 2}))
    assert run(["make", "deps", f"PYTHON={python_for(CATALOGUE['python3.13']['version'])}"], project).returncode == 0
    with serving(project, rie_bin, queue=1) as url:
        assert_http_contract(url, project)
        status, headers, body = call(
            f"{url}/echo?b=2&a=1&a=", "PUT", NOT_UTF8, {"cookie": "session=abc; theme=dark", "x-trace": "t"}
        )
        assert (status, body) == (201, NOT_UTF8), "a body that is not UTF-8 goes in base64 and comes back as bytes"
        assert (headers["x-base64"], headers["x-query"]) == ("True", "b=2&a=1&a=")
        assert headers.get_all("set-cookie") == ["SESSION=ABC", "THEME=DARK"]
        status, headers, body = call(f"{url}/plain")
        assert (status, headers["content-type"], json.loads(body)) == (200, "application/json", {"plain": True})
        status, _, body = call(f"{url}/hello?name=raise")
        raised = json.loads(body)
        assert (status, raised["error"], raised["errorType"]) == (502, "the function failed", "RuntimeError")
        # One invoke runs, one waits (a queue of one), the third is turned away; they finish in order.
        answers = {}

        def fetch(name, query):
            answers[name] = call(f"{url}/hello?name={query}")

        slow = threading.Thread(target=fetch, args=("slow", "slow"))
        slow.start()
        time.sleep(0.5)
        waiting = threading.Thread(target=fetch, args=("waiting", "Ada"))
        waiting.start()
        time.sleep(0.5)
        assert call(f"{url}/hello?name=Ada")[0] == 503
        slow.join()
        waiting.join()
        timed_out = json.loads(answers["slow"][2])
        assert (answers["slow"][0], timed_out["error"]) == (502, "the function timed out")
        assert timed_out["errorMessage"] == "Task timed out after 2.00 seconds"
        assert (answers["waiting"][0], json.loads(answers["waiting"][2])) == (200, {"message": "Hello, Ada!"})
        # The RIE itself dies between requests: the next request starts a fresh one first.
        (rie,) = rie_pids(project)
        restarts = ready_lines(project)
        os.kill(rie, signal.SIGKILL)
        while not exited(rie):
            time.sleep(0.05)
        status, _, body = call(f"{url}/hello?name=Ada")
        assert (status, json.loads(body)) == (200, {"message": "Hello, Ada!"})
        assert (
            ready_lines(project) == restarts + 1
            and "serve: the emulator had exited" + READY in (project / "serve.log").read_text()
        )


# Python's copy answering REST API (payload 1.0) events: an echo of what the event held, in a 1.0 proxy response.
REST_EXTRAS = """    import base64 as b64
    import json as js

    if event.get("path") == "/echo":
        fields = ("httpMethod", "path", "queryStringParameters", "multiValueQueryStringParameters", "body")
        echoed = {key: event[key] for key in (*fields, "isBase64Encoded", "pathParameters")}
        echoed["headers"] = {name.lower(): value for name, value in event["headers"].items()}
        echoed["multiValueHeaders"] = {name.lower(): value for name, value in event["multiValueHeaders"].items()}
        return {
            "statusCode": 201,
            "headers": {"x-version": str(event.get("version")), "set-cookie": "dropped=1", "x-single": "kept"},
            "multiValueHeaders": {"set-cookie": ["a=1", "b=2"]},
            "body": b64.b64encode(js.dumps(echoed).encode()).decode(),
            "isBase64Encoded": True,
        }
    if event.get("path") == "/plain":
        return {"plain": True}
"""


def test_python_function_answers_rest_api_requests(tmp_path, rie_bin):
    """SERVE_PAYLOAD=1.0: each request is a REST API event; its 1.0 proxy response goes back as REST APIs send it."""
    require_tool("make")
    project = bake(tmp_path, runtime="python3.13", trigger="http")
    start = "    started = time.perf_counter()\n"
    edit(project, "src/app.py", start, PYTHON_EXTRAS + REST_EXTRAS + start)
    assert run(["make", "deps", f"PYTHON={python_for(CATALOGUE['python3.13']['version'])}"], project).returncode == 0
    with serving(project, rie_bin, env={"SERVE_PAYLOAD": "1.0"}) as url:
        assert "payload 1.0" in (project / "serve.log").read_text()
        assert_http_contract(url, project)
        status, headers, body = call(
            f"{url}/echo?b=2&a=1&a=", "PUT", NOT_UTF8, {"cookie": "session=abc", "x-trace": "t"}
        )
        assert status == 201
        assert headers.get_all("set-cookie") == ["a=1", "b=2"], "multiValueHeaders win over headers of the same name"
        assert (headers["x-single"], headers["x-version"]) == ("kept", "None")
        echoed = json.loads(body)
        assert (echoed["httpMethod"], echoed["path"], echoed["pathParameters"]) == ("PUT", "/echo", {"proxy": "echo"})
        assert echoed["queryStringParameters"] == {"b": "2", "a": ""}, "the last value of a repeated parameter"
        assert echoed["multiValueQueryStringParameters"] == {"b": ["2"], "a": ["1", ""]}
        assert (echoed["headers"]["cookie"], echoed["headers"]["x-trace"]) == ("session=abc", "t")
        assert echoed["multiValueHeaders"]["x-trace"] == ["t"]
        assert (echoed["isBase64Encoded"], echoed["body"]) == (True, base64.b64encode(NOT_UTF8).decode())
        status, _, body = call(f"{url}/plain")
        assert (status, json.loads(body)["error"]) == (502, "the function's answer is not a valid proxy response")


def test_go_function_answers_real_http_requests(tmp_path_factory, rie_bin):
    project = baked_with_modules(
        tmp_path_factory, runtime="provided.al2023", base_image="aws", architecture="x86_64", trigger="http"
    )
    edit(
        project,
        "main.go",
        '\tif request.Path != "/hello" {',
        '\tif request.Query["name"] == "crash" {\n\t\tos.Exit(1)\n\t}\n\tif request.Path != "/hello" {',
    )
    with serving(project, rie_bin, env=OFFLINE) as url:
        assert_http_contract(url, project)


def test_nodejs_function_answers_real_http_requests(tmp_path, rie_bin, aws_lambda_ric):  # noqa: F811 (fixture)
    require_tool("make")
    project = bake(tmp_path, runtime="nodejs24.x", node_language="typescript", trigger="http")
    edit(
        project,
        "src/index.ts",
        "      const request = requestOf(event);\n",
        '      const request = requestOf(event);\n      if (request.queryName === "crash") process.exit(1);\n',
    )
    env = {**node_env(CATALOGUE["nodejs24.x"]["version"]), "AWS_LAMBDA_RIC_DIR": str(aws_lambda_ric)}
    assert run(["make", "deps"], project, env=env).returncode == 0
    with serving(project, rie_bin, env=env) as url:
        assert_http_contract(url, project)


def test_serve_refuses_a_function_that_is_not_http(tmp_path):
    project = bake(tmp_path, trigger="sqs")
    result = run(["make", "serve"], project)
    assert result.returncode != 0
    assert "serve: this function's trigger is 'sqs', not 'http'" in result.stderr
    assert "Traceback" not in result.stderr
