"""The generated deploy script, end to end: the real script and the real AWS CLI against a local AWS API
(moto server) and a real OCI registry (Debian's docker-registry), pushing with podman.

moto's ECR has no registry endpoint, so the script pushes through its documented registry override
(`DEPLOY_REGISTRY`) and records the pushed manifest in moto's ECR. Every service is started by a
fixture on a free port and stopped after the test.
"""

import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpers import OFFERED, bake, free_port, require, run

DEPLOY_FILES = ("scripts/deploy.sh", "scripts/deploy-helper.py")
MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
# The build step reuses scripts/build-image.sh with the project's Dockerfile. No base image can be pulled
# here, so the deploy tests give the project a Dockerfile FROM scratch; the language layers' own
# Dockerfiles are tested by their areas.
TINY_DOCKERFILE = "FROM scratch\nCOPY version.txt /var/task/version.txt\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def find_tool(name):
    """A tool on PATH, or beside the running Python (a venv's console scripts are not on PATH)."""
    path = shutil.which(name) or shutil.which(name, path=os.path.dirname(sys.executable))
    require(path, f"{name} is not installed (see .ci/install/deploy.sh)")
    return path


def wait_for_port(port, process, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited at start with code {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not listen on 127.0.0.1:{port} within 30 s")


def stop(process, log):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


# ---- services ---------------------------------------------------------------------------------
@pytest.fixture
def start_moto(tmp_path):
    """Start moto servers on free ports; each is stopped after the test."""
    started = []

    def start(managed_policies=True):
        port = free_port()
        env = {
            **os.environ,
            "MOTO_LAMBDA_STUB_ECR": "false",
            "MOTO_IAM_LOAD_MANAGED_POLICIES": "true" if managed_policies else "false",
        }
        log = open(tmp_path / f"moto-{port}.log", "w")  # noqa: SIM115 (the server's log, open while it runs)
        process = subprocess.Popen(
            [find_tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        wait_for_port(port, process, "moto_server")
        return f"http://127.0.0.1:{port}"

    yield start
    for process, log in started:
        stop(process, log)


@pytest.fixture
def moto(start_moto):
    return start_moto()


@pytest.fixture
def registry(tmp_path):
    """A real OCI registry (Debian's docker-registry) on a free loopback port: yields host:port."""
    binary = find_tool("docker-registry")
    port = free_port()
    config = tmp_path / "registry.yml"
    config.write_text(
        f"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {tmp_path / 'registry-data'}\nhttp:\n  addr: 127.0.0.1:{port}\n"
    )
    log = open(tmp_path / "registry.log", "w")  # noqa: SIM115 (the registry's log, open while it runs)
    process = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    wait_for_port(port, process, "docker-registry")
    yield f"127.0.0.1:{port}"
    stop(process, log)


@pytest.fixture
def podman_env(tmp_path, registry):
    """podman (the container CLI the script drives here) with its own store and the registry marked plain HTTP."""
    find_tool("podman")
    (tmp_path / "storage.conf").write_text(
        f'[storage]\ndriver = "vfs"\ngraphroot = "{tmp_path / "containers"}"\nrunroot = "{tmp_path / "run"}"\n'
    )
    (tmp_path / "registries.conf").write_text(f'[[registry]]\nlocation = "{registry}"\ninsecure = true\n')
    return {
        "CONTAINER_CLI": "podman",
        "BUILDAH_ISOLATION": "chroot",
        "CONTAINERS_STORAGE_CONF": str(tmp_path / "storage.conf"),
        "CONTAINERS_REGISTRIES_CONF": str(tmp_path / "registries.conf"),
        "REGISTRY_AUTH_FILE": str(tmp_path / "auth.json"),
    }


class BusyProxy(ThreadingHTTPServer):
    """Passes every request to moto, whose functions are always Active and their updates always Successful.
    While `busy`, Lambda answers that the function's last update is still in progress, as AWS does during an
    update. `until_update` (fields of the function's configuration) is what AWS reports of a function that
    is Inactive or whose last update failed, until the next code update, which clears it."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.busy = False
        self.until_update: dict[str, str] = {}
        super().__init__(("127.0.0.1", 0), BusyProxyHandler)


class BusyProxyHandler(BaseHTTPRequestHandler):
    server: BusyProxy  # the server that owns this handler, as socketserver sets it

    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=60)
        upstream.request(self.command, self.path, body, dict(self.headers))
        response = upstream.getresponse()
        data = response.read()
        if self.server.busy and self.path.startswith("/2015-03-31/functions/"):
            data = re.sub(rb'"LastUpdateStatus": *"Successful"', b'"LastUpdateStatus": "InProgress"', data)
        path = urllib.parse.urlsplit(self.path).path
        if self.command == "PUT" and path.endswith("/code"):
            self.server.until_update = {}
        if self.server.until_update and self.command == "GET" and path.endswith("/configuration"):
            data = json.dumps({**json.loads(data), **self.server.until_update}).encode()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = forward

    def log_message(self, *args):
        pass


@pytest.fixture
def busy_proxy(moto):
    proxy = BusyProxy(int(moto.rsplit(":", 1)[1]))
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


# ---- the project and how the tests drive and observe it ---------------------------------------
def git(project, *args):
    result = run(["git", *args], project, env=GIT_ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit_version(project, text):
    """Change what the image holds and commit it: a new commit, a new tag, a new image."""
    (project / "version.txt").write_text(text)
    git(project, "add", "-A")
    git(project, "commit", "-qm", f"version {text}")


@pytest.fixture
def project(tmp_path):
    find_tool("git")
    path = bake(tmp_path / "out")
    (path / "Dockerfile").write_text(TINY_DOCKERFILE)
    git(path, "init", "-q")
    commit_version(path, "1")
    return path


@pytest.fixture
def deploy(project, moto, registry, podman_env):
    """Run the real scripts/deploy.sh of the project against moto and the registry."""
    tools = os.path.dirname(find_tool("aws"))

    def deploy_(*args, endpoint=None, env=None, cwd=None):
        return run(
            ["scripts/deploy.sh", *args],
            cwd or project,
            timeout=600,
            env={
                **podman_env,
                "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
                "AWS_ENDPOINT_URL": endpoint or moto,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "DEPLOY_REGISTRY": f"http://{registry}",
                **(env or {}),
            },
        )

    return deploy_


@pytest.fixture
def aws(moto):
    """The AWS CLI against moto, answering parsed JSON (assertions look at the AWS side directly)."""

    def aws_(*args):
        result = subprocess.run(
            [find_tool("aws"), *args, "--output", "json"],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "AWS_ENDPOINT_URL": moto,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
            },
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    return aws_


def recording_aws(directory):
    """An `aws` first on PATH that appends its arguments, as one JSON list per line, to a file and runs the real
    AWS CLI: (that file, the environment that puts it first on PATH)."""
    real = find_tool("aws")
    bin_dir, calls = directory / "recording-aws", directory / "aws-calls.jsonl"
    bin_dir.mkdir()
    script = bin_dir / "aws"
    script.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"with open({str(calls)!r}, 'a') as log:\n    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
    )
    script.chmod(0o755)
    path = os.pathsep.join([str(bin_dir), os.path.dirname(real), os.environ["PATH"]])
    return calls, {"PATH": path}


def read_calls(calls):
    return [json.loads(line) for line in calls.read_text().splitlines()]


def live_version(aws):
    return aws("lambda", "get-alias", "--function-name", "hello-lambda", "--name", "live")["FunctionVersion"]


def code_digest(aws, qualifier="$LATEST"):
    config = aws("lambda", "get-function-configuration", "--function-name", "hello-lambda", "--qualifier", qualifier)
    return "sha256:" + config["CodeSha256"]


def published_versions(aws):
    versions = aws("lambda", "list-versions-by-function", "--function-name", "hello-lambda")["Versions"]
    return [v["Version"] for v in versions if v["Version"] != "$LATEST"]


def ecr_tags(aws, repository="hello-lambda"):
    return [i.get("imageTag") for i in aws("ecr", "list-images", "--repository-name", repository)["imageIds"]]


def commit_tag(aws, project, function="hello-lambda", repository="hello-lambda"):
    """The one tag in ECR of FUNCTION's image of the project's commit: FUNCTION-COMMIT-CONFIG12."""
    commit = git(project, "rev-parse", "--short=12", "HEAD")
    tags = [t for t in ecr_tags(aws, repository) if re.fullmatch(rf"{function}-{commit}-[0-9a-f]{{12}}", t or "")]
    assert len(tags) == 1, tags
    return tags[0]


def registry_digest(registry, tag, repository="hello-lambda"):
    """The digest the registry itself serves for REPOSITORY at TAG."""
    request = urllib.request.Request(
        f"http://{registry}/v2/{repository}/manifests/{tag}", headers={"Accept": MANIFEST_TYPES}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return "sha256:" + hashlib.sha256(response.read()).hexdigest()


def succeeded(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def failed_at(result, step, why):
    """A failed run: non-zero, names the failed step, says why, and says that live did not move."""
    assert result.returncode != 0
    assert f"FAILED at step '{step}" in result.stderr
    assert re.search(why, result.stderr), result.stderr
    assert "live alias was not moved" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# ---- fast tier --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def default_project(tmp_path_factory):
    return bake(tmp_path_factory.mktemp("default"))


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["--image"],
        ["--keep-images", "zero"],
        ["--role-arn", "admin"],
        ["--env", "1BAD=x"],
        ["--rollback", "--image", "x:1"],
        ["--registry", "a b"],
        ["--rollback", "--public"],
    ],
    ids=lambda args: " ".join(args),
)
def test_bad_arguments_get_usage_help_not_a_stack_trace(default_project, args):
    result = run(["scripts/deploy.sh", *args], default_project)
    assert result.returncode == 2
    assert "Usage: scripts/deploy.sh" in result.stderr
    assert result.stderr.startswith("deploy: ") and "Traceback" not in result.stderr


def test_help_lists_every_option_and_make_deploy_runs_the_script(default_project):
    project = default_project
    result = run(["make", "deploy", "ARGS=--help"], project)
    assert result.returncode == 0
    for option in (
        "--image",
        "--rollback",
        "--public",
        "--role-arn",
        "--env",
        "--keep-images",
        "--registry",
        "--region",
    ):
        assert option in result.stdout
    assert "deploy" in run(["make", "help"], project).stdout


def test_deploy_script_is_identical_for_every_runtime_and_architecture(tmp_path):
    variants = [{"runtime": rid} for rid in OFFERED] + [{"runtime": OFFERED[0], "architecture": "arm64"}]
    texts = set()
    for number, answers in enumerate(variants):
        project = bake(tmp_path / str(number), **answers)
        texts.add(tuple((project / name).read_text() for name in DEPLOY_FILES))
    assert len(texts) == 1


def test_deploy_script_is_shellcheck_clean(default_project):
    result = run([find_tool("shellcheck"), "--severity=style", "scripts/deploy.sh"], default_project)
    assert result.returncode == 0, result.stdout


# Lambda's reported LoggingConfig (LogFormat, ApplicationLogLevel) -> whether the deploy changes it; lambda.json
# asks for JSON at INFO. "None": the API reports no logging settings at all (moto), so nothing is changed.
@pytest.mark.parametrize(
    ("reported", "differs"),
    [("Text None", True), ("JSON DEBUG", True), ("JSON INFO", False), ("None None", False)],
)
def test_the_deploy_changes_a_log_format_or_level_other_than_json_at_the_log_level(default_project, reported, differs):
    script = f"source scripts/deploy.sh; log_level=INFO; logging_differs {reported}"
    result = run(["bash", "-c", script], default_project)
    assert result.returncode == (0 if differs else 1), result.stderr


# ---- function states: the script's own wait functions against a stand-in `aws` ----------------
# moto's functions are always Active with updates Successful, so every other documented pair comes from a
# stand-in that answers get-function-configuration with the next pair of a list (the last one repeats).
STATES = ("Pending", "Active", "Inactive", "Failed")
UPDATE_STATUSES = ("InProgress", "Successful", "Failed", "None")  # None: a new function has none yet
STAND_IN_AWS = """#!/usr/bin/env bash
case "$*" in
  *'[State,LastUpdateStatus]'*)
    echo poll >>"$STATES.log"
    head -n 1 "$STATES"
    if [ "$(wc -l <"$STATES")" -gt 1 ]; then sed -i 1d "$STATES"; fi ;;
  *StateReason*) echo '["state reason X", "update reason Y"]' ;;
  *) echo "stand-in aws: unexpected call: $*" >&2; exit 1 ;;
esac
"""


@pytest.fixture
def wait_on(default_project, tmp_path):
    """Source the real deploy script and run one of its wait functions while `aws` reports PAIRS in turn."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(STAND_IN_AWS)
    (bin_dir / "aws").chmod(0o755)

    def wait(function, pairs, wait_seconds=0):
        states = tmp_path / "states"
        states.write_text("".join(f"{state}\t{status}\n" for state, status in pairs))
        (tmp_path / "states.log").write_text("")
        script = (
            f"source scripts/deploy.sh; function_name=f; work={tmp_path}; wait_seconds={wait_seconds}; "
            f"sleep() {{ :; }}; {function}"
        )
        result = run(
            ["bash", "-c", script],
            default_project,
            env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "STATES": str(states)},
        )
        assert "unexpected call" not in result.stderr
        return result, len((tmp_path / "states.log").read_text().split())

    return wait


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("status", UPDATE_STATUSES)
def test_before_a_change_the_deploy_waits_only_while_lambda_refuses_changes(wait_on, state, status):
    result, _ = wait_on("wait_idle", [(state, status)])
    if state == "Pending" or status == "InProgress":
        assert result.returncode == 1
        assert f"still busy (State {state}, LastUpdateStatus {status}) after 0 s" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    assert ("State Inactive" in result.stdout) == (state == "Inactive")
    reported_failure = "state reason X" in result.stdout and "update reason Y" in result.stdout
    assert reported_failure == ("Failed" in (state, status))


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("status", UPDATE_STATUSES)
def test_after_a_change_the_deploy_waits_until_active_and_successful_and_stops_on_failure(wait_on, state, status):
    result, _ = wait_on("wait_applied", [(state, status)])
    if state == "Pending" or status == "InProgress":
        assert result.returncode == 1 and "still busy" in result.stderr
    elif "Failed" in (state, status):
        assert result.returncode == 1
        assert f"could not apply the change to f (State {state}, LastUpdateStatus {status}" in result.stderr
        assert "state reason X" in result.stderr and "update reason Y" in result.stderr
    elif state == "Active":
        assert result.returncode == 0, result.stderr
    else:  # Inactive: the change re-activates it; the deploy goes on only once it is Active
        assert result.returncode == 1 and "still Inactive" in result.stderr


def test_waits_end_when_lambda_settles(wait_on):
    result, polls = wait_on(
        "wait_idle", [("Pending", "InProgress"), ("Active", "InProgress"), ("Inactive", "Successful")], wait_seconds=60
    )
    assert result.returncode == 0 and polls == 3 and "State Inactive" in result.stdout
    result, polls = wait_on(
        "wait_applied",
        [("Inactive", "InProgress"), ("Inactive", "Successful"), ("Pending", "Successful"), ("Active", "Successful")],
        wait_seconds=60,
    )
    assert result.returncode == 0 and polls == 4


# ---- ECR lifecycle policy, evaluated as ECR does ------------------------------------------------
def ecr_expires(policy, history):
    """The images (indexes into HISTORY, a list of tag lists, oldest push first) that a lifecycle run expires,
    by ECR's documented evaluation: rules in rulePriority order; each selects the images not matched by an
    earlier rule (tagged: having a tag with each tagPrefixList prefix; untagged: no tag; any: all); with
    countType imageCountMoreThan, all but the newest countNumber of those expire."""
    matched, expired = set(), set()
    for rule in sorted(policy["rules"], key=lambda r: r["rulePriority"]):
        selection = rule["selection"]
        status, prefixes = selection["tagStatus"], selection.get("tagPrefixList", [])
        assert status in ("tagged", "untagged", "any") and (status != "tagged" or prefixes), selection
        assert selection["countType"] == "imageCountMoreThan" and rule["action"]["type"] == "expire", rule

        def selects(tags, status=status, prefixes=prefixes):
            if status == "untagged":
                return not tags
            if status == "tagged":
                return bool(tags) and all(any(tag.startswith(p) for tag in tags) for p in prefixes)
            return True

        chosen = [i for i in reversed(range(len(history))) if i not in matched and selects(history[i])]
        expired.update(chosen[selection["countNumber"] :])
        matched.update(chosen)
    return expired


def test_the_lifecycle_policy_never_expires_an_image_of_a_commit(default_project):
    result = run(["bash", "-c", "source scripts/deploy.sh; lifecycle_policy 3"], default_project)
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    # Two functions share the repository; each deploys 8 commits (each published as a version) with many
    # development pushes in between; a few untagged images come from pushes that lost their tag.
    history = []
    for commit in range(8):
        for function in ("orders", "billing"):
            history.append([f"{function}-c{commit:011d}-{commit:012x}"])
            history += [[f"dev-{function}-c{commit:011d}-{n:012x}"] for n in range(4)]
        history.append([])
    expired = ecr_expires(policy, history)
    commits = {i for i, tags in enumerate(history) if tags and not tags[0].startswith("dev-")}
    assert not expired & commits
    kept_dev = [i for i, tags in enumerate(history) if tags[:1] and tags[0].startswith("dev-") and i not in expired]
    assert len(kept_dev) == 3 and kept_dev == sorted(kept_dev)[-3:]  # the newest 3
    assert len([i for i, tags in enumerate(history) if not tags and i not in expired]) == 3


# ---- slow tier: the real script against moto and a real registry ------------------------------
# Each deploy runs about twenty real AWS CLI calls, so the cases are grouped into a few stories that
# share their first deploy, and every assertion reads the AWS side (or the registry) directly.
@pytest.mark.slow
def test_first_deploy_creates_everything_then_reruns_updates_and_rollbacks_move_only_live(
    project, deploy, aws, registry
):
    started = time.monotonic()
    # Each AWS CLI call is recorded: moto keeps no LoggingConfig, so the call that creates the function is read.
    calls, recorder = recording_aws(project.parent)
    first = succeeded(deploy("--keep-images", "3", "--env", "GREETING=hello world", env=recorder))
    print(f"first deploy took {time.monotonic() - started:.1f} s")
    tag = commit_tag(aws, project)

    repository = aws("ecr", "describe-repositories", "--repository-names", "hello-lambda")["repositories"][0]
    assert repository["imageTagMutability"] == "IMMUTABLE"
    assert repository["imageScanningConfiguration"]["scanOnPush"] is True
    policy = json.loads(aws("ecr", "get-lifecycle-policy", "--repository-name", "hello-lambda")["lifecyclePolicyText"])
    assert [rule["selection"]["countNumber"] for rule in policy["rules"]] == [3, 3]

    role = aws("iam", "get-role", "--role-name", "hello-lambda-execution")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    attached = aws("iam", "list-attached-role-policies", "--role-name", "hello-lambda-execution")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AWSLambdaBasicExecutionRole"]

    settings = json.loads((project / "lambda.json").read_text())
    function = aws("lambda", "get-function", "--function-name", "hello-lambda")
    config = function["Configuration"]
    assert config["PackageType"] == "Image"
    assert config["Architectures"] == [settings["architecture"]]
    assert (config["MemorySize"], config["Timeout"]) == (settings["memory_size"], settings["timeout"])
    assert config["Environment"]["Variables"] == {"GREETING": "hello world"}
    assert config["Role"] == role["Arn"]
    # The real AWS CLI checks the shorthand's keys against Lambda's API model before it sends anything.
    (create,) = [call for call in read_calls(calls) if call[:2] == ["lambda", "create-function"]]
    logging = create[create.index("--logging-config") + 1]
    assert logging == "LogFormat=JSON,ApplicationLogLevel=INFO,SystemLogLevel=INFO"
    pushed = registry_digest(registry, tag)
    assert function["Code"]["ImageUri"] == f"{repository['repositoryUri']}@{pushed}"
    assert code_digest(aws) == pushed and live_version(aws) == "1"
    steps = re.findall(r"^==> (.+)$", first.stdout, re.MULTILINE)
    # The last step is the trigger's (test_deploy_triggers.py).
    assert steps[0] == "check prerequisites" and steps[-2] == "move the live alias to version 1"
    assert first.stdout.count("    ok (") == len(steps)

    # Nothing changed: no build, no push, no version; the repository's settings are left alone.
    aws("ecr", "put-image-tag-mutability", "--repository-name", "hello-lambda", "--image-tag-mutability", "MUTABLE")
    rerun = succeeded(deploy("--keep-images", "7", "--env", "GREETING=hello world"))
    assert "build-image:" not in rerun.stdout and "already in ECR: not building it again" in rerun.stdout
    assert "nothing changed: live stays at version 1" in rerun.stdout
    assert published_versions(aws) == ["1"] and live_version(aws) == "1"
    repository = aws("ecr", "describe-repositories", "--repository-names", "hello-lambda")["repositories"][0]
    assert repository["imageTagMutability"] == "MUTABLE"
    policy = json.loads(aws("ecr", "get-lifecycle-policy", "--repository-name", "hello-lambda")["lifecyclePolicyText"])
    assert [rule["selection"]["countNumber"] for rule in policy["rules"]] == [3, 3]

    # A new commit: new image, code updated by digest, version 2, live moved.
    commit_version(project, "2")
    update = succeeded(deploy())
    second = registry_digest(registry, commit_tag(aws, project))
    assert second != pushed and "update the function's code" in update.stdout
    assert code_digest(aws) == second and live_version(aws) == "2" and code_digest(aws, "2") == second

    # Rollback: live back to version 1; at the first version it refuses and leaves live alone.
    rollback = succeeded(deploy("--rollback"))
    assert "rolled back from version 2 to version 1" in rollback.stdout
    assert live_version(aws) == "1" and code_digest(aws, "live") == pushed
    failed_at(deploy("--rollback"), "roll the live alias back", "no earlier version")
    assert live_version(aws) == "1"


@pytest.mark.slow
def test_a_given_image_is_deployed_exactly_without_building_and_a_dirty_tree_tags_it_dirty(
    project, deploy, aws, registry, podman_env, tmp_path
):
    context = tmp_path / "tested-image"
    context.mkdir()
    (context / "Dockerfile").write_text("FROM scratch\nCOPY tested.txt /var/task/tested.txt\n")
    (context / "tested.txt").write_text("built and tested in CI")
    built = run(
        ["podman", "build", "--platform", "linux/amd64", "-t", "tested:1", str(context)], context, env=podman_env
    )
    assert built.returncode == 0, built.stderr
    config_digest = json.loads(run(["podman", "image", "inspect", "tested:1"], context, env=podman_env).stdout)[0]["Id"]
    (project / "version.txt").write_text("uncommitted change")

    result = succeeded(deploy("--image", "tested:1"))
    assert "build-image:" not in result.stdout
    commit = git(project, "rev-parse", "--short=12", "HEAD")
    tags = ecr_tags(aws)
    assert len(tags) == 1 and tags[0] == f"dev-hello-lambda-{commit}-{config_digest[:12]}"
    pushed = registry_digest(registry, tags[0])
    assert code_digest(aws) == pushed and live_version(aws) == "1"
    manifest = aws(
        "ecr", "batch-get-image", "--repository-name", "hello-lambda", "--image-ids", f"imageDigest={pushed}"
    )["images"][0]["imageManifest"]
    assert json.loads(manifest)["config"]["digest"] == f"sha256:{config_digest}"


@pytest.mark.slow
def test_failed_push_busy_function_and_wrong_architecture_each_leave_live_unchanged(
    project, deploy, aws, busy_proxy, podman_env, tmp_path
):
    endpoint = f"http://127.0.0.1:{busy_proxy.server_address[1]}"
    succeeded(deploy(endpoint=endpoint))
    before = code_digest(aws)

    def unchanged():
        assert live_version(aws) == "1" and code_digest(aws) == before and published_versions(aws) == ["1"]

    commit_version(project, "2")
    dead_registry = f"http://127.0.0.1:{free_port()}"
    failed_at(
        deploy(endpoint=endpoint, env={"DEPLOY_REGISTRY": dead_registry}),
        "push",
        "could not log podman in|pushing to .* failed",
    )
    unchanged()

    busy_proxy.busy = True
    failed_at(
        deploy(endpoint=endpoint, env={"DEPLOY_WAIT_SECONDS": "3"}),
        "wait until the function is idle",
        "still busy .*InProgress.* after 3 s",
    )
    busy_proxy.busy = False
    unchanged()

    context = tmp_path / "arm-image"
    context.mkdir()
    (context / "Dockerfile").write_text("FROM scratch\nCOPY arm.txt /var/task/arm.txt\n")
    (context / "arm.txt").write_text("arm64")
    # --no-cache: podman 4.3 otherwise reuses a cached layer of another platform for FROM scratch.
    built = run(
        ["podman", "build", "--no-cache", "--platform", "linux/arm64", "-t", "arm:1", str(context)],
        context,
        env=podman_env,
    )
    assert built.returncode == 0, built.stderr
    commit_version(project, "3")
    failed_at(
        deploy("--image", "arm:1", endpoint=endpoint),
        "check the image's architecture",
        "built for linux/arm64, but the function runs on x86_64",
    )
    assert not any(git(project, "rev-parse", "--short=12", "HEAD") in (tag or "") for tag in ecr_tags(aws))
    unchanged()


@pytest.mark.slow
def test_a_given_role_that_does_not_exist_stops_before_the_build(project, deploy, aws):
    result = deploy("--role-arn", "arn:aws:iam::123456789012:role/missing")
    failed_at(result, "execution role", "role arn:aws:iam::123456789012:role/missing does not exist")
    assert "build-image:" not in result.stdout
    assert aws("lambda", "list-functions")["Functions"] == []


@pytest.mark.slow
def test_a_role_that_cannot_be_created_stops_before_the_build(project, deploy, start_moto):
    # A local AWS API without the managed policy: the least-privilege role cannot be completed.
    endpoint = start_moto(managed_policies=False)
    result = deploy(endpoint=endpoint)
    failed_at(result, "execution role", "could not attach AWSLambdaBasicExecutionRole")
    assert "build-image:" not in result.stdout
    listed = subprocess.run(
        [find_tool("aws"), "lambda", "list-functions", "--output", "json"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "t",
            "AWS_SECRET_ACCESS_KEY": "t",
            "AWS_DEFAULT_REGION": "us-east-1",
        },
    )
    assert json.loads(listed.stdout)["Functions"] == []


@pytest.mark.slow
def test_an_inactive_function_whose_last_update_failed_gets_the_new_image(project, deploy, aws, busy_proxy, registry):
    endpoint = f"http://127.0.0.1:{busy_proxy.server_address[1]}"
    succeeded(deploy(endpoint=endpoint))
    commit_version(project, "2 fixed")
    busy_proxy.until_update = {
        "State": "Inactive",
        "StateReason": "idle for weeks",
        "LastUpdateStatus": "Failed",
        "LastUpdateStatusReason": "bad image",
    }
    result = succeeded(deploy(endpoint=endpoint, env={"DEPLOY_WAIT_SECONDS": "5"}))
    assert "State Inactive" in result.stdout and "bad image" in result.stdout
    assert busy_proxy.until_update == {}  # the code update went through
    fixed = registry_digest(registry, commit_tag(aws, project))
    assert code_digest(aws) == fixed and live_version(aws) == "2"


def build_tiny(context, tag, text, podman_env):
    """An image FROM scratch holding TEXT, built by podman as a CI job would build it."""
    context.mkdir(exist_ok=True)
    (context / "Dockerfile").write_text("FROM scratch\nCOPY built.txt /var/task/built.txt\n")
    (context / "built.txt").write_text(text)
    built = run(["podman", "build", "--platform", "linux/amd64", "-t", tag, str(context)], context, env=podman_env)
    assert built.returncode == 0, built.stderr


@pytest.mark.slow
def test_two_functions_of_one_git_repository_sharing_one_ecr_repository_each_get_their_own_image(
    tmp_path, deploy, aws, registry
):
    monorepo = tmp_path / "monorepo"
    projects = {}
    for name in ("orders", "billing"):
        path = bake(monorepo, project_name=name, ecr_repository="shared")
        (path / "Dockerfile").write_text(TINY_DOCKERFILE)
        (path / "version.txt").write_text(f"the {name} function")
        projects[name] = path
    git(monorepo, "init", "-q")
    git(monorepo, "add", "-A")
    git(monorepo, "commit", "-qm", "two functions")

    for path in projects.values():
        succeeded(deploy(cwd=path))
    digests = {
        name: registry_digest(registry, commit_tag(aws, path, name, "shared"), "shared")
        for name, path in projects.items()
    }
    assert digests["orders"] != digests["billing"]
    for name in projects:
        config = aws("lambda", "get-function-configuration", "--function-name", name, "--qualifier", "live")
        assert "sha256:" + config["CodeSha256"] == digests[name]


@pytest.mark.slow
def test_a_rebuilt_image_of_an_already_deployed_commit_deploys(project, deploy, aws, registry, podman_env, tmp_path):
    build_tiny(tmp_path / "ci-1", "ci:1", "built at 10:00", podman_env)
    succeeded(deploy("--image", "ci:1"))
    # The same commit built again: BuildKit stamps build times, so the image differs.
    build_tiny(tmp_path / "ci-2", "ci:2", "built at 10:05", podman_env)
    succeeded(deploy("--image", "ci:2"))
    commit = git(project, "rev-parse", "--short=12", "HEAD")
    tags = sorted(ecr_tags(aws))
    assert len(tags) == 2 and all(tag.startswith(f"hello-lambda-{commit}-") for tag in tags)
    assert live_version(aws) == "2"
    assert code_digest(aws, "live") in {registry_digest(registry, tag) for tag in tags} - {code_digest(aws, "1")}
