#!/usr/bin/env bash
# Container proof (tests/test_container_proof.py): buildah builds and runs the generated Dockerfiles on
# stand-in base images whose root filesystems come from debootstrap. Idempotent; Debian packages only.
set -euo pipefail
missing=()
for tool in buildah debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
    buildah debootstrap >/dev/null
fi
buildah --version
