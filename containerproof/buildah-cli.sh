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
  exec buildah "${global[@]}" build --pull=never "$@"
fi
exec buildah "${global[@]}" "$@"
