#!/usr/bin/env bash
# Benchmark: fixed-rate load against the mock provider with zero delay, single JVM and 2-node cluster.
# Loopback only; every process it starts is stopped at the end. Usage: bench/run.sh [rate] [seconds]
# SKIP_SINGLE=1 runs the 2-node part only.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2000}
DURATION=${2:-30}
WARMUP=${WARMUP:-15}
KEY=tg-bench-0123456789abcdef0123456789abcdef
LIMITED_KEY=tg-bench-limited-0123456789abcdef01234567
JAR=launcher/target/tollgate.jar
BENCH=bench/target/tollgate-bench.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || ./mvnw -q -B -DskipTests package
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
JVM_OPTS="-Xms512m -Xmx512m -Dhazelcast.wait.seconds.before.join=0"

node() { # name http mgmt roles [--cluster]
  local name=$1 http=$2 mgmt=$3 roles=$4; shift 4
  TOLLGATE_HTTP_PORT=$http TOLLGATE_MGMT_PORT=$mgmt TOLLGATE_ADMIN_PORT=18181 TOLLGATE_DATA_DIR=$(mktemp -d) \
    java $JVM_OPTS -jar "$JAR" --config bench/bench-config.yaml --roles "$roles" "$@" > "bench/target/$name.log" 2>&1 &
  PIDS+=($!)
}
await_ready() { for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/health/ready" > /dev/null && return 0; sleep 0.2; done; echo "node on $1 not ready" >&2; exit 1; }
load() { java -Xmx256m -jar "$BENCH" --url "http://127.0.0.1:$1/v1/chat/completions" --key "${BENCH_KEY:-$KEY}" \
  --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" "${@:2}" 2>&1 | grep -E "model=" ; }

echo "== single JVM (all roles)"
if [ "${SKIP_SINGLE:-0}" != 1 ]; then
node single 18080 19090 all
await_ready 19090
echo "-- key without limits (admission skips Redis)"
load 18080
load 18080 --stream
echo "-- key with rpm, tpm, quota and budget (one Redis round trip to admit, one to settle)"
BENCH_KEY=$LIMITED_KEY load 18080
cleanup; PIDS=()
fi

echo "== 2-node cluster: edge | admin+router+connector+billing+audit"
# Clustered nodes share PostgreSQL (admin, billing, audit) and Redis (edge): the embedded pair from DevServices.
TOLLGATE_DATA_DIR=$(mktemp -d) java -Xmx128m -cp "$JAR" io.tollgate.launcher.DevServices > bench/target/dev-services.log 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q "dev services up" bench/target/dev-services.log && break; sleep 0.2; done
export TOLLGATE_PG_URL=postgresql://postgres@127.0.0.1:55432/postgres TOLLGATE_REDIS_URL=redis://127.0.0.1:56379
export TOLLGATE_ADMIN_TOKEN=bench-admin-token
node backend 18081 19091 admin,router,connector,billing,audit --cluster
await_ready 19091
node edge 18080 19090 edge --cluster
await_ready 19090
load 18080
load 18080 --stream
