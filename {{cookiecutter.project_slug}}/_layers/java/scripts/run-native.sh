{%- set entry = cookiecutter._runtimes[cookiecutter.runtime] -%}
#!/bin/sh
# Native emulator mode: run the packaged function with the Java runtime interface client, laid out
# as in the image (the function's jar, then the dependency jars, in a fixed order). The RIE starts this
# script; it passes the handler. The JVM: LAMBDA_JAVA, else $JAVA_HOME/bin/java, else java on PATH.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
java="${LAMBDA_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
# Lambda's Java runtimes and the custom image stop tiered compilation at level 1; a JAVA_TOOL_OPTIONS
# already in the environment, even an empty one, wins.
lambda_jvm_options="-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS-$lambda_jvm_options}"
# The archive `make native-build TRAIN=yes` trained, as the image does, where there is one; an exported
# LAMBDA_JAVA_ARCHIVE, even an empty one (no archive), wins.
trained="$root/target/{{ "function.aot" if entry.version | int >= 25 else "function.jsa" }}"
[ -f "$trained" ] || trained=""
export JAVA_ARCHIVE="${LAMBDA_JAVA_ARCHIVE-$trained}"
# A class path fixed at build time: an archive is used only with the class path it was made with.
classpath="$root/target/function.jar"
for jar in "$root"/target/lib/*.jar; do
  classpath="$classpath:$jar"
done
archive="$root/scripts/java-archive.sh"
[ -n "$JAVA_ARCHIVE" ] || archive=""
# The runtime interface client loads a JNI library: allowed up front, or Java 24+ warns at every start.
exec ${archive:+"$archive"} "$java" --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "${1:?usage: run-native.sh HANDLER}"
