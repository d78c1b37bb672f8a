#!/usr/bin/env bash
# Runs two Mastodon clients written elsewhere, Mastodon.py (Debian's
# python3-mastodon) and masto (npm), through a scripted scenario against
# `tusk serve`. Installs them when missing; any failed check fails the script.
# See interop/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every step is bounded: installs, the server's start, each scenario.
install_timeout=${INTEROP_INSTALL_TIMEOUT:-300}
scenario_timeout=${INTEROP_SCENARIO_TIMEOUT:-90}
build_timeout=${INTEROP_BUILD_TIMEOUT:-600}
python=/usr/bin/python3 # Debian's package installs for the system interpreter

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "interop: need root (or sudo) to run: $*" >&2; return 1
  fi
}

echo "== interop: clients"
if ! "$python" -c 'import mastodon' 2>/dev/null; then
  echo "installing python3-mastodon"
  as_root timeout "$install_timeout" apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive timeout "$install_timeout" apt-get install -y -q python3-mastodon
fi
"$python" -c 'import importlib.metadata as m; print("Mastodon.py", m.version("Mastodon.py"))'

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "interop: the masto scenario needs Node.js 20 or later with npm (found: ${node_major/#0/none})" >&2; exit 1
fi
masto_dir=interop/masto
want=$(node -p 'require("./'$masto_dir'/package-lock.json").packages["node_modules/masto"].version')
have=$(node -p 'try { require("./'$masto_dir'/node_modules/masto/package.json").version } catch { "" }')
if [ "$have" != "$want" ]; then
  echo "installing masto $want (npm ci)"
  (cd "$masto_dir" && timeout "$install_timeout" npm ci --no-audit --no-fund --loglevel=error)
fi
echo "masto $want, node $(node --version)"

work=$(mktemp -d)
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do # up to 5 s, then no more asking
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
scenario_pid=
trap 'stop_server; rm -rf "$work"' EXIT
# A scenario runs in the background so that a signal ends it (and the server)
# at once: timeout passes the TERM on to the client.
trap '[ -z "$scenario_pid" ] || kill "$scenario_pid" 2>/dev/null; exit 130' INT TERM

echo "== interop: build tusk"
timeout "$build_timeout" go build -o "$work/tusk" ./cmd/tusk

# start_server runs a fresh `tusk serve` (so each client starts from an empty
# server) and exports its URL and the tokens of alice, bob and carol.
start_server() {
  # Port 0: the kernel picks a free loopback port; the server prints its URL.
  # --config-dir keeps tusk away from the user's saved accounts.
  "$work/tusk" serve --addr 127.0.0.1:0 --users alice,bob,carol --show-credentials \
    --config-dir "$work/config" >"$work/serve.log" 2>&1 &
  server_pid=$!
  local url=
  for _ in $(seq 1 100); do # up to 10 s
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "interop: tusk serve exited early:" >&2; redacted_log >&2; return 1
    fi
    if grep -q 'Press Ctrl-C' "$work/serve.log"; then
      url=$(sed -n 's/^mastodontest is serving \(http[^ ]*\) .*/\1/p' "$work/serve.log")
      break
    fi
    sleep 0.1
  done
  [ -n "$url" ] || { echo "interop: tusk serve did not start within 10s" >&2; redacted_log >&2; return 1; }
  export INTEROP_URL=$url
  local who tok
  for who in alice bob carol; do
    tok=$(sed -n "s/^  @$who .*TUSK_ACCESS_TOKEN=\([^ ]*\).*/\1/p" "$work/serve.log")
    [ -n "$tok" ] || { echo "interop: no access token for $who in tusk serve's output" >&2; return 1; }
    export "INTEROP_${who^^}_TOKEN=$tok"
  done
  echo "tusk serve at $url"
}

# The log holds throwaway credentials; they are masked all the same.
redacted_log() { sed -e 's/TUSK_ACCESS_TOKEN=[^ ]*/TUSK_ACCESS_TOKEN=…/' -e 's/password: [^ ]*/password: …/' "$work/serve.log"; }

status=0
run() { # run NAME COMMAND...: one scenario against its own server
  local name=$1; shift
  echo "== interop: $name scenario"
  start_server || { status=1; return; }
  timeout "$scenario_timeout" "$@" &
  scenario_pid=$!
  if ! wait "$scenario_pid"; then
    status=1
    echo "interop: $name scenario FAILED; tusk serve's log:" >&2
    redacted_log >&2
  fi
  scenario_pid=
  stop_server
}
run Mastodon.py "$python" -u interop/mastodonpy/scenario.py
run masto node "$masto_dir/scenario.mjs"

[ "$status" = 0 ] || { echo "interop: FAILED" >&2; exit 1; }
echo "interop: both clients passed"
