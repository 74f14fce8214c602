#!/usr/bin/env bash
# Ruby area (tests/test_ruby.py): Debian's Ruby with rake, minitest and RuboCop run the generated
# projects' unit tests and lint; Bundler's library (a default gem of Debian's Ruby) reads their Gemfiles.
# No RubyGems server is reachable here, so gems come only as Debian packages.
set -euo pipefail

missing=()
for package in ruby rake ruby-minitest rubocop; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
ruby --version
rubocop --version
