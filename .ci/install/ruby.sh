#!/usr/bin/env bash
# Ruby area (tests/test_ruby.py): Debian's Ruby with rake, minitest and RuboCop run the generated
# projects' unit tests and lint; Bundler's library (a default gem of Debian's Ruby) reads their Gemfiles.
# No RubyGems server is reachable here, so gems come only as Debian packages.
set -euo pipefail

"$(dirname "$0")/../apt-install-missing.sh" ruby rake ruby-minitest rubocop
ruby --version
rubocop --version
