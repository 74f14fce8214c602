#!/bin/sh
# Check that a tool runs and is new enough, before make uses it; say in one line what to do when not.
# Usage: scripts/check-toolchain.sh --for WHO --tool NAME [--min V | --series V] [--prefer V]
#                                   [--after LABEL] --fix WHAT_TO_DO -- COMMAND [ARG...]
#   --min V     versions older than V fail          --series V  only V or V.x passes
#   --prefer V  another version passes, with a note --after L   the version follows L in the output
# The tool is run (a name on PATH can be a shim that runs nothing); its output's first version counts.
# POSIX sh on purpose: it runs before every test and build, also where python3 is missing.
set -u

# An empty or odd version is a project file the caller could not read (e.g. go.mod without its go line).
version_given() {
  case "${2-}" in
    '' | *[!0-9.]*) echo "check-toolchain: $1 needs a version such as 24 or 3.4, got '${2-}'" >&2; exit 2 ;;
  esac
}

who='' tool='' min='' series='' prefer='' after='' fix=''
while [ $# -gt 0 ]; do
  case "$1" in
    --for) who="$2"; shift 2 ;;
    --tool) tool="$2"; shift 2 ;;
    --min) version_given "$@"; min="$2"; shift 2 ;;
    --series) version_given "$@"; series="$2"; shift 2 ;;
    --prefer) version_given "$@"; prefer="$2"; shift 2 ;;
    --after) after="$2"; shift 2 ;;
    --fix) fix="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "check-toolchain: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$who" ] || [ -z "$tool" ] || [ -z "$fix" ]; then
  echo "check-toolchain: --for, --tool and --fix are required" >&2
  exit 2
fi

need="$tool"
[ -n "$min" ] && need="$tool $min or newer"
[ -n "$series" ] && need="$tool $series.x"

fail() {
  echo "lambda-container: $who needs $need, found $1: $fix" >&2
  exit 1
}

# Succeeds when version $1 is at least $2, comparing dot-separated numbers (missing parts count as 0).
at_least() {
  a="$1." b="$2."
  while [ -n "$a$b" ]; do
    x="${a%%.*}" y="${b%%.*}"
    a="${a#*.}" b="${b#*.}"
    [ "${x:-0}" -gt "${y:-0}" ] && return 0
    [ "${x:-0}" -lt "${y:-0}" ] && return 1
  done
  return 0
}

# Succeeds when version $1 is $2 or $2.x.
in_series() {
  case "$1." in "$2".*) return 0 ;; *) return 1 ;; esac
}

[ $# -gt 0 ] || fail "none on PATH"
case "$1" in
  */*) where="$1" ;;
  *) where="$1 on PATH" ;;
esac
command -v "$1" >/dev/null 2>&1 || fail "none ($1 is not installed)"
if ! output="$("$@" 2>&1)"; then
  fail "$where, which does not run ($(printf '%s\n' "$output" | sed -n '/./{p;q;}'))"
fi
if [ -n "$after" ]; then
  output="$(printf '%s\n' "$output" | sed -n "s/.*$after//p")"
fi
version="$(printf '%s\n' "$output" | sed -n 's/^[^0-9]*\([0-9][0-9]*\(\.[0-9][0-9]*\)*\).*/\1/p' | sed -n 1p)"
[ -n "$version" ] || [ -z "$min$series$prefer" ] || fail "$where, which reports no version"

if [ -n "$min" ] && ! at_least "$version" "$min"; then fail "$tool $version ($where)"; fi
if [ -n "$series" ] && ! in_series "$version" "$series"; then fail "$tool $version ($where)"; fi
if [ -n "$prefer" ] && ! in_series "$version" "$prefer"; then
  echo "lambda-container: note: $who runs on $tool $prefer; $tool $version ($where) passes, but is not what Lambda runs"
fi
exit 0
