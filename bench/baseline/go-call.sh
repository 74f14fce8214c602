#!/bin/sh
# Bare-runtime baseline for Go: a test binary (built once, outside the timing) starting and calling the
# handler once, with call_test.go as the only test it runs.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x .bench-call.test ]; then
  trap 'rm -f zz_bench_call_test.go' EXIT
  cp "$here/call_test.go" zz_bench_call_test.go
  CGO_ENABLED=0 go test -c -o .bench-call.test . >/dev/null
  rm zz_bench_call_test.go
fi
exec ./.bench-call.test -test.run '^TestBaselineCall$' -test.count=1
