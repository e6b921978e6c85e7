#!/usr/bin/env python3
"""Summarises `jfr print --events jdk.ExecutionSample --stack-depth 64 FILE` (read from stdin):
samples per thread, the top frames (self time) and the methods on most stacks (inclusive), for
threads whose name contains the optional filter (e.g. a Flink task name)."""
import collections
import re
import sys

flt = sys.argv[1] if len(sys.argv) > 1 else ""
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
threads = collections.Counter()
self_frames = collections.Counter()
inclusive = collections.Counter()
total = 0
thread = None
stack = None
for line in sys.stdin:
    line = line.rstrip()
    m = re.match(r'\s*sampledThread = "(.*)" \(', line)
    if m:
        thread = m.group(1)
        continue
    if line.strip().startswith("stackTrace = ["):
        stack = []
        continue
    if stack is not None:
        s = line.strip()
        if s == "]" or s == "...":
            if s == "]":
                threads[thread] += 1
                if flt in (thread or "") and stack:
                    total += 1
                    self_frames[stack[0]] += 1
                    for f in set(stack):
                        inclusive[f] += 1
                stack = None
            continue
        frame = re.sub(r"\s+line:.*$", "", s)
        frame = re.sub(r"\(.*\)$", "", frame)
        stack.append(frame)

print("samples per thread:")
for t, c in threads.most_common(8):
    print(f"  {c:7d}  {t}")
print(f"\n{total} samples in threads matching '{flt}'\n\ntop frames (self):")
for f, c in self_frames.most_common(top_n):
    print(f"  {100.0 * c / max(total, 1):5.1f}%  {f}")
print("\non most stacks (inclusive):")
for f, c in inclusive.most_common(top_n * 3):
    if f.startswith(("io.vaeguard", "org.apache.avro", "org.apache.kafka", "ai.onnxruntime", "org.apache.flink.connector",
                     "org.apache.flink.api", "org.apache.flink.streaming.runtime.io", "org.apache.flink.runtime.io.network.api.serialization")):
        print(f"  {100.0 * c / max(total, 1):5.1f}%  {f}")
