#!/usr/bin/env bash
# Deploy area (tests/test_deploy.py): the real AWS CLI and a local AWS API (moto server) come with the
# test extras of pyproject.toml into the venv that `make test` runs. Here: a real OCI registry (Debian's
# docker-registry) and a container CLI that builds and pushes without a Docker engine (Debian's podman;
# its `run` does not work here, its build and push do). The tests start and stop the registry and moto
# themselves, on free ports.
set -euo pipefail
cd "$(dirname "$0")/../.."

.ci/apt-install-missing.sh docker-registry podman git

make --no-print-directory install
.venv/bin/aws --version
.venv/bin/moto_server --help >/dev/null
podman --version
docker-registry --version
