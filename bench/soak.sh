#!/usr/bin/env bash
# Mixed soak: is the heap after a full GC flat? One JVM with every role (-Xmx512m) in front of the
# fixed-cost nginx upstream of bench/sidebyside.sh, driven for the whole time by an open-loop
# generator (io.tollgate.bench.SoakLoad) running fixed-rate flows side by side: JSON and SSE chat,
# the key without limits and the limited key (rpm + tpm + daily budget: Redis admit + settle,
# PostgreSQL ledger), and requests that must fail
# (a bad key -> 401, an unknown model -> 404). Every SAMPLE_SECONDS it forces a full GC
# (jcmd GC.run) and records the heap in use after it, the requests done, the unexpected outcomes,
# tollgate_inflight_streams and the open client and upstream connections. At the end: a table and the least-squares slope of the heap after the
# warm-up (bench/soak-report.py says why the bound is what it is).
# Loopback only; stops everything it started (also on Ctrl-C); keeps its logs and prints where.
# Needs nginx (Debian nginx-light) and jcmd (the JDK).
#
# Usage: bench/soak.sh [minutes=10] [total req/s=1000]
# Env: JAR (gateway jar, default launcher/target/tollgate.jar), BENCH_JAR, SAMPLE_SECONDS=30,
#   WARMUP_MINUTES=2, FLAT_MB_PER_MIN=0.5, HISTO=1 (class histograms at the end of the warm-up and at
#   the end, diffed), UP_PORT=47001 PROXY_PORT=47002 HTTP_PORT=47080 MGMT_PORT=47090 ADMIN_PORT=47181,
#   TOLLGATE_ACCESS_LOG (on by default, as in production; its lines are dropped from node.log).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
RATE=${2:-1000}
JAR=${JAR:-launcher/target/tollgate.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/tollgate-bench.jar}
SAMPLE=${SAMPLE_SECONDS:-30}
WARMUP_MINUTES=${WARMUP_MINUTES:-2}
UP=${UP_PORT:-47001} PROXY=${PROXY_PORT:-47002} GW=${HTTP_PORT:-47080} MGMT=${MGMT_PORT:-47090} ADMIN=${ADMIN_PORT:-47181}
KEY=tg-bench-0123456789abcdef0123456789abcdef
LIMITED_KEY=tg-bench-limited-0123456789abcdef01234567
for tool in nginx jcmd curl python3; do command -v $tool > /dev/null || { echo "needs $tool" >&2; exit 2; }; done
for f in "$JAR" "$BENCH_JAR"; do [ -f "$f" ] || { echo "no $f: build with ./mvnw -q -B -DskipTests package" >&2; exit 2; }; done

WORK=$(mktemp -d /tmp/tollgate-soak.XXXXXX)
PIDS=()
GATEWAY=
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  if [ -n "$GATEWAY" ]; then   # SIGTERM (not -9) lets it stop its embedded PostgreSQL and Redis
    kill "$GATEWAY" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$GATEWAY" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$GATEWAY" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  rm -rf "$WORK/data" "$WORK"/nginx-tmp
  echo "logs: $WORK (node.log, gc.log, load.log, samples.csv, ps.log$([ "${HISTO:-0}" = 1 ] && echo ', histo-*.txt'))"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The same upstream and config as bench/sidebyside.sh, on this run's ports.
mkdir -p "$WORK/nginx-tmp" "$WORK/data"
sed -e "s|__DIR__|$WORK/nginx-tmp|g" -e "s|__UPSTREAM_PORT__|$UP|g" -e "s|__PROXY_PORT__|$PROXY|g" \
  bench/sidebyside/nginx.conf.template > "$WORK/nginx-tmp/nginx.conf"
sed -e "s|127.0.0.1:38001/|127.0.0.1:$UP/|g" bench/sidebyside/config.yaml > "$WORK/config.yaml"
nginx -c "$WORK/nginx-tmp/nginx.conf" -e "$WORK/nginx-tmp/nginx-error.log" &
PIDS+=($!)

# The access lines are produced and written as in production, but kept out of node.log (about
# 400 bytes a request would make it hundreds of MB). SoftRefLRUPolicyMSPerMB=0: every GC clears
# soft references, so the heap after a full GC is what is strongly reachable. By default a soft
# cache (the JDK's reflection data among them) lives 1 s per free MB after its last use, so what
# start-up touched goes about 8 minutes in, and reads as a slow shrink.
BENCH_UPSTREAM_KEY=not-checked TOLLGATE_HTTP_PORT=$GW TOLLGATE_MGMT_PORT=$MGMT TOLLGATE_ADMIN_PORT=$ADMIN \
TOLLGATE_DATA_DIR="$WORK/data" TOLLGATE_ACCESS_LOG=${TOLLGATE_ACCESS_LOG:-on} \
  java -Xms512m -Xmx512m -XX:SoftRefLRUPolicyMSPerMB=0 -Xlog:gc,gc+heap=debug:file="$WORK/gc.log":uptime -jar "$JAR" --config "$WORK/config.yaml" --roles all \
  > >(grep --line-buffered -v '"logger":"tollgate.access"' > "$WORK/node.log") 2>&1 &
GATEWAY=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$MGMT/health/ready" > /dev/null && break
  kill -0 "$GATEWAY" 2>/dev/null || break; sleep 0.2; done
curl -sf "http://127.0.0.1:$MGMT/health/ready" > /dev/null || { echo "gateway not ready; node.log:" >&2; tail -n 30 "$WORK/node.log" >&2; exit 1; }
URL=http://127.0.0.1:$GW/v1/chat/completions
for k in "$KEY" "$LIMITED_KEY"; do for m in fixed fixed-stream; do   # each path answers before the soak starts
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $k" -H 'content-type: application/json' \
    -d "{\"model\":\"$m\",\"stream\":$([ $m = fixed-stream ] && echo true || echo false),\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" "$URL")
  [ "$code" = 200 ] || { echo "smoke request $m with ${k:0:16}... got $code" >&2; exit 1; }
done; done

# The mix, in percent of RATE: name percent key model json|sse expected-status
MIX=(
  "json-free 35 $KEY fixed json 200"
  "sse-free 25 $KEY fixed-stream sse 200"
  "json-limited 20 $LIMITED_KEY fixed json 200"
  "sse-limited 10 $LIMITED_KEY fixed-stream sse 200"
  "bad-key 5 tg-bench-not-a-key-000000000000000000000 fixed json 401"
  "unknown-model 5 $KEY no-such-model json 404"
)
DURATION=$((MINUTES * 60))
echo "soak: ${MINUTES} min at $RATE req/s against $JAR (pid $GATEWAY); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
FLOWS=()
for spec in "${MIX[@]}"; do
  read -r name pct key model format expect <<< "$spec"
  r=$(( RATE * pct / 100 )); [ "$r" -ge 1 ] || r=1
  FLOWS+=(--flow "$name,$r,$key,$model,$format,$expect")
  echo "  $name: $r req/s, $model ($format), expects $expect"
done
# One generator JVM for every flow: one per flow cost about 0.13 core each here, whatever its rate.
# It runs 20 s past the last sample, so that sample is taken under load, not after its connections
# closed. 64 connections at most: each open connection is a few KB of heap on both sides of the
# gateway, so a pool that grows in a stall and shrinks later moves the samples.
java -Xmx256m -XX:+UseSerialGC -cp "$BENCH_JAR" io.tollgate.bench.SoakLoad --url "$URL" --duration $((DURATION + 20)) \
  --warmup $((WARMUP_MINUTES * 60)) --progress 5 --connections 64 "${FLOWS[@]}" > "$WORK/load.log" 2>&1 &
LOAD=$!
PIDS+=($LOAD)
START=$(date +%s)

metric() { curl -sS --max-time 10 "http://127.0.0.1:$MGMT/metrics" | grep -E "^$1" | awk '{s+=$NF} END {printf "%.0f", s}'; }
load_sum() { # a field of the generator's last progress line
  local v; v=$(grep '^progress' "$WORK/load.log" | tail -n 1 | sed -nE "s/.* $1=([0-9]+).*/\1/p"); echo "${v:-0}"; }
conns() { ss -Htn state established "( $1 = :$2 )" | wc -l; }
echo "t_s,heap_after_full_gc_bytes,requests,unexpected,inflight_streams,client_conns,upstream_conns,gateway_requests,load1" \
  > "$WORK/samples.csv"
printf "%6s %12s %10s %10s %8s %8s %8s %6s\n" "t (s)" "heap MB" requests unexpected streams clients upstream load1
for i in $(seq 1 $((DURATION / SAMPLE))); do
  t=$((i * SAMPLE))
  while [ $(( $(date +%s) - START )) -lt "$t" ]; do sleep 1; done
  kill -0 "$GATEWAY" 2>/dev/null || { echo "gateway died; node.log:" >&2; tail -n 30 "$WORK/node.log" >&2; exit 1; }
  streams=$(metric tollgate_inflight_streams)   # before the GC's pause lets in-flight work drain
  cin=$(conns sport "$GW") cup=$(conns dport "$UP")
  if [ "${HISTO:-0}" = 1 ] && { [ "$t" = $((WARMUP_MINUTES * 60)) ] || [ "$i" = $((DURATION / SAMPLE)) ]; }; then
    phase=end; [ "$t" = $((WARMUP_MINUTES * 60)) ] && phase=start
    jcmd "$GATEWAY" GC.class_histogram > "$WORK/histo-$phase.txt"   # live objects only: a full GC itself
  fi
  jcmd "$GATEWAY" GC.run > /dev/null
  # The heap after that GC as the GC logged it: a later jcmd GC.heap_info would also count the tens
  # of MB allocated in the second it takes to start (at 1,000 req/s, about 30 MB/s).
  gcid=$(grep 'Pause Full (Diagnostic Command)' "$WORK/gc.log" | tail -n 1 | sed -nE 's/.*GC\(([0-9]+)\).*/\1/p')
  heap=$(( $(grep "GC($gcid)  garbage-first heap" "$WORK/gc.log" | tail -n 1 | sed -nE 's/.*used ([0-9]+)K.*/\1/p') * 1024 ))
  gw=$(metric 'tollgate_overhead_seconds_count')
  req=$(load_sum done) bad=$(load_sum unexpected) load1=$(cut -d' ' -f1 /proc/loadavg)
  echo "$t,$heap,$req,$bad,$streams,$cin,$cup,$gw,$load1" >> "$WORK/samples.csv"
  printf "%6s %12.1f %10s %10s %8s %8s %8s %6s\n" "$t" "$(awk -v h="$heap" 'BEGIN { print h / 1048576 }')" "$req" "$bad" \
    "$streams" "$cin" "$cup" "$load1"
  { echo "== t=$t"; ps -eo pid,pcpu,etime,args --sort=-pcpu | head -n 8 | cut -c1-180; } >> "$WORK/ps.log"
done
wait "$LOAD" || true
grep -h '^flow=' "$WORK/load.log"
python3 bench/soak-report.py "$WORK/samples.csv" "$WORK/gc.log" "$WARMUP_MINUTES" "${FLAT_MB_PER_MIN:-0.5}" \
  $( [ "${HISTO:-0}" = 1 ] && echo "$WORK/histo-start.txt $WORK/histo-end.txt" )
