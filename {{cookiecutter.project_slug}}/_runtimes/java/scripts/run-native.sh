#!/bin/sh
# Native emulator mode: run the packaged function with the Java runtime interface client, laid out
# as in the image (classes, then dependency jars). The RIE starts this script; it passes the handler.
# The JVM: LAMBDA_JAVA, else $JAVA_HOME/bin/java, else java on PATH.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
java="${LAMBDA_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
# Lambda's Java runtimes and the custom image stop tiered compilation at level 1; a JAVA_TOOL_OPTIONS
# already in the environment, even an empty one, wins.
lambda_jvm_options="-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS-$lambda_jvm_options}"
# The runtime interface client loads a JNI library: allowed up front, or Java 24+ warns at every start.
exec "$java" --enable-native-access=ALL-UNNAMED -cp "$root/target/classes:$root/target/lib/*" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "${1:?usage: run-native.sh HANDLER}"
