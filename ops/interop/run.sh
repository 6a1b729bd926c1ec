#!/usr/bin/env bash
# Interop tests: official Google clients against a real `sluice serve`.
# Usage: ops/interop/run.sh [path/to/sluice]   (creates ops/interop/.venv on first use)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sluice="${1:-$here/../../.build/debug/sluice}"
venv="$here/.venv"
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"
data="$(mktemp -d)"
"$sluice" serve --db "$data/sluice.db" --port 0 --stack example > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 200); do
    if grep -q "listening on" "$data/serve.log"; then break; fi
    sleep 0.05
done
url="$(grep -o 'http://[0-9.]*:[0-9]*' "$data/serve.log" | head -1)"
if [ -z "$url" ]; then cat "$data/serve.log"; echo "sluice serve did not start" >&2; exit 1; fi
"$sluice" topics create interop-topic --db "$data/sluice.db" 2>/dev/null || true
STORAGE_EMULATOR_HOST="$url" SLUICE_URL="$url" "$venv/bin/pytest" -q "$here"
