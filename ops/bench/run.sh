#!/usr/bin/env bash
# The service benchmark: uploads over HTTP through the whole pipeline to the stored prediction,
# with the in-process pipeline benchmark as the baseline for the HTTP cost.
# Usage: ops/bench/run.sh [--json]     (builds the release binary into .build-release first)
# Figures: uploads_per_s (target >= 2000), latency_p50_ms / latency_p99_ms at half that rate
# (target p99 <= 50 ms), http_over_in_process_ratio (HTTP uploads/s over in-process pipelines/s).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --scratch-path .build-release --product sluice >&2
sluice=.build-release/release/sluice
baseline="$("$sluice" bench pipeline --json | tee /dev/stderr | grep '"pipelines_per_s"' \
    | sed -E 's/.*"value":([0-9.e+-]+).*/\1/')"
echo "in-process baseline: $baseline pipelines/s" >&2
"$sluice" bench http --baseline-pipelines-per-s "$baseline" "$@"
