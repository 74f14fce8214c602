"""What invokes the deployed function, end to end: the generated deploy script's last step, by the
project's trigger, with the real script and the real AWS CLI against moto server and a real OCI registry
(the services and fixtures of test_deploy.py).

http: a function URL on the `live` alias, AWS_IAM unless `--public`, never left public by a later deploy.
Other triggers: no URL, and the attach commands the script prints are run as printed against moto.

Where moto 5.2.1 differs from AWS (the script does not rely on either behaviour):
- function URLs: moto ignores the qualifier (one URL per function, reported with the unqualified ARN), and a
  second create-function-url-config replaces the URL (AWS refuses it: ResourceConflictException);
- add-permission with a statement id already in the policy appends a duplicate (AWS: ResourceConflictException);
- one policy per function whatever the qualifier (AWS: one per version or alias);
- conditions such as FunctionUrlAuthType stay top-level keys of the statement (AWS writes a Condition block);
- an event source mapping made for the alias reports the version the alias points at (AWS: the alias's ARN).
"""

import json
import os
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import test_deploy
from test_deploy import TINY_DOCKERFILE, commit_version, find_tool, git, succeeded

from helpers import bake, run

# The services and the deploy runner of test_deploy.py, as fixtures of this module.
aws, deploy, moto = test_deploy.aws, test_deploy.deploy, test_deploy.moto
podman_env, registry, start_moto = test_deploy.podman_env, test_deploy.registry, test_deploy.start_moto

FUNCTION = "hello-lambda"
LIVE_ARN = f"arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION}:live"


@pytest.fixture
def trigger():
    return "http"


@pytest.fixture
def project(tmp_path, trigger):
    """A generated project with TRIGGER, committed, whose image is a tiny one FROM scratch (see test_deploy)."""
    find_tool("git")
    path = bake(tmp_path / "out", trigger=trigger)
    (path / "Dockerfile").write_text(TINY_DOCKERFILE)
    git(path, "init", "-q")
    commit_version(path, "1")
    return path


def aws_call(moto, *args, env=None):
    """The AWS CLI against moto, as a completed process (for calls that may fail, and printed commands)."""
    return subprocess.run(
        [find_tool("aws"), *args],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "AWS_ENDPOINT_URL": moto,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            **(env or {}),
        },
    )


def url_config(moto):
    """The live alias's function URL config, or None when it has none."""
    result = aws_call(
        moto,
        "lambda",
        "get-function-url-config",
        "--function-name",
        FUNCTION,
        "--qualifier",
        "live",
        "--output",
        "json",
    )
    if "ResourceNotFoundException" in result.stderr:
        return None
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def statements(moto):
    """The statements of the live alias's resource-based policy ([] when it has none)."""
    result = aws_call(
        moto, "lambda", "get-policy", "--function-name", FUNCTION, "--qualifier", "live", "--output", "json"
    )
    if "ResourceNotFoundException" in result.stderr:
        return []
    assert result.returncode == 0, result.stderr
    return json.loads(json.loads(result.stdout)["Policy"])["Statement"]


def public(moto):
    return [s for s in statements(moto) if s.get("Principal") in ("*", {"AWS": "*"})]


def condition(statement, key):
    """The value of the condition lambda:KEY, as AWS writes it (Condition: {operator: {"lambda:KEY": value}})
    or as moto stores it (KEY at the statement's top level); lower-cased text."""
    for values in statement.get("Condition", {}).values():
        if f"lambda:{key}" in values:
            return str(values[f"lambda:{key}"]).lower()
    return str(statement.get(key, "")).lower()


def printed_commands(stdout, first_word):
    """The commands the deploy printed that start with FIRST_WORD, continuation lines joined."""
    commands, current = [], None
    for line in stdout.splitlines():
        text = line.strip()
        if current is None and text.startswith(first_word + " "):
            current = ""
        if current is not None:
            current += text.removesuffix("\\").strip() + " "
            if not text.endswith("\\"):
                commands.append(current.strip())
                current = None
    return commands


class Recorder(ThreadingHTTPServer):
    """Records the headers of each request it answers (200, empty JSON)."""

    def __init__(self):
        self.requests: list[tuple[str, dict[str, str]]] = []
        super().__init__(("127.0.0.1", 0), RecorderHandler)


class RecorderHandler(BaseHTTPRequestHandler):
    server: Recorder  # the server that owns this handler, as socketserver sets it

    def do_GET(self):
        self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def signed_request(command, url, recorder, **env):
    """Run the printed curl command against the recorder instead of the function URL: the request's headers."""
    local = f"http://127.0.0.1:{recorder.server_address[1]}/"
    result = run(
        ["bash", "-c", command.replace(url.rstrip("/") + "/", local)],
        os.getcwd(),
        env={"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", **env},
    )
    assert result.returncode == 0, result.stderr
    path, headers = recorder.requests.pop()
    assert path == "/hello?name=Ada"
    return headers


# ---- http --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_http_gets_an_iam_function_url_public_only_on_request_and_never_kept_public(project, deploy, moto, recorder):
    first = succeeded(deploy())
    config = url_config(moto)
    url = config["FunctionUrl"]
    assert config["AuthType"] == "AWS_IAM" and public(moto) == []
    assert url in first.stdout and "created (AuthType AWS_IAM)" in first.stdout

    # The printed curl command signs with SigV4 for lambda in the function's Region, with the session
    # token header only when there is a session token.
    [curl] = printed_commands(first.stdout, "curl")
    assert curl.startswith('curl --aws-sigv4 "aws:amz:us-east-1:lambda"')
    headers = signed_request(curl, url, recorder)
    assert re.match(
        r"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/us-east-1/lambda/aws4_request,", headers["authorization"]
    ), headers
    assert "x-amz-security-token" not in headers
    headers = signed_request(curl, url, recorder, AWS_SESSION_TOKEN="session-token")
    assert headers["x-amz-security-token"] == "session-token"
    assert "x-amz-security-token" in headers["authorization"]  # signed, as AWS requires

    # Kept, not created again (a second create would give moto a new URL and AWS an error).
    again = succeeded(deploy())
    assert "nothing changed" in again.stdout and "exists (AuthType AWS_IAM): kept" in again.stdout
    assert url_config(moto)["FunctionUrl"] == url and url_config(moto)["AuthType"] == "AWS_IAM"

    # --public: AuthType NONE and exactly the two statements AWS requires, also when given twice.
    for run_number in (1, 2):
        opened = succeeded(deploy("--public"))
        assert (url_config(moto)["AuthType"], url_config(moto)["FunctionUrl"]) == ("NONE", url)
        granted = {s["Action"]: s for s in public(moto)}
        assert len(public(moto)) == 2 and set(granted) == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
        assert condition(granted["lambda:InvokeFunctionUrl"], "FunctionUrlAuthType") == "none"
        assert condition(granted["lambda:InvokeFunction"], "InvokedViaFunctionUrl") == "true"
        assert all(s["Resource"] == LIVE_ARN for s in granted.values())
        assert f'curl "{url.rstrip("/")}/hello?name=Ada"' in opened.stdout
        assert ("switched from AWS_IAM to NONE" in opened.stdout) == (run_number == 1)

    # A deploy without --public closes it again, and says so.
    closed = succeeded(deploy())
    assert (url_config(moto)["AuthType"], url_config(moto)["FunctionUrl"]) == ("AWS_IAM", url)
    assert public(moto) == []
    assert "was public (AuthType NONE): switched back to AWS_IAM" in closed.stdout
    assert "removed the public statement" in closed.stdout
    assert live_version_of(moto) == "1"


def live_version_of(moto):
    result = aws_call(
        moto,
        "lambda",
        "get-alias",
        "--function-name",
        FUNCTION,
        "--name",
        "live",
        "--query",
        "FunctionVersion",
        "--output",
        "text",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_another_public_statement_is_named_when_the_url_is_closed(project, deploy, moto):
    succeeded(deploy("--public"))
    added = aws_call(
        moto,
        "lambda",
        "add-permission",
        "--function-name",
        FUNCTION,
        "--qualifier",
        "live",
        "--statement-id",
        "console-made",
        "--action",
        "lambda:InvokeFunctionUrl",
        "--principal",
        "*",
        "--function-url-auth-type",
        "NONE",
    )
    assert added.returncode == 0, added.stderr
    closed = succeeded(deploy())
    assert url_config(moto)["AuthType"] == "AWS_IAM"
    assert [s["Sid"] for s in public(moto)] == ["console-made"]
    assert 'statement console-made (not made by this script) still allows principal "*"' in closed.stdout


# ---- the other triggers ------------------------------------------------------------------------
def attach_and_check(moto, trigger, commands):
    """Create what the user would bring (queue, bucket), run the printed commands with it, check the wiring."""

    def read(*args):
        result = aws_call(moto, *args, "--output", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    if trigger == "sqs":
        # AWS CLI v1 sends SQS calls to queue.amazonaws.com unless --endpoint-url is given.
        queue_url = read("sqs", "create-queue", "--queue-name", "orders", "--endpoint-url", moto)["QueueUrl"]
        attributes = read(
            "sqs",
            "get-queue-attributes",
            "--queue-url",
            queue_url,
            "--attribute-names",
            "QueueArn",
            "--endpoint-url",
            moto,
        )
        values = {"QUEUE_ARN": attributes["Attributes"]["QueueArn"]}
    elif trigger == "s3":
        read("s3api", "create-bucket", "--bucket", "uploads")
        values = {"BUCKET": "uploads"}
    else:
        values = {}
    for command in commands:
        for placeholder, value in values.items():
            command = command.replace(placeholder, value)
        ran = subprocess.run(
            ["bash", "-c", command],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "PATH": f"{os.path.dirname(find_tool('aws'))}{os.pathsep}{os.environ['PATH']}",
                "AWS_ENDPOINT_URL": moto,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
            },
        )
        assert ran.returncode == 0, (command, ran.stderr)

    if trigger == "sqs":
        [mapping] = read("lambda", "list-event-source-mappings", "--function-name", LIVE_ARN)["EventSourceMappings"]
        # AWS reports the alias's ARN; moto the version the alias pointed at.
        assert mapping["EventSourceArn"] == values["QUEUE_ARN"]
        assert mapping["FunctionArn"] in (LIVE_ARN, LIVE_ARN.removesuffix("live") + live_version_of(moto))
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        attached = read("iam", "list-attached-role-policies", "--role-name", f"{FUNCTION}-execution")
        assert "AWSLambdaSQSQueueExecutionRole" in [p["PolicyName"] for p in attached["AttachedPolicies"]]
    elif trigger == "s3":
        [notification] = read("s3api", "get-bucket-notification-configuration", "--bucket", "uploads")[
            "LambdaFunctionConfigurations"
        ]
        assert notification["LambdaFunctionArn"] == LIVE_ARN and notification["Events"] == ["s3:ObjectCreated:*"]
        [grant] = statements(moto)
        assert grant["Principal"] in ("s3.amazonaws.com", {"Service": "s3.amazonaws.com"})
        assert "arn:aws:s3:::uploads" in json.dumps(grant) and grant["Resource"] == LIVE_ARN
    elif trigger == "schedule":
        rule = read("events", "describe-rule", "--name", f"{FUNCTION}-schedule")
        assert rule["ScheduleExpression"] == "rate(1 hour)"
        [target] = read("events", "list-targets-by-rule", "--rule", f"{FUNCTION}-schedule")["Targets"]
        assert target["Arn"] == LIVE_ARN
        [grant] = statements(moto)
        assert grant["Principal"] in ("events.amazonaws.com", {"Service": "events.amazonaws.com"})
        assert rule["Arn"] in json.dumps(grant) and grant["Resource"] == LIVE_ARN


@pytest.mark.slow
@pytest.mark.parametrize("trigger", ["sqs", "s3", "schedule", "direct"])
def test_other_triggers_get_no_url_and_the_printed_commands_attach_their_source_to_live(project, deploy, moto, trigger):
    result = succeeded(deploy())
    assert url_config(moto) is None
    commands = printed_commands(result.stdout, "aws")
    if trigger == "direct":
        # Not run: moto invokes an Image function only through Docker. AWS CLI v2 needs the binary format option.
        invoke, payload = f"aws lambda invoke --function-name={LIVE_ARN}", '--payload \'{"name": "Ada"}\' answer.json'
        assert commands[0] in (f"{invoke} {payload}", f"{invoke} --cli-binary-format raw-in-base64-out {payload}")
        assert len(commands) == 1
    else:
        assert commands and all(command.startswith("aws ") for command in commands)
        attach_and_check(moto, trigger, commands)

    # --public belongs to http: one line, before any step, nothing changed.
    before = statements(moto)
    refused = deploy("--public")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        f"deploy: --public makes an http function's URL public, but this project's trigger is '{trigger}' "
        "(lambda.json): nothing was changed."
    ]
    assert url_config(moto) is None and statements(moto) == before and live_version_of(moto) == "1"


@pytest.mark.slow
@pytest.mark.parametrize("trigger", ["sqs"])
def test_public_on_a_project_never_deployed_changes_nothing(project, deploy, aws):
    refused = deploy("--public")
    assert refused.returncode == 2 and refused.stdout == "" and len(refused.stderr.splitlines()) == 1
    assert aws("ecr", "describe-repositories")["repositories"] == []
    assert aws("lambda", "list-functions")["Functions"] == []


@pytest.mark.slow
@pytest.mark.parametrize("trigger", ["schedule"])
def test_a_url_left_by_an_earlier_http_deploy_is_named(project, deploy, moto):
    succeeded(deploy())
    made = aws_call(
        moto,
        "lambda",
        "create-function-url-config",
        "--function-name",
        FUNCTION,
        "--qualifier",
        "live",
        "--auth-type",
        "NONE",
    )
    assert made.returncode == 0, made.stderr
    result = succeeded(deploy())
    assert "live still has a function URL (AuthType NONE) although the trigger is schedule" in result.stdout
    assert f"aws lambda delete-function-url-config --function-name={FUNCTION} --qualifier live" in result.stdout
