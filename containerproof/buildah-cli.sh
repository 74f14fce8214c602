#!/usr/bin/env bash
# buildah on the container proof's own store, as a CONTAINER_CLI for the generated scripts/build-image.sh.
# Chroot isolation works without a container engine; the store uses overlay (CONTAINERPROOF_STORAGE_DRIVER;
# vfs works too but copies the whole root filesystem at every step, 50x slower). `build` never pulls (none can
# be pulled here: the stand-ins under the real names are already in the store) and, like `docker build`,
# keeps every step as a cached layer unless BUILDAH_LAYERS=false.
set -euo pipefail
store="${CONTAINERPROOF_STORE:?set CONTAINERPROOF_STORE to the stand-in store directory}"
export BUILDAH_ISOLATION=chroot
export BUILDAH_LAYERS="${BUILDAH_LAYERS:-true}"
driver="${CONTAINERPROOF_STORAGE_DRIVER:-overlay}"
global=(--root "$store/storage-$driver" --runroot "$store/run-$driver" --storage-driver "$driver")
if [ "${1:-}" = build ]; then
  shift
  # Docker sets BUILDPLATFORM to the build machine's platform, so `FROM --platform=$BUILDPLATFORM` stages
  # run natively and cross-compile; buildah 1.28 (Debian 12) sets it to the target's. For a build for
  # another platform, pass the machine's own, as Docker and newer buildah do.
  native="linux/$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')"
  platform=""
  previous=""
  for arg in "$@"; do
    case "$previous/$arg" in --platform/*) platform="$arg" ;; */--platform=*) platform="${arg#--platform=}" ;; esac
    previous="$arg"
  done
  extra=()
  if [ -n "$platform" ] && [ "$platform" != "$native" ]; then extra=(--build-arg "BUILDPLATFORM=$native"); fi
  exec buildah "${global[@]}" build --pull=never "${extra[@]}" "$@"
fi
exec buildah "${global[@]}" "$@"
