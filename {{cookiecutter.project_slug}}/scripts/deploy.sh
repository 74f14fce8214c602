#!/usr/bin/env bash
# Deploy the function to AWS Lambda as a container image, safely and repeatably:
# prerequisites, ECR repository, image (built here or given), push, digest read back, execution role,
# function code by digest, version, the `live` alias, and last what invokes it (lambda.json's trigger: a
# function URL for http, the command that attaches the event source otherwise). A failure at any step
# before the alias stops with the alias where it was. Settings come from lambda.json; the script is the
# same for every runtime and trigger.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/deploy.sh [OPTIONS]          (or: make deploy ARGS="OPTIONS")

Builds the image for the function's architecture, pushes it to ECR, points the function at the
pushed digest, publishes a version and moves the `live` alias to it. Run it again and again: with
nothing changed it publishes nothing; a failed run leaves `live` where it was.

Then, by the trigger in lambda.json: http gives `live` a function URL (created once, then kept) with
AuthType AWS_IAM, and prints it with a signed curl command; sqs, s3 and schedule print the AWS CLI commands
that attach a queue, a bucket or a schedule to `live`; direct prints an `aws lambda invoke` command.

Options:
  --image REF       deploy this already built and tested image (local, or pullable) instead of building
  --rollback        point `live` back at the version below the one it points at, then stop
                    (the function URL, if any, is left as it is)
  --public          http trigger only: make the function URL public (AuthType NONE, plus the resource-based
                    policy statements that let anyone call it through the URL). Without --public, a public
                    URL is switched back to AWS_IAM and those statements are removed.
  --role-arn ARN    execution role for a new function (default: reuse or create the role
                    FUNCTION-execution with AWSLambdaBasicExecutionRole only)
  --env KEY=VALUE   set an environment variable of the function (repeatable; the set replaces the old one)
  --keep-images N   lifecycle policy of a repository this script creates: keep the last N development
                    (dev-...) and N untagged images (default 10); images of commits are never expired
  --registry URL    push through this registry instead of the repository's ECR endpoint, e.g.
                    https://vpce-....dkr.ecr.REGION.vpce.amazonaws.com or http://127.0.0.1:5000
  --region REGION   AWS Region (default: aws_region in lambda.json)
  -h, --help        show this help

Environment: CONTAINER_CLI (docker, podman or finch; default: the first one found),
AWS_PROFILE and the other AWS CLI settings, DEPLOY_REGISTRY (same as --registry),
DEPLOY_WAIT_SECONDS (how long to wait for Lambda to finish an update; default 300).
EOF
}

fail_usage() {
  echo "deploy: $1" >&2
  echo >&2
  usage >&2
  exit 2
}

die() {
  echo "deploy: $*" >&2
  exit 1
}

# ---- function states (Lambda docs, "Lambda function states") ----------------------------------
# State is Pending, Active, Inactive or Failed; LastUpdateStatus is InProgress, Successful or Failed
# (absent, printed None, on a new function). Lambda refuses a change only while State is Pending or
# LastUpdateStatus is InProgress. An Inactive function (idle for weeks) is re-activated by an update;
# after a failed update the previous code still runs, and a new update is how it gets fixed.
function_state() {
  aws lambda get-function-configuration --function-name="$function_name" --query '[State,LastUpdateStatus]' >"$work/state"
  read -r fn_state fn_status <"$work/state"
}

state_reasons() {
  aws lambda get-function-configuration --function-name="$function_name" \
    --query '[StateReason,LastUpdateStatusReason]' --output json | tr -d '\n'
}

wait_while_busy() {
  local deadline=$((SECONDS + wait_seconds))
  while :; do
    function_state
    [ "$fn_state" = "Pending" ] || [ "$fn_status" = "InProgress" ] || return 0
    [ "$SECONDS" -lt "$deadline" ] ||
      die "function $function_name is still busy (State $fn_state, LastUpdateStatus $fn_status) after $wait_seconds s: another deploy or change may be running; try again when it has finished."
    sleep 2
  done
}

# Before a change: wait until Lambda accepts one. Inactive and Failed do not block it: they are reported.
wait_idle() {
  wait_while_busy
  if [ "$fn_state" = "Inactive" ]; then
    echo "    State Inactive (unused for a while): an update or an invoke re-activates it"
  fi
  if [ "$fn_state" = "Failed" ] || [ "$fn_status" = "Failed" ]; then
    echo "    State $fn_state, LastUpdateStatus $fn_status, reasons [StateReason, LastUpdateStatusReason]: $(state_reasons)"
    echo "    Lambda accepts a new update: this deploy applies its image again"
  fi
}

# After a change: wait until Lambda has applied it (Active, Successful); a failed change stops the deploy.
wait_applied() {
  local deadline=$((SECONDS + wait_seconds))
  while :; do
    wait_while_busy
    case "$fn_state/$fn_status" in
      Active/Successful | Active/None) return 0 ;;
      Failed/* | */Failed)
        echo "deploy: Lambda reports [StateReason, LastUpdateStatusReason]: $(state_reasons)" >&2
        die "Lambda could not apply the change to $function_name (State $fn_state, LastUpdateStatus $fn_status; reasons above)." ;;
    esac
    # Inactive: the change is re-activating it.
    [ "$SECONDS" -lt "$deadline" ] ||
      die "function $function_name is still $fn_state (LastUpdateStatus $fn_status) after $wait_seconds s."
    sleep 2
  done
}

# ECR lifecycle policy of a repository the script creates. Published versions and the live alias run
# images of commits (FUNCTION-COMMIT-...), possibly of several functions sharing the repository: no rule
# selects them. Only development images (dev-..., uncommitted changes) and untagged ones expire, by count.
lifecycle_policy() {
  cat <<EOF
{"rules": [
  {"rulePriority": 1, "description": "keep the last $1 development images (uncommitted changes)",
   "selection": {"tagStatus": "tagged", "tagPrefixList": ["dev-"], "countType": "imageCountMoreThan", "countNumber": $1},
   "action": {"type": "expire"}},
  {"rulePriority": 2, "description": "keep the last $1 untagged images",
   "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": $1},
   "action": {"type": "expire"}}]}
EOF
}

# Whether the log format and application log level Lambda reports (FORMAT LEVEL) differ from JSON at $log_level.
# "None" (a Lambda API that reports no logging settings at all, as some local stand-ins do) is not asked to
# change them on every deploy: AWS reports them for every function.
logging_differs() {
  [ "$1" != "None" ] && [ "$1 $2" != "JSON $log_level" ]
}

# Sourced, the script only defines its functions (so its state logic can be tested on its own).
if [ "${BASH_SOURCE[0]}" != "$0" ]; then return 0; fi
cd "$(dirname "$0")/.."

# ---- arguments -------------------------------------------------------------------------------
image_ref=""
rollback=0
public=0
role_arn=""
keep_images=10
registry="${DEPLOY_REGISTRY:-}"
region=""
env_pairs=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --rollback) rollback=1; shift; continue ;;
    --public) public=1; shift; continue ;;
    --image|--role-arn|--env|--keep-images|--registry|--region)
      [ "$#" -ge 2 ] && [ -n "$2" ] || fail_usage "$1 needs a value" ;;
    *) fail_usage "unknown argument: $1" ;;
  esac
  case "$1" in
    --image) image_ref="$2" ;;
    --role-arn) role_arn="$2" ;;
    --env) env_pairs+=("$2") ;;
    --keep-images) keep_images="$2" ;;
    --registry) registry="$2" ;;
    --region) region="$2" ;;
  esac
  shift 2
done

[[ "$keep_images" =~ ^[1-9][0-9]{0,3}$ ]] || fail_usage "--keep-images must be a whole number from 1 to 9999"
[ -z "$role_arn" ] || [[ "$role_arn" =~ ^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$ ]] ||
  fail_usage "--role-arn '$role_arn' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)"
for pair in ${env_pairs[@]+"${env_pairs[@]}"}; do
  [[ "$pair" =~ ^[A-Za-z][A-Za-z0-9_]*= ]] || fail_usage "--env '$pair' is not KEY=VALUE with a letter, digits and _ in KEY"
done
[ "$rollback" -eq 0 ] || [ -z "$image_ref" ] || fail_usage "--rollback and --image do not go together"
[ "$rollback" -eq 0 ] || [ "$public" -eq 0 ] || fail_usage "--rollback and --public do not go together"
registry_scheme="https"
case "$registry" in
  http://*) registry_scheme="http"; registry="${registry#http://}" ;;
  https://*) registry="${registry#https://}" ;;
esac
registry="${registry%/}"
[ -z "$registry" ] || [[ "$registry" =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
  fail_usage "--registry '$registry' is not a registry address like host or host:port (optionally with http:// or https://)"
wait_seconds="${DEPLOY_WAIT_SECONDS:-300}"
[[ "$wait_seconds" =~ ^[0-9]+$ ]] || fail_usage "DEPLOY_WAIT_SECONDS must be a whole number of seconds"
# Checked before any step, so a misplaced --public stops here, having changed nothing.
if [ "$public" -eq 1 ]; then
  trigger="$(python3 scripts/deploy-helper.py settings lambda.json trigger=direct 2>/dev/null || true)"
  if [ "$trigger" != "http" ]; then
    echo "deploy: --public makes an http function's URL public, but this project's trigger is '${trigger:-unreadable}' (lambda.json): nothing was changed." >&2
    exit 2
  fi
fi

# ---- steps: each one says what it does and how long it took; a failure names the step ----------
step_name=""
step_started=$SECONDS
deploy_started=$SECONDS
alias_moved=""
work="$(mktemp -d)"

step() {
  step_done
  step_name="$1"
  step_started=$SECONDS
  echo "==> $1"
}

step_done() {
  if [ -n "$step_name" ]; then echo "    ok ($((SECONDS - step_started)) s)"; fi
  step_name=""
}

finish() {
  local status=$?
  rm -rf "$work"
  if [ "$status" -ne 0 ] && [ -n "$step_name" ]; then
    if [ -n "$alias_moved" ]; then
      echo "deploy: FAILED at step '$step_name' after $((SECONDS - step_started)) s; live is at version $alias_moved: run the deploy again to finish this step." >&2
    else
      echo "deploy: FAILED at step '$step_name' after $((SECONDS - step_started)) s; the live alias was not moved." >&2
    fi
  fi
  exit "$status"
}
trap finish EXIT

# lookup VAR MISSING_ERROR AWS_ARGS...: VAR = the call's output (return 0), or "" when the AWS error
# MISSING_ERROR says the thing does not exist (return 1); any other error stops the deploy.
lookup() {
  local var="$1" missing="$2"
  shift 2
  if aws "$@" >"$work/out" 2>"$work/err"; then
    printf -v "$var" '%s' "$(cat "$work/out")"
    return 0
  fi
  printf -v "$var" '%s' ""
  if grep -q "$missing" "$work/err"; then return 1; fi
  cat "$work/err" >&2
  exit 1
}

helper() { python3 scripts/deploy-helper.py "$@"; }

# ---- what invokes the function (step 9) ----------------------------------------------------------
# The two statements a public function URL needs since October 2025: InvokeFunctionUrl for URLs whose
# AuthType is NONE, and InvokeFunction limited to calls through the URL (without that condition, "*"
# could invoke the function with any AWS account's credentials).
url_sid="FunctionURLAllowPublicAccess"
invoke_sid="FunctionURLAllowPublicInvoke"

# The live alias's policy statements, "SID public|other" per line, into $work/statements.
read_statements() {
  : >"$work/statements"
  if lookup policy ResourceNotFoundException lambda get-policy --function-name="$function_name" --qualifier live --query Policy; then
    helper statements <<<"$policy" >"$work/statements" || die "could not read the live alias's resource-based policy."
  fi
}

has_statement() { grep -q "^$1 " "$work/statements"; }

add_public_statement() {
  local sid="$1"
  shift
  has_statement "$sid" && return 0
  if ! aws lambda add-permission --function-name="$function_name" --qualifier live --statement-id "$sid" \
    --principal '*' "$@" >/dev/null 2>"$work/err"; then
    cat "$work/err" >&2
    if grep -q "invoked-via-function-url" "$work/err"; then
      die "this AWS CLI predates --invoked-via-function-url (October 2025): update it. The URL was not made public."
    fi
    die "could not add the statement $sid to the live alias's policy (message above)."
  fi
  echo "    policy: added $sid (principal \"*\", $2)"
}

function_url() {
  step "function URL of the live alias"
  local auth="" url=""
  # moto differs from AWS here: it ignores --qualifier for function URLs (one URL per function, reported
  # with the unqualified ARN) and a second create replaces the URL; AWS refuses it (ResourceConflictException).
  if lookup url_config ResourceNotFoundException lambda get-function-url-config --function-name="$function_name" \
    --qualifier live --query '[AuthType,FunctionUrl]'; then
    read -r auth url <<<"$url_config"
    echo "    exists (AuthType $auth): kept"
  else
    aws lambda create-function-url-config --function-name="$function_name" --qualifier live --auth-type AWS_IAM \
      --query '[AuthType,FunctionUrl]' >"$work/out"
    read -r auth url <"$work/out"
    echo "    created (AuthType $auth)"
  fi
  [[ "$url" =~ ^https://[A-Za-z0-9.-]+/?$ ]] || die "Lambda gave an unexpected function URL '$url'."

  read_statements
  if [ "$public" -eq 1 ]; then
    # Statements first, AuthType last: a failure on the way leaves a URL that still needs SigV4.
    # (moto appends a statement whose id already exists; AWS refuses it: has_statement avoids both.)
    add_public_statement "$invoke_sid" --action lambda:InvokeFunction --invoked-via-function-url
    add_public_statement "$url_sid" --action lambda:InvokeFunctionUrl --function-url-auth-type NONE
    if [ "$auth" != "NONE" ]; then
      aws lambda update-function-url-config --function-name="$function_name" --qualifier live --auth-type NONE >/dev/null
      auth="NONE"
      echo "    AuthType switched from AWS_IAM to NONE (--public)"
    fi
  else
    # AuthType first: the URL needs SigV4 again before the public statements go.
    if [ "$auth" = "NONE" ]; then
      aws lambda update-function-url-config --function-name="$function_name" --qualifier live --auth-type AWS_IAM >/dev/null
      auth="AWS_IAM"
      echo "    was public (AuthType NONE): switched back to AWS_IAM, as every deploy without --public does"
    fi
    local sid
    for sid in "$url_sid" "$invoke_sid"; do
      if has_statement "$sid"; then
        aws lambda remove-permission --function-name="$function_name" --qualifier live --statement-id "$sid" >/dev/null
        echo "    policy: removed the public statement $sid"
      fi
    done
    while read -r sid _; do
      if [ "$sid" != "$url_sid" ] && [ "$sid" != "$invoke_sid" ]; then
        echo "    note: the live alias's policy statement $sid (not made by this script) still allows principal \"*\": review it"
      fi
    done < <(grep ' public$' "$work/statements" || true)
  fi

  local call="${url%/}/hello"
  echo "    $url"
  if [ "$auth" = "NONE" ]; then
    echo "    Public: anyone can call it (a deploy without --public makes it AWS_IAM again):"
    echo "      curl \"$call?name=Ada\""
    echo "      curl -X POST -H 'content-type: application/json' -d '{\"name\": \"Ada\"}' \"$call\""
  else
    echo "    AuthType AWS_IAM: callers sign with SigV4 and need lambda:InvokeFunctionUrl and lambda:InvokeFunction"
    echo "    on $live_arn. With a profile or SSO, first export its keys (AWS CLI v2):"
    echo "      eval \"\$(aws configure export-credentials --format env)\""
    echo "      curl --aws-sigv4 \"aws:amz:$region:lambda\" --user \"\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY\" \\"
    echo "        \${AWS_SESSION_TOKEN:+-H \"x-amz-security-token: \$AWS_SESSION_TOKEN\"} \"$call?name=Ada\""
    echo "    or: awscurl --service lambda --region $region \"$call?name=Ada\""
  fi
}

attach_commands() {
  local role_name="${role_arn##*/}"
  [[ "$role_name" =~ ^[A-Za-z0-9+=,.@_-]+$ ]] || role_name="ROLE"
  case "$trigger" in
    direct) step "how to invoke it" ;;
    sqs) step "how to attach a queue" ;;
    s3) step "how to attach a bucket" ;;
    schedule) step "how to attach a schedule" ;;
  esac
  # A URL left by an earlier http deploy is not this trigger's: say so rather than keep it silently.
  if lookup url_config ResourceNotFoundException lambda get-function-url-config --function-name="$function_name" \
    --qualifier live --query AuthType; then
    echo "    note: live still has a function URL (AuthType $url_config) although the trigger is $trigger; remove it with"
    echo "      aws lambda delete-function-url-config --function-name=$function_name --qualifier live"
  fi
  case "$trigger" in
    direct)
      local binary_format=""
      # AWS CLI v2 reads --payload as base64 unless told otherwise; v1 has no such option.
      if aws --version 2>&1 | grep -q '^aws-cli/2'; then binary_format=" --cli-binary-format raw-in-base64-out"; fi
      echo "    Invoke live with a JSON event:"
      echo "      aws lambda invoke --function-name=$live_arn$binary_format \\"
      echo "        --payload '{\"name\": \"Ada\"}' answer.json" ;;
    sqs)
      echo "    With your queue's ARN for QUEUE_ARN (its visibility timeout at least $((timeout * 6)) s, six times the"
      echo "    function's timeout; a redrive policy to a dead-letter queue), let the role read it and map it to live:"
      echo "      aws iam attach-role-policy --role-name $role_name --policy-arn arn:$partition:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
      echo "      aws lambda create-event-source-mapping --function-name=$live_arn --event-source-arn QUEUE_ARN \\"
      echo "        --batch-size 10 --function-response-types ReportBatchItemFailures" ;;
    s3)
      echo "    With your bucket's name for BUCKET: let S3 invoke live, then send it the bucket's ObjectCreated events"
      echo "    (this replaces the bucket's whole notification configuration: merge it by hand if it has one):"
      echo "      aws lambda add-permission --function-name=$function_name --qualifier live --statement-id s3-BUCKET \\"
      echo "        --action lambda:InvokeFunction --principal s3.amazonaws.com --source-arn arn:$partition:s3:::BUCKET --source-account $account"
      echo "      aws s3api put-bucket-notification-configuration --bucket BUCKET --notification-configuration \\"
      echo "        '{\"LambdaFunctionConfigurations\": [{\"LambdaFunctionArn\": \"$live_arn\", \"Events\": [\"s3:ObjectCreated:*\"]}]}'" ;;
    schedule)
      local rule="${function_name:0:55}-schedule"  # rule names: 64 characters at most
      echo "    An EventBridge rule (here hourly), allowed to invoke live, with live as its target:"
      echo "      aws events put-rule --name $rule --schedule-expression 'rate(1 hour)'"
      echo "      aws lambda add-permission --function-name=$function_name --qualifier live --statement-id $rule \\"
      echo "        --action lambda:InvokeFunction --principal events.amazonaws.com --source-arn arn:$partition:events:$region:$account:rule/$rule"
      echo "      aws events put-targets --rule $rule --targets Id=live,Arn=$live_arn" ;;
  esac
  if [ "$trigger" != "direct" ] && [ -f template.yaml ]; then
    echo "    Or let AWS SAM create and attach it: template.yaml (sam build && sam deploy), instead of make deploy."
  fi
}

# Filled in by lookup.
live="" versions="" repository_uri="" ecr_manifest="" digest="" current="" url_config="" policy=""

# ---- 1. prerequisites -------------------------------------------------------------------------
step "check prerequisites"
command -v python3 >/dev/null 2>&1 || die "python3 is missing: install Python 3 (it reads lambda.json)."
command -v aws >/dev/null 2>&1 ||
  die "the AWS CLI is missing: install v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) or v1 (pip install awscli)."
cli=""
if [ "$rollback" -eq 0 ]; then
  cli="${CONTAINER_CLI:-}"
  if [ -z "$cli" ]; then
    for candidate in docker podman finch; do
      if command -v "$candidate" >/dev/null 2>&1; then cli="$candidate"; break; fi
    done
  fi
  [ -n "$cli" ] || die "no container CLI found: install docker, podman or finch, or name one in CONTAINER_CLI."
  command -v "$cli" >/dev/null 2>&1 || die "CONTAINER_CLI=$cli is not installed or not on PATH."
fi

mapfile -t settings < <(helper settings lambda.json function_name aws_region architecture memory_size timeout ecr_repository image_name trigger=direct log_level=INFO)
[ -n "${settings[8]:-}" ] || die "lambda.json could not be read (see the message above)."
function_name="${settings[0]}"
region="${region:-${settings[1]}}"
architecture="${settings[2]}"
memory_size="${settings[3]}"
timeout="${settings[4]}"
repository="${settings[5]}"
image_name="${settings[6]}"
trigger="${settings[7]}"
log_level="${settings[8]}"
[[ "$function_name" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "lambda.json: function_name '$function_name' is not a Lambda function name."
[[ "$log_level" =~ ^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)$ ]] ||
  die "lambda.json: log_level '$log_level' is not one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
# Lambda's JSON log format: the runtimes' own logging methods write one JSON object per line, Lambda drops
# application lines below log_level (judging a JSON line the function writes itself by its "level" key) and
# writes its own START and REPORT lines as JSON too.
logging_config="LogFormat=JSON,ApplicationLogLevel=$log_level,SystemLogLevel=INFO"
[[ "$region" =~ ^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$ ]] ||
  die "no valid AWS Region ('$region'): set aws_region in lambda.json or pass --region, e.g. --region eu-west-1."
case "$architecture" in
  x86_64) platform_arch="amd64" ;;
  arm64) platform_arch="arm64" ;;
  *) die "lambda.json: architecture '$architecture' must be x86_64 or arm64." ;;
esac
[[ "$memory_size" =~ ^[0-9]+$ ]] && [[ "$timeout" =~ ^[0-9]+$ ]] || die "lambda.json: memory_size and timeout must be whole numbers."
[[ "$repository" =~ ^[a-z0-9]+([._/-][a-z0-9]+)*$ ]] || die "lambda.json: ecr_repository '$repository' is not an ECR repository name."
[[ "$image_name" =~ ^[a-z0-9]+([._-][a-z0-9]+)*$ ]] || die "lambda.json: image_name '$image_name' is not an image name."
case "$trigger" in
  direct | http | sqs | s3 | schedule) ;;
  *) die "lambda.json: trigger '$trigger' must be direct, http, sqs, s3 or schedule." ;;
esac
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWS_DEFAULT_OUTPUT=text AWS_PAGER=""

if ! aws sts get-caller-identity --query '[Account,Arn]' >"$work/identity" 2>"$work/err"; then
  cat "$work/err" >&2
  die "no usable AWS credentials: run 'aws configure' or 'aws sso login', or set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)."
fi
read -r account caller_arn <"$work/identity"
partition="$(echo "$caller_arn" | cut -d: -f2)"
# Both end up in printed commands and ARNs: only their documented shapes pass.
[[ "$account" =~ ^[0-9]{12}$ ]] && [[ "$partition" =~ ^aws[a-z-]*$ ]] ||
  die "sts get-caller-identity gave an unexpected account '$account' or ARN '$caller_arn'."
echo "    function $function_name ($architecture) in $region, account $account, as $caller_arn${cli:+, container CLI $cli}"

# ---- rollback: only the alias moves -----------------------------------------------------------
if [ "$rollback" -eq 1 ]; then
  step "roll the live alias back"
  lookup live ResourceNotFoundException lambda get-alias --function-name="$function_name" --name live --query FunctionVersion ||
    die "function $function_name has no live alias: nothing to roll back."
  lookup versions ResourceNotFoundException lambda list-versions-by-function --function-name="$function_name" --query 'Versions[].Version' ||
    die "function $function_name does not exist."
  previous="$(echo "$versions" | tr '\t' '\n' | grep -E '^[0-9]+$' | awk -v live="$live" '$1 < live + 0' | sort -n | tail -n 1)"
  [ -n "$previous" ] || die "live points at version $live and there is no earlier version to roll back to."
  aws lambda update-alias --function-name="$function_name" --name live --function-version "$previous" >/dev/null
  step_done
  echo "deploy: live rolled back from version $live to version $previous ($((SECONDS - deploy_started)) s)."
  exit 0
fi

# ---- 2. ECR repository ------------------------------------------------------------------------
step "ECR repository $repository"
if lookup repository_uri RepositoryNotFoundException ecr describe-repositories --repository-names "$repository" --query 'repositories[0].repositoryUri'; then
  echo "    exists: its settings are left as they are"
else
  aws ecr create-repository --repository-name "$repository" --image-tag-mutability IMMUTABLE \
    --image-scanning-configuration scanOnPush=true --query repository.repositoryUri >"$work/out"
  repository_uri="$(cat "$work/out")"
  lifecycle_policy "$keep_images" >"$work/lifecycle.json"
  aws ecr put-lifecycle-policy --repository-name "$repository" --lifecycle-policy-text "file://$work/lifecycle.json" >/dev/null
  echo "    created: scan on push, immutable tags, keeps images of commits and the last $keep_images development images"
fi
push_host="${registry:-${repository_uri%%/*}}"

# ---- 3. execution role, for a new function only: checked before the (long) build -------------
if ! lookup current ResourceNotFoundException lambda get-function-configuration --function-name="$function_name" \
  --query '[CodeSha256,MemorySize,Timeout,Role,LoggingConfig.LogFormat,LoggingConfig.ApplicationLogLevel]'; then
  step "execution role"
  created_role=0
  if [ -n "$role_arn" ]; then
    given_role="$role_arn"
    lookup role_arn NoSuchEntity iam get-role --role-name "${given_role##*/}" --query Role.Arn ||
      die "role $given_role does not exist: create it, or leave --role-arn out to let this script create a least-privilege role."
  else
    role_name="${function_name:0:54}-execution"
    if lookup role_arn NoSuchEntity iam get-role --role-name "$role_name" --query Role.Arn; then
      echo "    reusing $role_arn"
    else
      cat >"$work/trust.json" <<'EOF'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
      aws iam create-role --role-name "$role_name" --assume-role-policy-document "file://$work/trust.json" \
        --description "Execution role of the Lambda function $function_name" --query Role.Arn >"$work/out" ||
        die "could not create the execution role $role_name: give an existing role with --role-arn, or deploy with permission to create roles (iam:CreateRole, iam:AttachRolePolicy)."
      role_arn="$(cat "$work/out")"
      created_role=1
      echo "    created $role_arn"
    fi
    # Idempotent: also repairs a role whose earlier creation stopped before this.
    aws iam attach-role-policy --role-name "$role_name" \
      --policy-arn "arn:$partition:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" ||
      die "could not attach AWSLambdaBasicExecutionRole to $role_name: give an existing role with --role-arn."
  fi
fi

# ---- 4. image: built here or given -----------------------------------------------------------
# Tags name the function, the commit and the image's own config digest: FUNCTION-COMMIT-CONFIG12 for a
# committed source, dev-FUNCTION-... for uncommitted changes or no git. So functions sharing a repository
# and a git repository never take each other's image, and a rebuild of a commit gets a tag of its own.
step "image"
if commit="$(git rev-parse --short=12 HEAD 2>/dev/null)"; then
  # Only this project's directory counts, so a change elsewhere in a monorepo does not make it dirty.
  if [ -n "$(git status --porcelain -- . 2>/dev/null)" ]; then tag_stem="dev-$function_name-$commit"; else tag_stem="$function_name-$commit"; fi
else
  echo "    not a git repository (or no commit yet): tagging as a development image"
  tag_stem="dev-$function_name-nogit"
fi
local_image=""
tag=""
if [ -n "$image_ref" ]; then
  if ! "$cli" image inspect "$image_ref" >/dev/null 2>&1; then
    echo "    $image_ref is not a local image: pulling it"
    "$cli" pull "$image_ref" || die "image $image_ref is neither local nor pullable."
  fi
  local_image="$image_ref"
  echo "    deploying the given image $image_ref"
else
  if [ "${tag_stem#dev-}" = "$tag_stem" ]; then
    # This function's image of this commit, if an earlier deploy pushed one.
    aws ecr list-images --repository-name "$repository" --query 'imageIds[].imageTag' >"$work/tags"
    tag="$(tr '\t' '\n' <"$work/tags" | grep -E "^$tag_stem-[0-9a-f]{12}\$" | head -n 1 || true)"
  fi
  if [ -n "$tag" ]; then
    echo "    $tag (this function, the committed source) is already in ECR: not building it again"
  else
    local_image="$image_name:$tag_stem"
    scripts/build-image.sh "$local_image"
  fi
fi

# ---- 5. architecture check and push -----------------------------------------------------------
if [ -n "$local_image" ]; then
  step "check the image's architecture"
  "$cli" image inspect "$local_image" >"$work/inspect.json"
  read -r image_arch image_config < <(helper image-info <"$work/inspect.json") || die "could not read the image's platform."
  [ "$image_arch" = "$platform_arch" ] ||
    die "image $local_image is built for linux/$image_arch, but the function runs on $architecture (linux/$platform_arch): rebuild it with --platform linux/$platform_arch."
  echo "    linux/$image_arch, config $image_config"
  tag="$tag_stem-${image_config:7:12}"

  step "push $push_host/$repository:$tag"
  if lookup ecr_manifest ImageNotFoundException ecr batch-get-image --repository-name "$repository" \
    --image-ids "imageTag=$tag" --query 'images[0].imageManifest' && [ -n "$ecr_manifest" ] && [ "$ecr_manifest" != "None" ]; then
    [ "$(helper config-digest <<<"$ecr_manifest")" = "$image_config" ] ||
      die "tag $tag already holds another image in ECR (its config digest differs from $image_config)."
    echo "    already in ECR under this tag: nothing to push"
  else
    aws ecr get-login-password | "$cli" login --username AWS --password-stdin "$push_host" >/dev/null ||
      die "could not log $cli in to $push_host."
    "$cli" tag "$local_image" "$push_host/$repository:$tag"
    "$cli" push "$push_host/$repository:$tag" || die "pushing to $push_host failed (see the message above)."
  fi
fi

# ---- 6. read the digest back from ECR ---------------------------------------------------------
step "read the pushed digest back from ECR"
if ! lookup digest ImageNotFoundException ecr describe-images --repository-name "$repository" \
  --image-ids "imageTag=$tag" --query 'imageDetails[0].imageDigest'; then
  [ -n "$registry" ] || die "ECR has no image tagged $tag after the push."
  # The push went to a registry that is not ECR itself (e.g. a local registry in front of a local
  # AWS API): record its manifest in ECR under the same tag and digest, as a push's last call does.
  read -r digest media_type < <(helper fetch-manifest "$registry_scheme://$push_host/v2/$repository/manifests/$tag" "$work/manifest.json") ||
    die "could not read the manifest of $tag back from $push_host."
  aws ecr put-image --repository-name "$repository" --image-tag "$tag" --image-manifest "file://$work/manifest.json" \
    --image-manifest-media-type "$media_type" --image-digest "$digest" >/dev/null
  echo "    recorded the manifest pushed to $push_host in ECR"
fi
image_uri="$repository_uri@$digest"
echo "    $image_uri"

# ---- 7. function: create it, or update its code by digest ------------------------------------
environment_json=""
if [ -n "${env_pairs[*]:-}" ]; then environment_json="$(helper environment "${env_pairs[@]}")"; fi
changed=0
if [ -n "$current" ]; then
  read -r current_sha current_memory current_timeout role_arn current_format current_level <<<"$current"
  step "wait until the function is idle"
  wait_idle
  if [ "sha256:$current_sha" != "$digest" ] || [ "$fn_state" = "Failed" ] || [ "$fn_status" = "Failed" ]; then
    step "update the function's code to $digest"
    aws lambda update-function-code --function-name="$function_name" --image-uri "$image_uri" \
      --architectures "$architecture" >/dev/null
    wait_applied
    changed=1
  fi
  env_same=1
  if [ -n "$environment_json" ]; then
    aws lambda get-function-configuration --function-name="$function_name" --query Environment.Variables --output json >"$work/env"
    helper same-environment "$work/env" "${env_pairs[@]}" || env_same=0
  fi
  if [ "$current_memory" != "$memory_size" ] || [ "$current_timeout" != "$timeout" ] || [ "$env_same" -eq 0 ] ||
    logging_differs "$current_format" "$current_level"; then
    step "update the function's configuration"
    aws lambda update-function-configuration --function-name="$function_name" --memory-size "$memory_size" \
      --timeout "$timeout" --logging-config "$logging_config" \
      ${environment_json:+--environment "$environment_json"} >/dev/null
    wait_applied
    changed=1
  fi
else
  step "create the function"
  create_args=(lambda create-function --function-name="$function_name" --package-type Image
    --code "ImageUri=$image_uri" --role "$role_arn" --architectures "$architecture"
    --memory-size "$memory_size" --timeout "$timeout" --logging-config "$logging_config" --query FunctionArn)
  if [ -n "$environment_json" ]; then create_args+=(--environment "$environment_json"); fi
  # A role created seconds ago is not yet assumable by Lambda (IAM is eventually consistent): retry.
  attempts=1
  until aws "${create_args[@]}" >"$work/out" 2>"$work/err"; do
    if [ "$created_role" -eq 1 ] && [ "$attempts" -lt 10 ] && grep -q "cannot be assumed" "$work/err"; then
      attempts=$((attempts + 1))
      sleep 3
      continue
    fi
    cat "$work/err" >&2
    die "Lambda refused to create $function_name (message above)."
  done
  echo "    created $(cat "$work/out")"
  wait_applied
  changed=1
fi

# ---- 8. version and live alias: the alias moves last, only when everything above worked ---------
has_live=0
if lookup live ResourceNotFoundException lambda get-alias --function-name="$function_name" --name live --query FunctionVersion; then
  has_live=1
fi
summary=""
if [ "$changed" -eq 0 ] && [ "$has_live" -eq 1 ]; then
  aws lambda get-function-configuration --function-name="$function_name" --qualifier "$live" --query CodeSha256 >"$work/out"
  if [ "sha256:$(cat "$work/out")" = "$digest" ]; then
    summary="nothing changed: live stays at version $live ($digest), no version published"
    alias_moved="$live"
  fi
fi

if [ -z "$summary" ]; then
  step "publish a version"
  version="$(aws lambda publish-version --function-name="$function_name" --code-sha256 "${digest#sha256:}" \
    --description "image $tag" --query Version)"
  echo "    version $version"

  step "move the live alias to version $version"
  if [ "$has_live" -eq 1 ]; then
    aws lambda update-alias --function-name="$function_name" --name live --function-version "$version" >/dev/null
  else
    aws lambda create-alias --function-name="$function_name" --name live --function-version "$version" >/dev/null
  fi
  alias_moved="$version"
  summary="live now at version $version ($image_uri)"
fi

# ---- 9. what invokes it: lambda.json's trigger --------------------------------------------------
live_arn="arn:$partition:lambda:$region:$account:function:$function_name:live"
if [ "$trigger" = "http" ]; then
  function_url
else
  attach_commands
fi
step_done
echo "deploy: $summary, in $((SECONDS - deploy_started)) s."
