#!/usr/bin/env python3
"""Serve the function on http://127.0.0.1:PORT as an API Gateway HTTP API or a function URL would.

Each request becomes a payload format 2.0 event (method, path, query string, headers, cookies; a body that
is not UTF-8 base64-encoded), the function answers it under the Runtime Interface Emulator started by
scripts/emulator_test.py's emulators (the same modes: EMULATOR_MODE=container|native), and its proxy
response becomes the HTTP answer (a plain JSON value without statusCode: 200 application/json, as API
Gateway does for 2.0). The RIE runs one invoke at a time: requests wait their turn in a bounded queue
(503 when it is full). A function error, timeout or exit answers 502 with a JSON body saying which; after a
timeout, an exit or an emulator that stopped answering (or exited between requests), the emulator is
restarted before the next request runs, and `serve: WHY: a fresh emulator is ready` is printed once it
is. Ctrl-C stops every process started here.

With --payload 1.0 (make serve SERVE_PAYLOAD=1.0) each request is the payload format 1.0 event a REST API
proxy integration on a `/{proxy+}` resource sends instead (headers and query parameters both single- and
multi-valued, cookies left in the headers), and the 1.0 proxy response goes back as REST APIs send it
(headers and multiValueHeaders merged; an answer without statusCode is a 502, as API Gateway answers).

Usage: scripts/serve.py [--port 3000] [--queue 16] [--payload 2.0|1.0]
"""

import argparse
import base64
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import emulator_test as harness  # this file's own directory is on sys.path when it runs

MAX_PAYLOAD = 6 * 1024 * 1024  # Lambda's limit for a synchronous invoke
# Hop-by-hop headers belong to this server's connection, not to the function's answer.
HOP_BY_HOP = {"connection", "content-length", "keep-alive", "transfer-encoding", "upgrade"}


def event_of(method, target, headers, body, client_ip, port, payload="2.0"):
    """The event of the payload format asked for."""
    build = rest_api_event if payload == "1.0" else http_api_event
    return build(method, target, headers, body, client_ip, port)


def rest_api_event(method, target, headers, body, client_ip, port):
    """The payload format 1.0 event a REST API proxy integration on a `/{proxy+}` resource sends."""
    path, _, raw_query = target.partition("?")
    single, multiple = {}, {}
    for name, value in headers.items():  # header names as the client sent them; the last value wins in `headers`
        single[name] = value
        multiple.setdefault(name, []).append(value)
    forwarded = {"X-Forwarded-For": client_ip, "X-Forwarded-Port": str(port), "X-Forwarded-Proto": "http"}
    single.update(forwarded)
    multiple.update({name: [value] for name, value in forwarded.items()})
    query, multi_query = {}, {}
    for name, value in urllib.parse.parse_qsl(raw_query, keep_blank_values=True):
        query[name] = value
        multi_query.setdefault(name, []).append(value)
    now = datetime.now(timezone.utc)
    event = {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": single,
        "multiValueHeaders": multiple,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "local",
            "resourceId": "local",
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/local{path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "stage": "local",
            "identity": {"sourceIp": client_ip, "userAgent": headers.get("user-agent")},
        },
        "body": None,
        "isBase64Encoded": False,
    }
    if body:
        try:
            event["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode("ascii"), True
    return event


def http_api_event(method, target, headers, body, client_ip, port):
    """The payload format 2.0 event API Gateway HTTP APIs and function URLs send for this request."""
    path, _, raw_query = target.partition("?")
    joined = {}
    for name, value in headers.items():
        name = name.lower()
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    # 2.0 moves cookies out of the headers into a list of their own.
    cookie = joined.pop("cookie", "")
    joined.update({"x-forwarded-for": client_ip, "x-forwarded-port": str(port), "x-forwarded-proto": "http"})
    now = datetime.now(timezone.utc)
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": joined,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "local",
            "domainName": joined.get("host", f"127.0.0.1:{port}"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": client_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookie:
        event["cookies"] = [part.strip() for part in cookie.split(";") if part.strip()]
    if raw_query:
        parameters = {}
        for name, value in urllib.parse.parse_qsl(raw_query, keep_blank_values=True):
            parameters[name] = f"{parameters[name]},{value}" if name in parameters else value
        event["queryStringParameters"] = parameters
    if body:
        try:
            event["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode("ascii"), True
    return event


def failure(status, error, **details):
    body = json.dumps({"error": error, **details}).encode("utf-8")
    return status, [("content-type", "application/json")], body


def http_answer(text, payload="2.0"):
    """(status, headers, body bytes) for what the RIE answered to an event of this payload format."""
    if text.startswith("Task timed out"):
        return failure(502, "the function timed out", errorMessage=text)
    value = harness.parse(text)
    # The RIE reports an error as this body, without the X-Amz-Function-Error header Lambda adds.
    if isinstance(value, dict) and {"errorType", "errorMessage"} <= value.keys() and "statusCode" not in value:
        exited = value["errorType"] == "Runtime.ExitError"
        error = "the function's process exited" if exited else "the function failed"
        return failure(502, error, errorType=value["errorType"], errorMessage=value["errorMessage"])
    if not (isinstance(value, dict) and "statusCode" in value):
        if payload == "1.0":  # REST APIs take only a proxy response
            return failure(502, "the function's answer is not a valid proxy response", detail="no statusCode")
        return 200, [("content-type", "application/json")], text.encode("utf-8")
    try:
        status, body = int(value["statusCode"]), value.get("body") or ""
        headers = [(name, str(item)) for name, item in (value.get("headers") or {}).items()]
        if payload == "1.0":
            # REST APIs merge both; a header in multiValueHeaders keeps only the values listed there.
            multiple = value.get("multiValueHeaders") or {}
            named = {name.lower() for name in multiple}
            headers = [(name, item) for name, item in headers if name.lower() not in named]
            headers += [(name, str(item)) for name, items in multiple.items() for item in items]
        else:
            headers += [("set-cookie", cookie) for cookie in value.get("cookies") or []]
        body = base64.b64decode(body, validate=True) if value.get("isBase64Encoded") else body.encode("utf-8")
        if not 100 <= status <= 599:
            raise ValueError(status)
    except (AttributeError, TypeError, ValueError) as error:
        return failure(502, "the function's answer is not a valid proxy response", detail=str(error))
    return status, [(name, item) for name, item in headers if name.lower() not in HOP_BY_HOP], body


class Invoker:
    """Invokes the function one request at a time, in arrival order, and restarts the emulator when it is gone."""

    def __init__(self, emulator, depth, payload="2.0"):
        self.emulator = emulator
        self.payload = payload
        self.port = harness.free_port()
        self.jobs = queue.Queue(depth)
        self.lock = threading.Lock()  # held while the emulator (re)starts or stops
        self.closed = False

    def start(self):
        self.emulator.start(self.port)
        threading.Thread(target=self.work, daemon=True).start()

    def answer(self, event):
        """The HTTP answer to one event, or None when the queue is full."""
        job = {"payload": json.dumps(event).encode("utf-8"), "done": threading.Event()}
        try:
            self.jobs.put_nowait(job)
        except queue.Full:
            return None
        job["done"].wait()
        return job["answer"]

    def work(self):
        while True:
            job = self.jobs.get()
            job["answer"], restart_why = self.invoke(job["payload"])
            job["done"].set()
            if restart_why:  # the next request gets a fresh emulator, started now rather than when it comes
                self.restart_quietly(restart_why)

    def invoke(self, payload):
        """(the HTTP answer, why the emulator is to be restarted after it, or None)."""
        try:
            if not self.emulator.is_running():
                self.restart("the emulator had exited")
            text = harness.invoke(self.port, payload)
            return http_answer(text, self.payload), "the function timed out" if text.startswith(
                "Task timed out"
            ) else None
        except urllib.error.HTTPError as error:  # the RIE answers 502 when the runtime process exits
            return http_answer(error.read().decode("utf-8", "replace"), self.payload), "the function's process exited"
        except (OSError, subprocess.SubprocessError, harness.SetupError) as error:  # the RIE died or hung
            answer = failure(502, "the emulator stopped answering; it is being restarted", detail=str(error))
            return answer, "the emulator stopped answering"

    def restart(self, why):
        with self.lock:
            if self.closed:
                raise harness.SetupError("the server is stopping")
            self.emulator.stop()
            self.emulator.start(self.port, build=False)
        # The readiness signal: a request from now on runs on the fresh emulator.
        print(f"serve: {why}: a fresh emulator is ready", flush=True)

    def restart_quietly(self, why):
        try:
            self.restart(why)
        except (OSError, subprocess.SubprocessError, harness.SetupError) as error:
            print(f"serve: the emulator did not restart ({error}); the next request tries again", flush=True)

    def close(self):
        with self.lock:
            self.closed = True
            self.emulator.stop()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer carries its Content-Length
    invoker = None  # set by main
    port = None

    def handle_any(self):
        started = time.monotonic()
        body, problem = self.read_body()
        if problem:
            status, headers, answer = problem
        else:
            event = event_of(
                self.command, self.path, self.headers, body, self.client_address[0], self.port, self.invoker.payload
            )
            answer = self.invoker.answer(event)
            if answer is None:
                answer = failure(503, "too many requests waiting for the function; try again")
            status, headers, answer = answer
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(answer)
        took = (time.monotonic() - started) * 1000
        print(
            f'{self.client_address[0]} "{self.command} {self.path}" {status} {len(answer)} B {took:.0f} ms', flush=True
        )

    def read_body(self):
        """(body bytes, None), or (None, an error answer) for a body this server does not take."""
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            body = b""
            while size := int(self.rfile.readline().split(b";")[0], 16):
                body += self.rfile.read(size)
                self.rfile.readline()
                if len(body) > MAX_PAYLOAD:
                    self.close_connection = True
                    return None, failure(413, "the request body is larger than 6 MiB")
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                pass
            return body, None
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_PAYLOAD:
            self.close_connection = True
            return None, failure(413, "the request body is larger than 6 MiB")
        return self.rfile.read(length), None

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

    def log_message(self, *args):  # handle_any prints one line per request instead
        pass


def main():
    parser = argparse.ArgumentParser(description="Serve the function over HTTP on 127.0.0.1.")
    parser.add_argument("--port", default="3000", help="the port to listen on (default 3000)")
    parser.add_argument("--queue", default="16", help="requests that may wait their turn (default 16)")
    parser.add_argument(
        "--payload",
        default=os.environ.get("SERVE_PAYLOAD") or "2.0",
        help="the event's payload format: 2.0 (HTTP API, function URL; default) or 1.0 (REST API); SERVE_PAYLOAD",
    )
    options = parser.parse_args()
    trigger = harness.SETTINGS.get("trigger")
    if trigger != "http":
        print(
            f"serve: this function's trigger is {trigger!r}, not 'http': run 'make emulator-test' to invoke it "
            f"with its sample events",
            file=sys.stderr,
        )
        return 2
    if not (
        options.port.isdigit() and 0 < int(options.port) < 65536 and options.queue.isdigit() and int(options.queue) > 0
    ):
        print(
            f"serve: PORT={options.port} queue={options.queue}: the port must be 1-65535, the queue 1 or more",
            file=sys.stderr,
        )
        return 2
    if options.payload not in ("2.0", "1.0"):
        print(
            f"serve: payload format {options.payload!r}: use 2.0 (HTTP API, function URL) or 1.0 (REST API)",
            file=sys.stderr,
        )
        return 2
    options.port, options.queue = int(options.port), int(options.queue)
    harness.unwind_on_ctrl_c_and_termination()  # the finally below stops what was started
    invoker = server = None
    try:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
        except OSError as error:
            raise harness.SetupError(
                f"cannot listen on 127.0.0.1:{options.port} ({error.strerror}): "
                f"choose another port, e.g. make serve PORT={int(options.port) + 1}"
            ) from None
        mode, emulator = harness.choose_emulator()
        invoker = Invoker(emulator, options.queue, options.payload)
        Handler.invoker, Handler.port = invoker, options.port
        invoker.start()
        print(
            f"serve: {mode} mode, {harness.SETTINGS['runtime']}, payload {options.payload}: "
            f"http://127.0.0.1:{options.port}/ (Ctrl-C stops)",
            flush=True,
        )
        server.serve_forever()
    except harness.SetupError as error:
        print(f"serve: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"serve: '{' '.join(map(str, error.cmd))}' failed with exit code {error.returncode}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if server:
            server.server_close()
        if invoker:
            invoker.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
