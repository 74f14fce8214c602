#!/bin/sh
# Training run for the function's JVM archive: starts the Runtime API stand-in (TrainingRuntimeApi) with
# every sample event (events/*.json and events/*/*.json, not the expected answers), runs COMMAND (the
# function's own start command, through java-archive.sh) against it, and stops the function once every
# event has its answer, which makes the JVM write the archive as it exits.
# usage: train-archive.sh CLASSES EVENTS COMMAND...   (CLASSES: where TrainingRuntimeApi.class is)
# The stand-in's JVM: JAVA, else java on PATH.
set -eu
classes="$1"
events_dir="$2"
shift 2
events=""
for event in "$events_dir"/*.json "$events_dir"/*/*.json; do
  case "$event" in
    *.expected.json | *"*"*) ;;
    *) events="$events $event" ;;
  esac
done
if [ -z "$events" ]; then
  echo "train-archive: no events in $events_dir" >&2
  exit 1
fi
address_file="${TMPDIR:-/tmp}/train-archive.$$"
# The stand-in must neither write the archive nor pick up the function's JVM options.
# shellcheck disable=SC2086
JAVA_TOOL_OPTIONS="" JDK_JAVA_OPTIONS="" "${JAVA:-java}" -cp "$classes" TrainingRuntimeApi "$address_file" $events &
api=$!
until [ -s "$address_file" ]; do
  kill -0 "$api" 2>/dev/null || { echo "train-archive: the Runtime API stand-in did not start" >&2; exit 1; }
  sleep 0.1
done
address="$(cat "$address_file")"
rm -f "$address_file"
AWS_LAMBDA_RUNTIME_API="$address" JAVA_ARCHIVE_TRAINING=1 "$@" &
function=$!
while kill -0 "$api" 2>/dev/null; do
  if ! kill -0 "$function" 2>/dev/null; then
    echo "train-archive: the function stopped before answering every event" >&2
    kill "$api"
    exit 1
  fi
  sleep 0.1
done
wait "$api" || { echo "train-archive: the function failed to start" >&2; kill "$function"; exit 1; }
# The function's next request for an event fails or waits: either way it stops now (SIGTERM is a normal
# JVM exit), and the JVM writes the archive as it exits.
kill -TERM "$function" 2>/dev/null || true
wait "$function" || true
# The runtime interface client unpacks its JNI library into /tmp. In an image build that file would stay in
# the image, owned by the build's root, and the function's non-root user could not replace it at start:
# leave /tmp as Lambda gives it. (Elsewhere the next start unpacks it again; another user's copy stays.)
rm -f /tmp/.libaws-lambda-jni.so 2>/dev/null || true
