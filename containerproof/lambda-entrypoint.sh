#!/bin/sh
# Stand-in for /lambda-entrypoint.sh of the AWS Lambda base images (containerproof, never deployed).
# The contract the generated Dockerfiles rely on: exactly one argument, the handler, exported as
# _HANDLER; the RIE wraps the runtime's bootstrap when no Runtime API is given (a local run).
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"

RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie "$RUNTIME_ENTRYPOINT"
else
  exec "$RUNTIME_ENTRYPOINT"
fi
