#!/bin/sh
# Bare-runtime baseline for Java: a JVM starting and calling the handler once (Call.class is compiled once,
# outside the timing), with no emulator and no runtime interface client, and otherwise as the function
# starts: the JVM options of the project's scripts/run-native.sh and an AOT cache trained on the same call,
# each switched off the way the benchmark switches it off for the function (JAVA_TOOL_OPTIONS or
# LAMBDA_JAVA_ARCHIVE exported empty).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classes=".bench-call"
# The function's class path, jars only and spelled out: a JVM archive takes no directory and no wildcard.
classpath="$classes/call.jar:target/function.jar"
for jar in target/lib/*.jar; do
  classpath="$classpath:$jar"
done
[ -f "$classes/call.jar" ] || { mkdir -p "$classes"; "${JAVA_HOME:+$JAVA_HOME/bin/}javac" -d "$classes" \
  -cp "$classpath" "$here/Call.java" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf "$classes/call.jar" \
  -C "$classes" Call.class; }
options="$(sed -n 's/^lambda_jvm_options="\(.*\)"$/\1/p' scripts/run-native.sh)"
[ -n "$options" ] || { echo "java-call.sh: no lambda_jvm_options in scripts/run-native.sh" >&2; exit 1; }
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS-$options}"
if [ "${LAMBDA_JAVA_ARCHIVE-trained}" = "" ]; then
  exec "$java" -cp "$classpath" Call "$1"
fi
# The archive the function's image makes: an AOT cache from Java 25 on, an AppCDS archive before (the
# Java version is read once, outside the timing).
[ -f "$classes/java-version" ] || "$java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p' >"$classes/java-version"
# One archive per set of JVM options, trained once by the same call, outside the timing.
cache="$classes/call-$(printf '%s' "$JAVA_TOOL_OPTIONS" | cksum | cut -d ' ' -f 1)"
if [ "$(cat "$classes/java-version")" -ge 25 ]; then
  train="-XX:AOTCacheOutput=$cache.aot" use="-XX:AOTCache=$cache.aot"
else
  train="-XX:ArchiveClassesAtExit=$cache.jsa" use="-XX:SharedArchiveFile=$cache.jsa"
fi
[ -f "$cache.done" ] || { "$java" "$train" -cp "$classpath" Call "$1" >/dev/null 2>&1 && touch "$cache.done"; }
exec "$java" "$use" -cp "$classpath" Call "$1"
