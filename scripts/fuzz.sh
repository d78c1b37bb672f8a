#!/usr/bin/env bash
# Runs every fuzz target of the module briefly (FUZZTIME each, default 2s),
# seeded from testdata/fuzz. Longer runs: FUZZTIME=5m ./scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-2s}
status=0
for pkg in $(go list ./...); do
  targets=$(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
  for t in $targets; do
    echo "-- $pkg $t"
    if ! go test -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz.$$ 2>&1; then
      cat /tmp/fuzz.$$; status=1
    fi
  done
done
rm -f /tmp/fuzz.$$
exit $status
