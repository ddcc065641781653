#!/usr/bin/env bash
# The web UI in real Chromium against a real server: the run view of a running N-node workflow,
# how long it takes to draw and how long its frames take while the canvas is zoomed and dragged
# (bench/web-bench.mjs says what is measured). Builds the jar and installs the browser if needed,
# starts `orchestra serve --port 0` on a temporary home, prints one JSON line per size, one for
# event-to-screen and the load average.
#   [RATE=100] [SECONDS_OF_EVENTS=20] bench/web-bench.sh [SIZES=500,2000]
# RATE=0 skips event-to-screen, an empty SIZES the graphs. Run it on a quiet machine: frame times
# grow with the load of other processes.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="${1-500,2000}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

bin/orchestra --version >/dev/null # builds the jar outside the timing
ORCHESTRA_BROWSER_MODULES="$(bin/install-browser --print-modules-dir)"
export ORCHESTRA_BROWSER_MODULES

mkdir -p "$work/home" "$work/dir"
(cd "$work/dir" && ORCHESTRA_HOME="$work/home" exec java -jar "$OLDPWD/cli/target/orchestra.jar" \
  serve --port 0 >"$work/serve.out" 2>"$work/serve.err") &
pid=$!
for _ in $(seq 1 120); do
  grep -q 'first token' "$work/serve.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.5
done
url="$(grep -o 'http://[^ ]*/' "$work/serve.out" | head -1)"
token="$(grep -o 'orc_[A-Za-z0-9_-]*' "$work/serve.out" | head -1)"
[[ -n $url && -n $token ]] || { echo "orchestra serve did not start:" >&2; cat "$work/serve."* >&2; exit 1; }

echo "== run view in Chromium ($(chromium --version 2>/dev/null | head -1)), sizes $sizes"
node bench/web-bench.mjs "$url" "$token" "$sizes" "${RATE:-100}" "${SECONDS_OF_EVENTS:-20}"
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc) CPUs"
