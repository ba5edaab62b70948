#!/usr/bin/env bash
# Side by side, in one run: a bare nginx reverse proxy and Tollgate in front of the same fixed-cost
# upstream (nginx answering every chat completion at once), driven by wrk. Reports throughput
# (wrk -t2 -c50) and the latency each adds at concurrency 1 (p50/p99/p99.9 over the upstream's own),
# JSON and streaming, for a key without limits and one with rpm + tpm + a daily budget, single JVM
# and 2-node cluster. Loopback only; everything it starts is stopped at the end.
# After the limited-key runs it prints the Redis CPU those runs cost (INFO commandstats: the admit and
# settle scripts' calls and time).
# Needs nginx (Debian nginx-light), wrk and python3. Usage: bench/sidebyside.sh [seconds per run] [warm-up seconds]
# Env: JAR, ROLES, THREADS, CONNS, SKIP_SINGLE=1, SKIP_CLUSTER=1, and the ports (another bench may hold
# the defaults): UP_PORT=38001 PROXY_PORT=38002 HTTP_PORT=38080 MGMT_PORT=39090 ADMIN_PORT=38181
# BACKEND_HTTP_PORT=38081 BACKEND_MGMT_PORT=39091. The cluster part's PostgreSQL and Redis come from
# DevServices on its fixed ports 55432 and 56379, so only one cluster part can run at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-20}
WARMUP=${2:-30}
THREADS=${THREADS:-2}
CONNS=${CONNS:-50}
KEY=tg-bench-0123456789abcdef0123456789abcdef
LIMITED_KEY=tg-bench-limited-0123456789abcdef01234567
UP=${UP_PORT:-38001} PROXY=${PROXY_PORT:-38002} GW=${HTTP_PORT:-38080} MGMT=${MGMT_PORT:-39090} ADMIN=${ADMIN_PORT:-38181}
BACKEND_HTTP=${BACKEND_HTTP_PORT:-38081} BACKEND_MGMT=${BACKEND_MGMT_PORT:-39091}
JAR=${JAR:-launcher/target/tollgate.jar}
for tool in nginx wrk python3; do command -v $tool > /dev/null || { echo "needs $tool (apt-get install nginx-light wrk)" >&2; exit 2; }; done
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
JVM_OPTS="-Xms512m -Xmx512m -Dhazelcast.wait.seconds.before.join=0"
export BENCH_UPSTREAM_KEY=not-checked

sed -e "s|__DIR__|$WORK|g" -e "s|__UPSTREAM_PORT__|$UP|g" -e "s|__PROXY_PORT__|$PROXY|g" \
  bench/sidebyside/nginx.conf.template > "$WORK/nginx.conf"
sed -e "s|127.0.0.1:38001/|127.0.0.1:$UP/|g" bench/sidebyside/config.yaml > "$WORK/config.yaml"
nginx -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
PIDS+=($!)
for _ in $(seq 1 50); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$PROXY/v1/chat/completions" && break; sleep 0.1; done

# wrk URL threads conns seconds [KEY] [stream 0|1] [model] -> "rps p50 p99 p999" (µs), checks for errors
run() {
  local out
  out=$(BENCH_KEY=${5:-none} BODY_STREAM=${6:-0} BENCH_MODEL=${7:-fixed} \
    wrk -t"$2" -c"$3" -d"$4"s --timeout 5s -s bench/sidebyside/post.lua "$1" 2>&1 | grep RESULT) || true
  [ -n "$out" ] || { echo "wrk failed against $1" >&2; exit 1; }
  case "$out" in *"errors=0 non2xx=0"*) ;; *) echo "errors against $1: $out" >&2 ;; esac
  echo "$out" | sed -E 's/.*rps=([0-9]+) p50=([0-9]+) p99=([0-9]+) p999=([0-9]+).*/\1 \2 \3 \4/'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", a - b }'; }

node() { # name http mgmt roles [--cluster]
  local name=$1 http=$2 mgmt=$3 roles=$4; shift 4
  TOLLGATE_HTTP_PORT=$http TOLLGATE_MGMT_PORT=$mgmt TOLLGATE_ADMIN_PORT=$ADMIN TOLLGATE_DATA_DIR=$(mktemp -d -p "$WORK") \
  TOLLGATE_ACCESS_LOG=${TOLLGATE_ACCESS_LOG:-on} \
    java $JVM_OPTS -jar "$JAR" --config "$WORK/config.yaml" --roles "$roles" "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
await_ready() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/health/ready" > /dev/null && return 0; sleep 0.2; done
  echo "node on $1 not ready; its logs:" >&2; tail -n 30 "$WORK"/*.log >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "runs of ${DUR}s, wrk -t$THREADS -c$CONNS for throughput, -t1 -c1 for latency; latencies in µs"
read -r UP_RPS UP_P50 UP_P99 UP_P999 <<< "$(run http://127.0.0.1:$UP/v1/chat/completions 1 1 "$DUR")"
read -r _ UPS_P50 UPS_P99 UPS_P999 <<< "$(run http://127.0.0.1:$UP/stream/v1/chat/completions 1 1 "$DUR" none 1)"
read -r PX_RPS _ _ _ <<< "$(run http://127.0.0.1:$PROXY/v1/chat/completions "$THREADS" "$CONNS" "$DUR")"
read -r _ PX_P50 PX_P99 PX_P999 <<< "$(run http://127.0.0.1:$PROXY/v1/chat/completions 1 1 "$DUR")"
echo "upstream alone at c1: p50 $UP_P50 p99 $UP_P99 p99.9 $UP_P999 (stream $UPS_P50 / $UPS_P99 / $UPS_P999)"
printf "| %-44s | %8s | %6s | %-27s | %-27s |\n" target "req/s" "x nginx" "added c1 p50/p99/p99.9" "stream added c1 p50/p99/p99.9"
printf "| %-44s | %8s | %6s | %-27s | %-27s |\n" "bare nginx reverse proxy" "$PX_RPS" "1.00" \
  "$(minus $PX_P50 $UP_P50) / $(minus $PX_P99 $UP_P99) / $(minus $PX_P999 $UP_P999)" ""

# Redis on port $1: "calls usec" of its Lua scripts (admit and settle) so far
redis_scripts() { [ -n "$1" ] && python3 bench/redis-cmdstats.py "$1" 2>/dev/null || echo "- -"; }
redis_line() { # port before-calls before-usec
  local calls usec
  read -r calls usec <<< "$(redis_scripts "$1")"
  if [ "$calls" = - ] || [ "$2" = - ]; then echo "  Redis: no INFO commandstats from port ${1:-unknown}"; return; fi
  awk -v c=$((calls - $2)) -v u=$((usec - $3)) 'BEGIN {
    printf "  Redis: %d script calls, %.1f µs per call (INFO commandstats, eval + evalsha, over the limited-key runs)\n",
      c, c ? u / c : 0 }'
}

measure() { # label url redis-port
  local label=$1 url=$2 redis=$3 rps p50 p99 p999 s50 s99 s999 lrps l50 l99 l999 calls0 usec0
  run "$url" "$THREADS" "$CONNS" "$WARMUP" "$KEY" > /dev/null   # warm-up
  run "$url" "$THREADS" "$CONNS" "$WARMUP" "$KEY" 1 fixed-stream > /dev/null
  read -r rps _ _ _ <<< "$(run "$url" "$THREADS" "$CONNS" "$DUR" "$KEY")"
  read -r _ p50 p99 p999 <<< "$(run "$url" 1 1 "$DUR" "$KEY")"
  read -r _ s50 s99 s999 <<< "$(run "$url" 1 1 "$DUR" "$KEY" 1 fixed-stream)"
  printf "| %-44s | %8s | %6s | %-27s | %-27s |\n" "$label, key without limits" "$rps" "$(ratio $rps $PX_RPS)" \
    "$(minus $p50 $UP_P50) / $(minus $p99 $UP_P99) / $(minus $p999 $UP_P999)" \
    "$(minus $s50 $UPS_P50) / $(minus $s99 $UPS_P99) / $(minus $s999 $UPS_P999)"
  read -r calls0 usec0 <<< "$(redis_scripts "$redis")"
  read -r lrps _ _ _ <<< "$(run "$url" "$THREADS" "$CONNS" "$DUR" "$LIMITED_KEY")"
  read -r _ l50 l99 l999 <<< "$(run "$url" 1 1 "$DUR" "$LIMITED_KEY")"
  printf "| %-44s | %8s | %6s | %-27s | %-27s |\n" "$label, rpm + tpm + daily budget" "$lrps" "$(ratio $lrps $PX_RPS)" \
    "$(minus $l50 $UP_P50) / $(minus $l99 $UP_P99) / $(minus $l999 $UP_P999)" ""
  redis_line "$redis" "$calls0" "$usec0"
}

# ROLES=edge,router,connector measures the request path alone (the node serves the file; no
# PostgreSQL, billing or audit sharing the 2 cores with it).
ROLES=${ROLES:-all}
if [ "${SKIP_SINGLE:-0}" != 1 ]; then
  node single $GW $MGMT "$ROLES"
  await_ready $MGMT
  # The node's embedded Redis picks a free port and logs it.
  REDIS_PORT=$(grep -o -m1 'embedded Redis listening on redis://127.0.0.1:[0-9]*' "$WORK/single.log" | sed 's/.*://' || true)
  measure "Tollgate single JVM ($ROLES)" "http://127.0.0.1:$GW/v1/chat/completions" "$REDIS_PORT"
  for p in "${PIDS[@]:1}"; do kill "$p" 2>/dev/null || true; done
  PIDS=("${PIDS[0]}")
  sleep 2
fi

if [ "${SKIP_CLUSTER:-0}" != 1 ]; then
  TOLLGATE_DATA_DIR=$(mktemp -d -p "$WORK") java -Xmx128m -cp "$JAR" io.tollgate.launcher.DevServices > "$WORK/dev-services.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do grep -q "dev services up" "$WORK/dev-services.log" && break; sleep 0.2; done
  export TOLLGATE_PG_URL=postgresql://postgres@127.0.0.1:55432/postgres TOLLGATE_REDIS_URL=redis://127.0.0.1:56379
  export TOLLGATE_ADMIN_TOKEN=bench-admin-token
  # A secret of this run's own: its nodes derive their cluster name from it, so they never join
  # another bench's cluster on this machine.
  export TOLLGATE_CLUSTER_SECRET=sidebyside-$$-$RANDOM$RANDOM
  node backend "$BACKEND_HTTP" "$BACKEND_MGMT" admin,router,connector,billing,audit --cluster
  await_ready "$BACKEND_MGMT"
  node edge $GW $MGMT edge --cluster
  await_ready $MGMT
  measure "Tollgate 2 nodes (edge | the rest)" "http://127.0.0.1:$GW/v1/chat/completions" 56379
fi
