#!/usr/bin/env bash
# What one admission costs Redis: usec_per_call of the admit, settle and refusal scripts (INFO
# commandstats, reset before each phase) on the embedded Redis the tests use.
# Usage: bench/redis-cost.sh [N requests per phase, default 10000 [rounds, default 5]]. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=bench/target/tollgate-bench.jar
[ -f "$BENCH" ] && [ -z "${REBUILD:-}" ] || ./mvnw -q -B -o -pl bench -am -DskipTests package
exec java -Xmx512m -cp "$BENCH" io.tollgate.bench.AdmissionRedisCost "$@"
