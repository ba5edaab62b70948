#!/usr/bin/env bash
# bench/cpu-profile.sh [ROLES] [KEY kind: plain|limited] [seconds]: a JFR CPU profile of a single JVM
# under wrk -t2 -c50 against the side-by-side fixed-cost nginx upstream (after WARMUP=60 s of warm-up: C2 needs minutes on 2 busy cores),
# summarised by bench/jfr-cpu.py: where the samples are by own frame and by first io.tollgate frame.
# Loopback only; everything it starts is stopped at the end. Needs nginx-light, wrk and the JDK's jcmd/jfr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROLES=${1:-edge,router,connector}; KIND=${2:-plain}; DUR=${3:-20}; WARMUP=${WARMUP:-60}
KEY=tg-bench-0123456789abcdef0123456789abcdef
[ "$KIND" = limited ] && KEY=tg-bench-limited-0123456789abcdef01234567
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
BENCH_KEY=$KEY wrk -t2 -c50 -d"$WARMUP"s -s bench/sidebyside/post.lua "http://127.0.0.1:$GW/v1/chat/completions" | grep RESULT
jcmd $JPID JFR.start name=cpu settings=profile > /dev/null
BENCH_KEY=$KEY wrk -t2 -c50 -d"$DUR"s -s bench/sidebyside/post.lua "http://127.0.0.1:$GW/v1/chat/completions" | grep RESULT
OUT=${OUT:-/tmp/cpu-$KIND.jfr}
jcmd $JPID JFR.dump name=cpu filename="$OUT" > /dev/null
jfr print --events jdk.ExecutionSample --stack-depth 40 "$OUT" > "${OUT%.jfr}.txt"
python3 bench/jfr-cpu.py "${OUT%.jfr}.txt"
