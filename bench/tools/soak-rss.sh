#!/usr/bin/env bash
# Memory soak: runs the demo (broker in its own JVM; Flink MiniCluster TaskManager, generator and
# alert view in the demo's JVM) for DURATION seconds at RATE readings/s and prints the demo JVM's
# resident set size every 30 s. Usage: bench/tools/soak-rss.sh [DURATION=600] [RATE=2000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
duration=${1:-600}
rate=${2:-2000}
log=work/soak/demo.log
mkdir -p work/soak
bin/vaeguard demo --duration "$duration" --rate "$rate" --web-port 18099 --dir work/soak > "$log" 2>&1 &
launcher=$!
sleep 5
pid=$(pgrep -f "VaeguardCli demo" | head -1)
echo "seconds rss_kib (demo JVM pid $pid; its log: $log)"
for ((t = 0; t <= duration; t += 30)); do
  rss=$(ps -o rss= -p "$pid" 2>/dev/null || true)
  [ -n "$rss" ] || break
  echo "$t $rss"
  sleep 30
done
wait "$launcher"
grep "demo summary" "$log" || true
