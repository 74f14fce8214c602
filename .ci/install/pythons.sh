#!/usr/bin/env bash
# Python area (tests/test_python.py): the own CPython of each Python runtime the catalogue offers, so the
# generated projects' venvs, unit tests and native emulator mode run on the version the image runs.
# No prebuilt CPython for this OS is in the registries CI reaches; Debian's source packages carry the
# upstream CPython source of the versions its suites ship, checksummed by apt. Each version is built from
# that source into $PYTHONS_ROOT/X.Y, and pythonX.Y is linked into /usr/local/bin, where the tests find it.
# A version whose source no Debian suite serves is reported here: the tests then fail under
# REQUIRE_TOOLCHAINS=1, unless tests/test_python.py lists it in NOT_INSTALLABLE (its tests' IDs name the Python used).
# Idempotent: a version whose interpreter runs with the modules a venv and pip need is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."

root="${PYTHONS_ROOT:-/opt/python}"
versions="$(python3 -c 'import json
config = json.load(open("cookiecutter.json"))
offered = [config["_runtimes"][runtime] for runtime in config["runtime"]]
print(" ".join(sorted({entry["version"] for entry in offered if entry["language"] == "python"})))')"

usable() {  # the interpreter runs, with what `python -m venv` and pip need
  "$1" -c 'import ssl, sqlite3, zlib, bz2, lzma, ctypes, ensurepip, venv' >/dev/null 2>&1
}

# Source packages only, from a private apt configuration: the machine's own sources stay as they are.
apt_dir="${PYTHONS_APT_DIR:-/var/cache/lambda-container-pythons}"
apt_options=(
  -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Debug::NoLocking=1"
)
apt_ready=""
apt_sources() {
  [ -n "$apt_ready" ] && return
  mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  cat >"$apt_dir/sources/debian-src.sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  apt-get "${apt_options[@]}" -qq update
  apt_ready=1
}

"$(dirname "$0")/../apt-install-missing.sh" build-essential libssl-dev zlib1g-dev libffi-dev \
  libsqlite3-dev libbz2-dev liblzma-dev libreadline-dev libncurses-dev uuid-dev

found() {  # an interpreter of this version the tests use (tests/test_python.py python_for), if one runs
  local candidate
  for candidate in "$HOME"/.pyenv/versions/"$1".*/bin/python"$1" "/usr/local/bin/python$1"; do
    if [ -x "$candidate" ] && usable "$candidate"; then echo "$candidate"; return; fi
  done
  return 1
}

missing=()
for version in $versions; do
  if interpreter="$(found "$version")"; then
    echo "pythons.sh: $("$interpreter" --version) at $interpreter"
    continue
  fi
  started=$SECONDS
  apt_sources
  # Newest first: a mirror may list a version before its files arrive.
  listed="$(apt-cache "${apt_options[@]}" showsrc "python$version" 2>/dev/null || true)"
  candidates="$(awk -v want="python$version" '/^Package: /{p=$2} /^Version: /{if (p==want) print $2}' <<<"$listed" | sort -rV)"
  work="$(mktemp -d)"
  fetched=""
  for candidate in $candidates; do
    if (cd "$work" && apt-get "${apt_options[@]}" -qq source --download-only "python$version=$candidate" >/dev/null 2>&1); then
      fetched="$candidate"
      break
    fi
  done
  if [ -z "$fetched" ]; then
    rm -rf "$work"
    echo "pythons.sh: no Debian suite's source package of CPython $version could be fetched (${candidates:-none listed})" >&2
    missing+=("$version")
    continue
  fi
  (
    cd "$work"
    tar -xJf python"$version"_*.orig.tar.xz
    cd Python-"$version".*/
    echo "pythons.sh: building CPython $(basename "$PWD" | sed 's/^Python-//') (Debian source $fetched) into $root/$version"
    ./configure -q --prefix="$root/$version" --with-ensurepip=install >"$work/configure.log"
    make -s -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -n 40 "$work/make.log" >&2; exit 1; }
    make -s altinstall >"$work/install.log" 2>&1 || { tail -n 40 "$work/install.log" >&2; exit 1; }
  )
  rm -rf "$work"
  ln -sf "$root/$version/bin/python$version" "/usr/local/bin/python$version"
  usable "/usr/local/bin/python$version" || { echo "pythons.sh: the built Python $version lacks a module" >&2; exit 1; }
  echo "pythons.sh: $("/usr/local/bin/python$version" --version) built in $((SECONDS - started)) s"
done
[ "${#missing[@]}" -eq 0 ] || echo "pythons.sh: not installed: Python ${missing[*]}"
