#!/usr/bin/env bash
# Go area (tests/test_go.py): a Go toolchain at least as new as the catalogue's Go version, and the
# modules the generated project pins, already in the module cache for the tests' offline steps.
# Idempotent. A missing or older Go comes from the Go module proxy, as the toolchain module that
# `go` itself downloads for GOTOOLCHAIN switching (Debian's golang-go is too old).
set -euo pipefail
cd "$(dirname "$0")/../.."

toolchain="${GO_TOOLCHAIN_VERSION:-1.26.8}"
install_root="${GO_INSTALL_ROOT:-/usr/local}"
catalogue() {  # catalogue _runtimes provided.al2023 version: one field of cookiecutter.json
  python3 -c 'import json, sys; print(json.load(open("cookiecutter.json"))[sys.argv[1]][sys.argv[2]][sys.argv[3]])' "$@"
}
want="$(catalogue _runtimes provided.al2023 version)"
# "module version": the runtime interface client the generated go.mod requires
client="$(sed -n 's/^require //p' '{{cookiecutter.project_slug}}/_layers/go/go.mod')"

new_enough() {
  local have
  have="$("$1" env GOVERSION 2>/dev/null | sed 's/^go//')" || return 1
  [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" = "$want" ]
}

go_bin="$(command -v go || true)"
if [ -n "$go_bin" ] && new_enough "$go_bin"; then
  echo "go.sh: $("$go_bin" version)"
else
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) echo "go.sh: unsupported machine" >&2; exit 1 ;; esac
  module="v0.0.1-go${toolchain}.linux-${arch}"
  proxy="${GOPROXY:-https://proxy.golang.org}"
  proxy="${proxy%%[,|]*}"
  goroot="$install_root/go-$toolchain"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "go.sh: installing Go $toolchain from $proxy into $goroot"
  curl -fsSL --retry 3 -o "$work/go.zip" "$proxy/golang.org/toolchain/@v/$module.zip"
  python3 - "$work/go.zip" "golang.org/toolchain@$module/" "$goroot" <<'PY'
import os, sys, zipfile
archive, prefix, target = sys.argv[1:]
with zipfile.ZipFile(archive) as zipped:
    for member in zipped.infolist():
        relative = member.filename[len(prefix):]
        if member.filename.startswith(prefix) and not member.is_dir():
            path = os.path.join(target, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with zipped.open(member) as source, open(path, "wb") as out:
                out.write(source.read())
            # Module zips carry no file modes: the tools are the executables.
            if relative.startswith(("bin/", "pkg/tool/")):
                os.chmod(path, 0o755)
PY
  mkdir -p "$install_root/bin"
  ln -sf "$goroot/bin/go" "$install_root/bin/go"
  ln -sf "$goroot/bin/gofmt" "$install_root/bin/gofmt"
  go_bin="$install_root/bin/go"
  new_enough "$go_bin" || { echo "go.sh: $go_bin is not Go >= $want" >&2; exit 1; }
  echo "go.sh: $("$go_bin" version)"
fi

# The generated project's modules (go.sum's whole graph), fetched once so the tests run offline.
prefetch="$(mktemp -d)"
trap 'rm -rf "$prefetch" "${work:-}"' EXIT
cp "{{cookiecutter.project_slug}}/_layers/go/go.sum" "$prefetch/"
printf 'module example.com/prefetch\n\ngo %s\n\nrequire %s\n' "$want" "$client" > "$prefetch/go.mod"
(cd "$prefetch" && "$go_bin" mod download && "$go_bin" mod verify)
