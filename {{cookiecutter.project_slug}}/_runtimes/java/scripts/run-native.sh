#!/bin/sh
# Native emulator mode: run the packaged function with the Java runtime interface client, laid out
# as in the image (classes, then dependency jars). The RIE starts this script; it passes the handler.
# The JVM: LAMBDA_JAVA, else $JAVA_HOME/bin/java, else java on PATH. emulator.json sets JAVA_TOOL_OPTIONS
# as Lambda does (tiered compilation stopped at level 1).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
java="${LAMBDA_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
exec "$java" -cp "$root/target/classes:$root/target/lib/*" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "${1:?usage: run-native.sh HANDLER}"
