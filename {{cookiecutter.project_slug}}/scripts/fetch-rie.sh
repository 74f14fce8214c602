#!/usr/bin/env bash
# Fetch the official AWS Lambda Runtime Interface Emulator (RIE) into ~/.aws-lambda-rie.
# Usage: scripts/fetch-rie.sh [x86_64|arm64]   (default: this machine's architecture)
# Tries the GitHub release first, then the copy AWS ships inside the aws-sam-cli wheel on PyPI.
set -euo pipefail

arch="${1:-$(uname -m)}"
case "$arch" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "fetch-rie: unsupported architecture '$arch': use x86_64 or arm64" >&2; exit 2 ;;
esac
dest_dir="${RIE_DIR:-$HOME/.aws-lambda-rie}"
dest="$dest_dir/aws-lambda-rie-$arch"
github="https://github.com/aws/aws-lambda-runtime-interface-emulator/releases/latest/download/aws-lambda-rie-$arch"
pypi_index="${PYPI_JSON_URL:-https://pypi.org/pypi/aws-sam-cli/json}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest_dir"

from_github() {
  curl -fsSL --connect-timeout 5 --max-time 120 -o "$work/rie" "$github"
}

from_pypi_wheel() {
  local wheel_url
  wheel_url="$(curl -fsSL --connect-timeout 10 --max-time 60 "$pypi_index" | python3 -c '
import json, sys, urllib.parse
urls = json.load(sys.stdin)["urls"]
wheel = next(u["url"] for u in urls if u["packagetype"] == "bdist_wheel")
print(urllib.parse.urljoin(sys.argv[1], wheel))' "$pypi_index")"
  curl -fsSL --connect-timeout 10 --max-time 300 -o "$work/sam.whl" "$wheel_url"
  python3 - "$work/sam.whl" "samcli/local/rapid/aws-lambda-rie-$arch" "$work/rie" <<'PY'
import sys, zipfile
wheel, member, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive, open(target, "wb") as out:
    out.write(archive.read(member))
PY
}

if from_github 2>/dev/null; then
  echo "fetch-rie: downloaded the GitHub release asset aws-lambda-rie-$arch"
elif from_pypi_wheel; then
  echo "fetch-rie: GitHub unreachable; extracted aws-lambda-rie-$arch from the aws-sam-cli wheel on PyPI"
else
  echo "fetch-rie: could not download the RIE from GitHub or PyPI; download aws-lambda-rie-$arch by hand into $dest_dir" >&2
  exit 1
fi

if [ "$(head -c 4 "$work/rie" | od -An -c | tr -d ' ')" != '177ELF' ]; then
  echo "fetch-rie: the download is not a Linux executable; nothing was installed" >&2
  exit 1
fi
chmod 755 "$work/rie"
mv "$work/rie" "$dest"
echo "fetch-rie: installed $dest"
if [ "$arch" = "$(uname -m | sed 's/aarch64/arm64/')" ]; then
  ln -sf "$dest" "$dest_dir/aws-lambda-rie"
else
  echo "fetch-rie: it runs on this $(uname -m) machine only through qemu-user (Debian, Ubuntu: apt-get install qemu-user-static binfmt-support)"
fi
