#!/usr/bin/env bash
# Build the function's image for its own architecture as one single-platform manifest Lambda accepts.
# Usage: scripts/build-image.sh IMAGE_TAG   (CONTAINER_CLI=docker|podman|finch to choose the engine)
set -euo pipefail
cd "$(dirname "$0")/.."

tag="${1:?usage: scripts/build-image.sh IMAGE_TAG}"
platform="{{ 'linux/arm64' if cookiecutter.architecture == 'arm64' else 'linux/amd64' }}"
cli="${CONTAINER_CLI:-}"
if [ -z "$cli" ]; then
  for candidate in docker podman finch; do
    if command -v "$candidate" >/dev/null 2>&1; then cli="$candidate"; break; fi
  done
fi
if [ -z "$cli" ]; then
  echo "build-image: no container CLI found: install docker, podman or finch, or set CONTAINER_CLI" >&2
  exit 1
fi

build=(build)
if [ "$(basename "$cli")" = "docker" ] && "$cli" buildx version >/dev/null 2>&1; then
  # BuildKit adds provenance and SBOM attestations by default, which turn the image into a multi-platform
  # index that Lambda rejects; and a docker-container builder keeps the image to itself unless --load.
  # The legacy builder, podman and finch (nerdctl) add no attestations and store the image locally.
  build=(buildx build --load --provenance=false --sbom=false)
fi

echo "build-image: $cli ${build[*]} --platform $platform -t $tag"
"$cli" "${build[@]}" --platform "$platform" -t "$tag" .
