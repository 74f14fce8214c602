{%- set entry = cookiecutter._runtimes[cookiecutter.runtime] -%}
{%- set aot = entry.version | int >= 25 -%}
#!/bin/sh
# Starts a java command line (JAVA OPTIONS... MAIN ARGS...) with the function's {{ "AOT cache" if aot else "CDS archive" }}, made at build
# time by a training run of this same command line (scripts/train-archive.sh sets JAVA_ARCHIVE_TRAINING).
# The AWS base image's bootstrap runs it as AWS_LAMBDA_EXEC_WRAPPER; the custom image as its entrypoint.
# The archive: JAVA_ARCHIVE, else {{ "function.aot" if aot else "function.jsa" }} beside this script.
# The runtime's own archive options give way to the function's, and -Xshare:on to the default (auto):
# a JVM that cannot use the archive (another build) warns and starts without it.
set -eu
java="$1"
shift
archive="${JAVA_ARCHIVE:-$(dirname "$0")/{{ "function.aot" if aot else "function.jsa" }}}"
for arg in "$@"; do
  shift
  case "$arg" in
    -Xshare:on | -XX:SharedArchiveFile=*) ;;
    *) set -- "$@" "$arg" ;;
  esac
done
if [ -n "${JAVA_ARCHIVE_TRAINING:-}" ]; then
{%- if aot %}
  # JDK 25 (JEP 514): one training run records what the function loads and links, then writes the cache.
  exec "$java" -XX:AOTCacheOutput="$archive" "$@"
{%- else %}
  # Java 21: a dynamic AppCDS archive of every class the run loaded, written when the JVM exits.
  exec "$java" -XX:ArchiveClassesAtExit="$archive" "$@"
{%- endif %}
fi
{%- if aot %}
exec "$java" -XX:AOTCache="$archive" "$@"
{%- else %}
exec "$java" -XX:SharedArchiveFile="$archive" "$@"
{%- endif %}
