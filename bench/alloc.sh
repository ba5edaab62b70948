#!/usr/bin/env bash
# bench/alloc.sh DIR ROLES [loadgen args]: bytes the JVM allocated per request (jvm_gc_memory_allocated_bytes_total
# over tollgate_requests_total) at 2,000 req/s for 15 s after 5 s of warm-up, single JVM on the mock.
# EXTRA="-XX:StartFlightRecording=filename=/tmp/a.jfr,settings=profile" adds a JFR recording; then
#   jfr print --events jdk.ObjectAllocationSample --stack-depth 12 /tmp/a.jfr > /tmp/a.txt && python3 bench/jfr-alloc.py /tmp/a.txt
set -euo pipefail
cd "$1"; ROLES=$2; shift 2
KEY=${BENCH_KEY:-tg-bench-0123456789abcdef0123456789abcdef}
D=$(mktemp -d)
TOLLGATE_HTTP_PORT=28080 TOLLGATE_MGMT_PORT=29090 TOLLGATE_ADMIN_PORT=28181 TOLLGATE_DATA_DIR=$D \
  java -Xms512m -Xmx512m ${EXTRA:-} -jar launcher/target/tollgate.jar --config bench/bench-config.yaml --roles "$ROLES" > /tmp/alloc-node.log 2>&1 &
P=$!
trap "kill $P 2>/dev/null; wait $P 2>/dev/null" EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:29090/health/ready >/dev/null && break; sleep 0.2; done
java -Xmx256m -jar bench/target/tollgate-bench.jar --url http://127.0.0.1:28080/v1/chat/completions --key "$KEY" \
  --rate 2000 --duration 10 --warmup 5 "$@" >/dev/null 2>&1
a0=$(curl -s http://127.0.0.1:29090/metrics | grep '^jvm_gc_memory_allocated_bytes_total' | awk '{print $2}')
r0=$(curl -s http://127.0.0.1:29090/metrics | grep '^tollgate_requests_total' | awk '{s+=$2} END {print s}')
java -Xmx256m -jar bench/target/tollgate-bench.jar --url http://127.0.0.1:28080/v1/chat/completions --key "$KEY" \
  --rate 2000 --duration 15 --warmup 0 "$@" 2>&1 | grep -E "model=" | sed 's/.*model=/model=/'
a1=$(curl -s http://127.0.0.1:29090/metrics | grep '^jvm_gc_memory_allocated_bytes_total' | awk '{print $2}')
r1=$(curl -s http://127.0.0.1:29090/metrics | grep '^tollgate_requests_total' | awk '{s+=$2} END {print s}')
echo "a0=$a0 a1=$a1 r0=$r0 r1=$r1"; python3 -c "print('bytes/request', ($a1-$a0)/($r1-$r0), 'requests', $r1-$r0)"
