#!/usr/bin/env bash
# bench/syscost.sh [ROLES]: what one request costs the gateway's JVM in user and kernel CPU and in
# context switches (from /proc), under wrk -t2 -c50 against the side-by-side fixed-cost nginx
# upstream (CONNS=1 THREADS=1 for one request at a time; the warm-up stays at -c50), after a warm-up. JFR samples Java frames only; this shows what the event-loop hand-offs
# cost in the kernel (eventfd writes, wake-ups). Run it with TOLLGATE_LOCAL_PATH=off to compare.
# Loopback only; stops everything it started. Needs nginx-light and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROLES=${1:-edge,router,connector}; WARMUP=${WARMUP:-60}; DUR=${DUR:-15}; CONNS=${CONNS:-50}; THREADS=${THREADS:-2}
KEY=tg-bench-0123456789abcdef0123456789abcdef
UP=38001 PROXY=38002 GW=38080 MGMT=39090
WORK=$(mktemp -d); PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
sed -e "s|__DIR__|$WORK|g" -e "s|__UPSTREAM_PORT__|$UP|g" -e "s|__PROXY_PORT__|$PROXY|g" \
  bench/sidebyside/nginx.conf.template > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" & PIDS+=($!)
BENCH_UPSTREAM_KEY=not-checked TOLLGATE_HTTP_PORT=$GW TOLLGATE_MGMT_PORT=$MGMT TOLLGATE_ADMIN_PORT=38181 \
  TOLLGATE_DATA_DIR=$(mktemp -d -p "$WORK") java -Xms512m -Xmx512m -jar launcher/target/tollgate.jar \
  --config bench/sidebyside/config.yaml --roles "$ROLES" > "$WORK/node.log" 2>&1 & PIDS+=($!)
JPID=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$MGMT/health/ready" > /dev/null && break; sleep 0.2; done
BENCH_KEY=$KEY wrk -t2 -c50 -d"$WARMUP"s -s bench/sidebyside/post.lua "http://127.0.0.1:$GW/v1/chat/completions" > /dev/null
snap() { # utime stime (clock ticks) and context switches of every thread of the JVM
  local u s; read -r u s < <(awk '{print $14, $15}' /proc/$JPID/stat)
  local cs; cs=$(cat /proc/$JPID/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}')
  echo "$u $s $cs"
}
read -r u0 s0 c0 <<< "$(snap)"
OUT=$(BENCH_KEY=$KEY wrk -t"$THREADS" -c"$CONNS" -d"$DUR"s -s bench/sidebyside/post.lua "http://127.0.0.1:$GW/v1/chat/completions" | grep RESULT)
read -r u1 s1 c1 <<< "$(snap)"
RPS=$(echo "$OUT" | sed -E 's/.*rps=([0-9]+).*/\1/')
N=$((RPS * DUR)); HZ=$(getconf CLK_TCK)
awk -v n=$N -v hz=$HZ -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v rps=$RPS 'BEGIN {
  printf "%d req/s; per request: user %.1f µs, kernel %.1f µs, %.2f context switches\n",
    rps, u * 1e6 / hz / n, s * 1e6 / hz / n, c / n }'
echo "$OUT" | sed -E 's/.*p50=([0-9]+) p99=([0-9]+) p999=([0-9]+).*/latency p50 \1 p99 \2 p99.9 \3 µs (wrk, upstream included)/'
