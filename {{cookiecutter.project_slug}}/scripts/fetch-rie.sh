#!/usr/bin/env bash
# Fetch the official AWS Lambda Runtime Interface Emulator (RIE), pinned and checked, into ~/.aws-lambda-rie
# (or RIE_DIR) as aws-lambda-rie-ARCH; this machine's one is also linked as aws-lambda-rie.
# Usage: scripts/fetch-rie.sh [x86_64|arm64 ...]
#   default: this machine's architecture and, when it differs, the function's (lambda.json "architecture").
# Each build comes from a pinned source listed in scripts/rie-sha256.txt (an aws-sam-cli wheel version on
# PyPI, or a GitHub release tag) and is installed only when its SHA-256 is the one listed there. Nothing is
# installed unless every architecture asked for downloads and matches.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
table="$here/rie-sha256.txt"
dest_dir="${RIE_DIR:-$HOME/.aws-lambda-rie}"
pypi_index="${PYPI_JSON_URL:-https://pypi.org/pypi/aws-sam-cli/json}"
github="${RIE_GITHUB_RELEASES:-https://github.com/aws/aws-lambda-runtime-interface-emulator/releases/download}"

normalize() {
  case "$1" in
    x86_64 | amd64) echo x86_64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) echo "fetch-rie: unsupported architecture '$1': use x86_64 or arm64" >&2; return 2 ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

host="$(normalize "$(uname -m)")"
if [ "$#" -gt 0 ]; then
  arches=()
  for arch in "$@"; do
    arch="$(normalize "$arch")" || exit 2
    arches+=("$arch")
  done
else
  arches=("$host")
  # The function's architecture, when this script sits in a generated project (its lambda.json is JSON).
  function_arch="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["architecture"])' \
    "$here/../lambda.json" 2>/dev/null)" || function_arch=""
  if [ -n "$function_arch" ] && [ "$(normalize "$function_arch")" != "$host" ]; then
    arches+=("$(normalize "$function_arch")")
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Print the URL and the published SHA-256 of the aws-sam-cli wheel of this version, from PyPI's JSON API
# (the version's own page, else the project page's release list).
wheel_of() {
  local version="$1" url
  for url in "${pypi_index%/json}/$version/json" "$pypi_index"; do
    curl -fsSL --connect-timeout 10 --max-time 60 "$url" 2>/dev/null | python3 -c '
import json, sys, urllib.parse
url, version = sys.argv[1:]
data = json.load(sys.stdin)
files = data["urls"] if data["info"]["version"] == version else data.get("releases", {}).get(version, [])
wheel = next(f for f in files if f["packagetype"] == "bdist_wheel")
print(urllib.parse.urljoin(url, wheel["url"]), wheel["digests"]["sha256"])' "$url" "$version" 2>/dev/null && return 0
  done
  return 1
}

# Download the wheel once per version, checked against PyPI's digest, and extract this architecture's RIE.
from_wheel() {
  local version="$1" arch="$2" target="$3" wheel="$work/aws-sam-cli-$1.whl" url digest
  if [ ! -f "$wheel" ]; then
    read -r url digest < <(wheel_of "$version") || return 1
    curl -fsSL --connect-timeout 10 --max-time 300 -o "$wheel.part" "$url" || return 1
    if [ "$(sha256 "$wheel.part")" != "$digest" ]; then
      echo "fetch-rie: the aws-sam-cli $version wheel downloaded is not the one PyPI publishes (sha256 $digest)" >&2
      return 1
    fi
    mv "$wheel.part" "$wheel"
  fi
  python3 - "$wheel" "samcli/local/rapid/aws-lambda-rie-$arch" "$target" <<'PY'
import sys, zipfile
wheel, member, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive, open(target, "wb") as out:
    out.write(archive.read(member))
PY
}

from_github() {
  curl -fsSL --connect-timeout 5 --max-time 120 -o "$3" "$github/$1/aws-lambda-rie-$2"
}

# Download and check one architecture's RIE into $work/aws-lambda-rie-ARCH.
fetch() {
  local arch="$1" target="$work/aws-lambda-rie-$1" source expected actual tried=""
  while read -r source entry_arch expected _ <&3; do
    case "$source" in '' | '#'*) continue ;; esac
    [ "$entry_arch" = "$arch" ] || continue
    tried="$tried $source"
    case "$source" in
      aws-sam-cli==*) from_wheel "${source#aws-sam-cli==}" "$arch" "$target" ;;
      github@*) from_github "${source#github@}" "$arch" "$target" ;;
      *) echo "fetch-rie: $table: unknown source '$source'" >&2; return 1 ;;
    esac || { echo "fetch-rie: $source did not answer for $arch; trying the next source" >&2; continue; }
    actual="$(sha256 "$target")"
    if [ "$actual" != "$expected" ]; then
      echo "fetch-rie: aws-lambda-rie-$arch from $source has SHA-256 $actual, not $expected as scripts/rie-sha256.txt lists: nothing was installed" >&2
      return 1
    fi
    echo "fetch-rie: aws-lambda-rie-$arch from $source, SHA-256 $actual as scripts/rie-sha256.txt lists"
    return 0
  done 3<"$table"
  if [ -z "$tried" ]; then
    echo "fetch-rie: scripts/rie-sha256.txt lists no build for $arch: nothing was installed" >&2
  else
    echo "fetch-rie: could not download aws-lambda-rie-$arch from:$tried; nothing was installed" >&2
  fi
  return 1
}

for arch in "${arches[@]}"; do fetch "$arch" || exit 1; done

mkdir -p "$dest_dir"
for arch in "${arches[@]}"; do
  chmod 755 "$work/aws-lambda-rie-$arch"
  mv "$work/aws-lambda-rie-$arch" "$dest_dir/aws-lambda-rie-$arch"
  echo "fetch-rie: installed $dest_dir/aws-lambda-rie-$arch"
  if [ "$arch" = "$host" ]; then
    ln -sf "aws-lambda-rie-$arch" "$dest_dir/aws-lambda-rie"
  else
    echo "fetch-rie: the $arch one runs on this $host machine only through qemu-user (Debian, Ubuntu: apt-get install qemu-user-static binfmt-support)"
  fi
done
