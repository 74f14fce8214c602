"""deploy-policy.json: the least-privilege IAM policy of whoever runs scripts/deploy.sh.

Every `aws SERVICE COMMAND` that deploy.sh runs (directly, through its `lookup` helper or an argument array;
never the commands it only prints) is mapped to its IAM actions by the explicit table below, and so is each
container-CLI subcommand. The generated policy must allow each of them and list nothing else, for an http
project (the function URL) and for the other triggers. A new call in deploy.sh that the table does not know
fails the test, so it cannot be forgotten in the policy.
"""

import json
import re

import pytest

from helpers import REPO, bake

DEPLOY_SH = REPO / "{{cookiecutter.project_slug}}" / "scripts" / "deploy.sh"

# AWS CLI command -> the IAM actions it needs. Lambda, creating or updating a function from an ECR image,
# adds its pull permissions to the repository's policy when they are missing, with the caller's
# ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy; create-function passes the execution role.
ACTIONS = {
    ("sts", "get-caller-identity"): {"sts:GetCallerIdentity"},
    ("ecr", "describe-repositories"): {"ecr:DescribeRepositories"},
    ("ecr", "create-repository"): {"ecr:CreateRepository"},
    ("ecr", "put-lifecycle-policy"): {"ecr:PutLifecyclePolicy"},
    ("ecr", "list-images"): {"ecr:ListImages"},
    ("ecr", "batch-get-image"): {"ecr:BatchGetImage"},
    ("ecr", "get-login-password"): {"ecr:GetAuthorizationToken"},
    ("ecr", "describe-images"): {"ecr:DescribeImages"},
    ("ecr", "put-image"): {"ecr:PutImage"},
    ("iam", "get-role"): {"iam:GetRole"},
    ("iam", "create-role"): {"iam:CreateRole"},
    ("iam", "attach-role-policy"): {"iam:AttachRolePolicy"},
    ("lambda", "get-function-configuration"): {"lambda:GetFunctionConfiguration"},
    ("lambda", "create-function"): {
        "lambda:CreateFunction",
        "iam:PassRole",
        "ecr:GetRepositoryPolicy",
        "ecr:SetRepositoryPolicy",
    },
    ("lambda", "update-function-code"): {
        "lambda:UpdateFunctionCode",
        "ecr:GetRepositoryPolicy",
        "ecr:SetRepositoryPolicy",
    },
    ("lambda", "update-function-configuration"): {"lambda:UpdateFunctionConfiguration"},
    ("lambda", "list-versions-by-function"): {"lambda:ListVersionsByFunction"},
    ("lambda", "publish-version"): {"lambda:PublishVersion"},
    ("lambda", "get-alias"): {"lambda:GetAlias"},
    ("lambda", "create-alias"): {"lambda:CreateAlias"},
    ("lambda", "update-alias"): {"lambda:UpdateAlias"},
    ("lambda", "get-function-url-config"): {"lambda:GetFunctionUrlConfig"},
    ("lambda", "create-function-url-config"): {"lambda:CreateFunctionUrlConfig"},
    ("lambda", "update-function-url-config"): {"lambda:UpdateFunctionUrlConfig"},
    ("lambda", "get-policy"): {"lambda:GetPolicy"},
    ("lambda", "add-permission"): {"lambda:AddPermission"},
    ("lambda", "remove-permission"): {"lambda:RemovePermission"},
}
# Container CLI subcommand ("$cli" SUBCOMMAND) -> the ECR actions it needs (ECR's documented push permissions;
# the login token comes from `aws ecr get-login-password`). pull: only for --image REF from elsewhere.
CONTAINER_ACTIONS = {
    "push": {
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
        "ecr:BatchGetImage",
    },
    "login": set(),
    "tag": set(),
    "image": set(),
    "pull": set(),
}
# Step 9 of deploy.sh: the function URL for http, the printed attach commands otherwise.
TRIGGER_DISPATCH = re.compile(
    r'if \[ "\$trigger" = "http" \]; then\n\s*function_url\n\s*else\n\s*attach_commands\n\s*fi\n'
)
# A quoted word that is one expansion is kept whole: it is the command ("$cli") or the arguments ("$@", an array).
KEPT_QUOTE = re.compile(r'"(\$\w+|\$@|\$\{\w+\[@\]\})"')
HEREDOC = re.compile(r"<<-?'?(\w+)'?[^\n]*\n.*?\n\1\n", re.DOTALL)
FUNCTION_DEF = re.compile(r"^(\w+)\(\) \{\n(.*?)^\}\n", re.MULTILINE | re.DOTALL)
AWS_WORD = re.compile(r"(?<![\w/.:^$-])aws(?![\w-])")


def code_of(script):
    """The script as the shell runs it, minus what it only prints: continuation lines joined, heredoc bodies,
    comments and quoted text blanked, except the command substitutions inside double quotes ("$(aws ...)")."""
    text = HEREDOC.sub(lambda match: match.group(0).split("\n", 1)[0] + "\n", script.replace("\\\n", " "))
    out, stack, i = [], ["top"], 0
    while i < len(text):
        c, where = text[i], stack[-1]
        if where == "dq":
            if c == "\\":
                i += 2
                continue
            if c == '"':
                stack.pop()
                out.append('"')
            elif text.startswith("$(", i):
                stack.append("sub")
                out.append(" $(")
                i += 1
            i += 1
            continue
        kept = KEPT_QUOTE.match(text, i) if c == '"' else None
        if kept:
            out.append(kept.group(0))
            i = kept.end()
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n;"):
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        elif c == "'":
            out.append("''")
            i = text.index("'", i + 1) + 1
        elif c == "\\":
            out.append(text[i : i + 2])
            i += 2
        elif c == '"':
            stack.append("dq")
            out.append('"')
            i += 1
        else:
            if text.startswith("$(", i):
                stack.append("sub")
                out.append("$")
                i += 1
            elif c == "(":
                stack.append("paren")
            elif c == ")" and where in ("sub", "paren"):
                stack.pop()
            out.append(text[i])
            i += 1
    return "".join(out)


def calls_by_place(script):
    """{(service, command): {function or '' for top level}} and {container subcommand: {function}}."""
    code = code_of(script)
    spans = [(m.start(), m.end(), m.group(1)) for m in FUNCTION_DEF.finditer(code)]

    def place(position):
        return next((name for start, end, name in spans if start <= position < end), "")

    # (service, command) or a container CLI subcommand -> the shell functions (or top level) that run it.
    aws_calls: dict[tuple[str, ...], set[str]] = {}
    container_calls: dict[str, set[str]] = {}
    for match in AWS_WORD.finditer(code):
        if code[: match.start()].rstrip().endswith("command -v"):
            continue
        words = code[match.end() :].split(maxsplit=2)
        where = place(match.start())
        if words[0] == "--version":  # the CLI's own version: no API call
            continue
        if words[0] == '"$@"':
            assert where == "lookup", f'aws "$@" outside lookup (in {where or "top level"}): cannot tell its command'
            continue
        array = re.fullmatch(r'"\$\{(\w+)\[@\]\}"', words[0])
        if array:
            built = re.search(rf"\b{array.group(1)}=\(\s*(\S+)\s+(\S+)", code)
            assert built, f"cannot find what the array {array.group(1)} passed to aws holds"
            service, command = built.groups()
        else:
            service, command = words[0], words[1]
        assert re.fullmatch(r"[a-z0-9]+", service) and re.fullmatch(r"[a-z][a-z0-9-]*", command), (
            f"deploy.sh runs aws in a form this test cannot read: aws {' '.join(words[:2])}"
        )
        aws_calls.setdefault((service, command), set()).add(where)
    for match in re.finditer(r"(?<![\w])lookup\s+(\w+)\s+(\w+)\s+(\S+)\s+(\S+)", code):
        aws_calls.setdefault((match.group(3), match.group(4)), set()).add(place(match.start()))
    # "$cli" in command position: at the start of a command (not an argument of [, command -v or echo).
    for match in re.finditer(r'(?:^|!|\||&&|;|then|do)[ \t]*"\$cli"\s+(\S+)', code, re.MULTILINE):
        container_calls.setdefault(match.group(1), set()).add(place(match.start()))
    return aws_calls, container_calls, {m.group(1): m.group(2) for m in FUNCTION_DEF.finditer(code)}


def reachable(roots, bodies):
    """The shell functions that the given ones call, directly or through others, including themselves."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [other for other in bodies if other != name and re.search(rf"(?<![\w-]){other}(?![\w-])", bodies[name])]
    return seen


def places_run(trigger, bodies, code):
    """Where deploy.sh runs commands for this trigger: top level ('') and the functions reached from it."""
    outside = FUNCTION_DEF.sub("", code)
    step9 = {"function_url", "attach_commands"}
    called = {name for name in bodies if re.search(rf"(?<![\w-]){name}(?![\w-])", outside)}
    always = reachable(called - step9, bodies)
    chosen = reachable({"function_url" if trigger == "http" else "attach_commands"}, bodies)
    return {""} | always | chosen


def required_actions(trigger):
    script = DEPLOY_SH.read_text(encoding="utf-8")
    assert TRIGGER_DISPATCH.search(script), "deploy.sh's step 9 no longer reads as this test expects: update it"
    aws_calls, container_calls, bodies = calls_by_place(script)
    assert {"function_url", "attach_commands", "lookup"} <= set(bodies)
    run_here = places_run(trigger, bodies, code_of(script))
    unknown = sorted(f"aws {s} {c}" for s, c in aws_calls if (s, c) not in ACTIONS)
    unknown += sorted(f"$cli {sub}" for sub in container_calls if sub not in CONTAINER_ACTIONS)
    assert not unknown, f"deploy.sh runs commands this test cannot map to IAM actions: {unknown}"
    needed: dict[str, str] = {}  # IAM action -> the call that needs it
    for call, places in aws_calls.items():
        if places & run_here:
            for action in ACTIONS[call]:
                needed.setdefault(action, f"aws {' '.join(call)}")
    for sub, places in container_calls.items():
        if places & run_here:
            for action in CONTAINER_ACTIONS[sub]:
                needed.setdefault(action, f"$cli {sub}")
    return needed


def as_list(value):
    return [value] if isinstance(value, str) else value


def statements(policy):
    """The policy's statements, checked for the IAM policy shape on the way."""
    assert set(policy) == {"Version", "Statement"} and policy["Version"] == "2012-10-17"
    assert isinstance(policy["Statement"], list) and policy["Statement"]
    sids = [statement.get("Sid") for statement in policy["Statement"]]
    assert len(set(sids)) == len(sids), "Sids must be unique"
    for statement in policy["Statement"]:
        assert set(statement) <= {"Sid", "Effect", "Action", "Resource", "Condition"}, statement
        assert statement["Effect"] == "Allow"
        for key in ("Action", "Resource"):
            values = as_list(statement[key])
            assert values and all(isinstance(value, str) and value for value in values), statement
        assert all(re.fullmatch(r"[a-z0-9]+:[A-Za-z]+", action) for action in as_list(statement["Action"]))
    return policy["Statement"]


# A 64-character function name: deploy.sh cuts it to 54 characters for the execution role's name.
LONG_NAME = "orders-" + "x" * 57
CASES = {
    "http": {"trigger": "http", "function_name": LONG_NAME, "ecr_repository": "team/orders"},
    "sqs": {"trigger": "sqs", "aws_region": "eu-west-3"},
    "direct-cn": {"trigger": "direct", "aws_region": "cn-north-1", "ci": "none"},
}


@pytest.fixture(scope="module", params=sorted(CASES))
def project(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp(request.param), **CASES[request.param])


def test_the_policy_allows_every_call_deploy_sh_makes_and_nothing_else(project):
    _, path = project
    settings = json.loads((path / "lambda.json").read_text())
    policy = statements(json.loads((path / "deploy-policy.json").read_text()))
    listed = [action for statement in policy for action in as_list(statement["Action"])]
    assert len(listed) == len(set(listed)), "each action is listed once"
    needed = required_actions(settings["trigger"])
    missing = sorted(f"{action} (for {call})" for action, call in needed.items() if action not in listed)
    unused = sorted(set(listed) - set(needed))
    assert missing == [], f"deploy-policy.json does not allow: {missing}"
    assert unused == [], f"deploy-policy.json allows what deploy.sh never does: {unused}"


def test_the_parser_finds_every_form_of_call_and_skips_the_printed_ones():
    aws_calls, container_calls, bodies = calls_by_place(DEPLOY_SH.read_text(encoding="utf-8"))
    assert ("lambda", "publish-version") in aws_calls  # inside "$(...)"
    assert ("lambda", "create-function") in aws_calls  # through an argument array
    assert ("lambda", "get-alias") in aws_calls  # through lookup
    assert aws_calls[("lambda", "create-function-url-config")] == {"function_url"}
    assert aws_calls[("lambda", "add-permission")] == {"add_public_statement"}
    # Printed for the user to run: none of them is the deploy's.
    for printed in [("lambda", "invoke"), ("lambda", "create-event-source-mapping"), ("events", "put-rule")]:
        assert printed not in aws_calls
    assert ("configure", "export-credentials") not in aws_calls and ("sso", "login") not in aws_calls
    assert set(container_calls) == {"image", "pull", "login", "tag", "push"}


def test_the_function_url_actions_are_the_http_projects_only():
    url_writes = {"lambda:CreateFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig", "lambda:AddPermission"}
    assert url_writes <= set(required_actions("http"))
    for trigger in ("direct", "sqs", "s3", "schedule"):
        assert not url_writes & set(required_actions(trigger))


def test_the_policy_is_scoped_to_this_function_repository_and_execution_role(project):
    _, path = project
    settings = json.loads((path / "lambda.json").read_text())
    region, function, repository = settings["aws_region"], settings["function_name"], settings["ecr_repository"]
    partition = "aws-cn" if region.startswith("cn-") else "aws"
    role_name = re.search(r'role_name="\$\{function_name:0:(\d+)\}(-execution)"', DEPLOY_SH.read_text())
    assert role_name, "deploy.sh no longer names its execution role as this test expects"
    role = function[: int(role_name.group(1))] + role_name.group(2)
    function_arn = f"arn:{partition}:lambda:{region}:*:function:{function}"
    allowed = {
        f"arn:{partition}:ecr:{region}:*:repository/{repository}",
        function_arn,
        f"{function_arn}:*",
        f"{function_arn}:live",
        f"arn:{partition}:iam::*:role/{role}",
    }
    for statement in statements(json.loads((path / "deploy-policy.json").read_text())):
        resources = set(as_list(statement["Resource"]))
        actions = set(as_list(statement["Action"]))
        if resources == {"*"}:
            # No resource-level scope exists for these two.
            assert actions <= {"sts:GetCallerIdentity", "ecr:GetAuthorizationToken"}, statement
        else:
            assert resources <= allowed, statement
        if "iam:PassRole" in actions:
            assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
        if "iam:AttachRolePolicy" in actions:
            basic = f"arn:{partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
            assert statement["Condition"] == {"ArnEquals": {"iam:PolicyARN": basic}}
            assert actions == {"iam:AttachRolePolicy"}


def test_the_readme_points_at_the_policy_instead_of_listing_actions(project):
    name, path = project
    readme = (path / "README.md").read_text()
    if CASES[name].get("ci") == "none":
        return
    assert "deploy-policy.json" in readme
    assert "lambda:CreateFunctionUrlConfig" not in readme
