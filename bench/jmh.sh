#!/usr/bin/env bash
# JMH: the cost of one routing decision per policy and number of deployments (production code, no network).
# Usage: bench/jmh.sh [JMH options, e.g. -p policy=thompson]
# BENCHMARK=io.tollgate.edge.TranscriptBenchmark bench/jmh.sh: what prompt storage costs the edge per request.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=bench/target/tollgate-bench.jar
[ -f "$BENCH" ] || ./mvnw -q -B -pl bench -am -DskipTests package
BENCHMARK=${BENCHMARK:-io.tollgate.bench.jmh.DecisionBenchmark}
exec java -Xmx512m -cp "$BENCH" org.openjdk.jmh.Main "$BENCHMARK" "$@"
