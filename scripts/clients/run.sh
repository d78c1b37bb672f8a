#!/usr/bin/env bash
# Runs two Mastodon clients written elsewhere against `tusk serve` through
# the same scripted scenario (accounts, media, polls, paginated timelines,
# notifications, streaming, search, lists, filters): masto from the npm
# registry (scenario.mjs) and Mastodon.py from Debian's python3-mastodon
# (scenario.py). It installs what is missing (apt-get needs root) and exits
# non-zero when either client fails.
#
#   bash scripts/clients/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# Debian's python3 (the Debian package installs for it, not for another
# python3 that may come first on PATH).
py=/usr/bin/python3
if ! "$py" -c 'import mastodon' 2>/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		echo "clients: python3-mastodon is not installed and installing it needs root" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-mastodon >/dev/null
fi

# masto, at the version package.json pins, in a scratch folder.
cp "$here/package.json" "$here/scenario.mjs" "$work/"
(cd "$work" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)

(cd "$root" && go build -o "$work/tusk" ./cmd/tusk)

alice_token=alice-scenario-token
bob_token=bob-scenario-token
HOME="$work" "$work/tusk" serve --addr 127.0.0.1:0 --users admin,alice,bob \
	--token "alice=$alice_token" --token "bob=$bob_token" >"$work/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 100); do
	url=$(sed -n 's/^mastodontest is serving \([^ ]*\) .*/\1/p' "$work/serve.log")
	if [ -n "$url" ] && curl -fsS "$url/health" >/dev/null 2>&1; then
		break
	fi
	if ! kill -0 "$server_pid" 2>/dev/null; then
		cat "$work/serve.log" >&2
		exit 1
	fi
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "clients: tusk serve did not start" >&2
	exit 1
fi

status=0
export TUSK_URL="$url" ALICE_TOKEN="$alice_token" BOB_TOKEN="$bob_token"
echo "== Mastodon.py $("$py" -c 'import importlib.metadata as m; print(m.version("Mastodon.py"))') against $url"
"$py" "$here/scenario.py" || status=1
echo "== masto $(cd "$work" && node -p 'require("./node_modules/masto/package.json").version') against $url"
(cd "$work" && node scenario.mjs) || status=1
exit $status
