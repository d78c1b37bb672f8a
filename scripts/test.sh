#!/usr/bin/env bash
# The project's test command: formatting, vet, the race-enabled test suite,
# and a short run of every fuzz target. Needs only Go; modules come from the proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race"
go test -race -count=1 ./...

echo "== bench module (vet and tests; the benchmarks themselves are not run)"
(cd bench && go vet ./... && go test -count=1 ./...)

if [ -x scripts/fuzz.sh ]; then
  echo "== fuzz (short)"
  ./scripts/fuzz.sh
fi
