#!/usr/bin/env bash
# Memory soak: runs the demo (broker in its own JVM; Flink MiniCluster TaskManager, generator and
# alert view in the demo's JVM) for DURATION seconds at RATE readings/s and prints the demo JVM's
# resident set size every 30 s, split with Native Memory Tracking into the Java heap (committed),
# everything else the JVM itself tracks (metaspace, threads, code cache, GC, direct buffers, ...),
# and the rest of the RSS, which the JVM does not track: native libraries' own allocations, ONNX
# Runtime's above all. Usage: bench/tools/soak-rss.sh [DURATION=600] [RATE=2000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
duration=${1:-600}
rate=${2:-2000}
log=work/soak/demo.log
mkdir -p work/soak
VAEGUARD_JAVA_OPTS="${VAEGUARD_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary" \
  bin/vaeguard demo --duration "$duration" --rate "$rate" --web-port 18099 --dir work/soak > "$log" 2>&1 &
launcher=$!
pid=""
for ((i = 0; i < 300; i++)); do # the first run may build the CLI first
  sleep 1
  pid=$(pgrep -f "VaeguardCli demo" | head -1 || true)
  [ -z "$pid" ] || break
done
[ -n "$pid" ] || { echo "the demo did not start; see $log" >&2; exit 1; }
echo "# demo JVM pid $pid; its log: $log; KiB"
echo "seconds rss_kib heap_committed_kib jvm_other_committed_kib untracked_kib"
# NMT's summary: "Total: reserved=...KB, committed=...KB" and "- Java Heap (reserved=...KB, committed=...KB)"
committed() { sed -n "s/.*$1.*committed=\([0-9]*\)KB.*/\1/p" | head -1; }
for ((t = 0; t <= duration; t += 30)); do
  rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)
  [ -n "$rss" ] || break
  nmt=$(jcmd "$pid" VM.native_memory summary 2>/dev/null || true)
  total=$(committed "Total:" <<< "$nmt")
  heap=$(committed "Java Heap" <<< "$nmt")
  if [ -n "$total" ] && [ -n "$heap" ]; then
    echo "$t $rss $heap $((total - heap)) $((rss - total))"
  else
    echo "$t $rss - - -"
  fi
  sleep 30
done
wait "$launcher"
grep "demo summary" "$log" || true
