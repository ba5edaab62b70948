#!/usr/bin/env bash
# What the usage ledger costs: the same fixed-rate load against a single JVM with and without the
# billing and audit roles, and the CPU time the gateway's JVM and its embedded PostgreSQL used
# during the measured window (from /proc, so other processes on a shared machine do not count).
# Usage: bench/ledger-cost.sh [rate] [seconds]; PROFILE=1 also records a JFR file per run.
# Loopback only; every process it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2000}
DURATION=${2:-20}
WARMUP=${WARMUP:-10}
KEY=tg-bench-0123456789abcdef0123456789abcdef
JAR=launcher/target/tollgate.jar
BENCH=bench/target/tollgate-bench.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || ./mvnw -q -B -DskipTests package
mkdir -p bench/target
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
TICKS=$(getconf CLK_TCK)

# CPU ticks (user + system) of the JVM, or of the embedded PostgreSQL it started (the postmaster runs
# detached, found by its data directory, with every backend below it; the time of exited children is
# in their parent's cutime/cstime).
cpu_ticks() { # jvm-pid | postgres data-dir
  local total=0 p all grew=1
  if [ "$1" = postgres ]; then all=" $(pgrep -f "postgres -D $2/" | tr '\n' ' ')"; else all=" $1 "; fi
  while [ $grew = 1 ]; do
    grew=0
    while read -r child parent; do
      if [[ "$all" == *" $parent "* && "$all" != *" $child "* ]]; then all="$all$child "; grew=1; fi
    done < <(ps -eo pid=,ppid=)
  done
  for p in $all; do
    [ -r "/proc/$p/stat" ] || continue
    # Fields after the command's closing parenthesis: utime, stime, cutime, cstime are the 12th to 15th.
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13 + $14 + $15}')))
  done
  echo "$total"
}

run() { # label roles
  local label=$1 roles=$2 data jfr=""
  data=$(mktemp -d)
  [ "${PROFILE:-0}" = 1 ] && jfr="-XX:StartFlightRecording=filename=bench/target/$label.jfr,settings=profile"
  TOLLGATE_HTTP_PORT=18080 TOLLGATE_MGMT_PORT=19090 TOLLGATE_ADMIN_PORT=18181 TOLLGATE_DATA_DIR=$data \
    java -Xms512m -Xmx512m $jfr -jar "$JAR" --config bench/bench-config.yaml --roles "$roles" \
    > "bench/target/ledger-cost-$label.log" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  for _ in $(seq 1 150); do curl -sf http://127.0.0.1:19090/health/ready > /dev/null && break; sleep 0.2; done
  java -Xmx256m -jar "$BENCH" --url http://127.0.0.1:18080/v1/chat/completions --key "$KEY" --rate "$RATE" \
    --duration "$DURATION" --warmup "$WARMUP" > "bench/target/ledger-cost-$label-load.log" 2>&1 &
  local load=$!
  sleep "$WARMUP"
  local before after pg_before pg_after
  pg_before=$(cpu_ticks postgres "$data"); before=$((pg_before + $(cpu_ticks $pid)))
  sleep "$DURATION"
  pg_after=$(cpu_ticks postgres "$data"); after=$((pg_after + $(cpu_ticks $pid)))
  wait $load || true
  local ms=$(( (after - before) * 1000 / TICKS )) pg_ms=$(( (pg_after - pg_before) * 1000 / TICKS ))
  echo "$label: $(grep -o 'ok=.*' "bench/target/ledger-cost-$label-load.log")"
  echo "$label: gateway JVM + PostgreSQL CPU in the measured ${DURATION}s: $ms ms (PostgreSQL $pg_ms ms) = $((ms * 1000 / (RATE * DURATION))) ms per 1000 requests"
  kill $pid; wait $pid 2>/dev/null || true
  PIDS=()
  rm -rf "$data"
  eval "CPU_$label=$ms"
}

run noledger edge,router,connector,admin
run ledger all
echo "usage ledger (billing + audit + the edge's outbox): $(( (CPU_ledger - CPU_noledger) * 1000 / (RATE * DURATION) )) CPU-ms per 1000 usage events"
