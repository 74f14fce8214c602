#!/bin/sh
# Bare-runtime baseline for Go: the handler's own test binary (built once, outside the timing) starting and
# calling the handler through its table test; a Lambda binary itself cannot start without the Runtime API.
set -eu
[ -x .bench-handler.test ] || CGO_ENABLED=0 go test -c -o .bench-handler.test . >/dev/null
exec ./.bench-handler.test -test.run 'TestHandlerAnswersEachSampleEventAsExpected' -test.count=1
