#!/bin/sh
# Bare-runtime baseline for Java: a JVM starting and calling the handler once (Call.class is compiled once,
# outside the timing), with no emulator and no runtime interface client.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
classes=".bench-call"
[ -f "$classes/Call.class" ] || { mkdir -p "$classes"; "${JAVA_HOME:+$JAVA_HOME/bin/}javac" -d "$classes" \
  -cp "target/classes:target/lib/*" "$here/Call.java"; }
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$classes:target/classes:target/lib/*" Call "$1"
