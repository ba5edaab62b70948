#!/usr/bin/env bash
# About 1,000 concurrent streams against a single JVM with a 512 MB heap (every role, the mock with
# 10 s streams): 100 new streams a second for 40 s. In the middle it reads tollgate_inflight_streams,
# forces a full GC (jcmd GC.run) and reads the heap in use after it. Loopback only; stops everything.
# Usage: bench/streams.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=launcher/target/tollgate.jar
BENCH=bench/target/tollgate-bench.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || ./mvnw -q -B -DskipTests package
D=$(mktemp -d)
TOLLGATE_HTTP_PORT=28090 TOLLGATE_MGMT_PORT=29091 TOLLGATE_ADMIN_PORT=28191 TOLLGATE_DATA_DIR=$D TOLLGATE_ACCESS_LOG=off \
  java -Xms512m -Xmx512m -jar "$JAR" --config bench/streams-config.yaml > "$D/node.log" 2>&1 &
P=$!
trap 'kill $P 2>/dev/null; wait $P 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:29091/health/ready > /dev/null && break; sleep 0.2; done
java -Xmx512m -jar "$BENCH" --url http://127.0.0.1:28090/v1/chat/completions --key tg-bench-0123456789abcdef0123456789abcdef \
  --model slow --stream --rate 100 --duration 40 --warmup 0 --connections 1500 > "$D/load.log" 2>&1 &
L=$!
sleep 25
metric() { curl -sS --max-time 10 http://127.0.0.1:29091/metrics | grep -E "^$1" | awk '{s+=$NF} END {printf "%.0f", s}'; }
echo "open streams at 25 s: $(metric tollgate_inflight_streams)"
jcmd $P GC.run > /dev/null
heap=$(metric 'jvm_memory_used_bytes\{area="heap"')
echo "heap in use after a full GC: $(( heap / 1048576 )) MB of 512 ($heap bytes)"
wait $L
grep -E "model=" "$D/load.log" | sed 's/.*model=/model=/'
