#!/usr/bin/env bash
# Container proof (tests/test_container_proof.py): buildah builds and runs the generated Dockerfiles on
# stand-in base images whose root filesystems come from debootstrap. Idempotent; Debian packages only.
set -euo pipefail
"$(dirname "$0")/../apt-install-missing.sh" buildah debootstrap
buildah --version
