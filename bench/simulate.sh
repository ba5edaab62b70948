#!/usr/bin/env bash
# Routing simulator: regret of the production routing policies on seeded Bernoulli environments and how fast
# traffic leaves a deployment that dies. No network, no gateway. Usage: bench/simulate.sh [horizon] [seeds]
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=bench/target/tollgate-bench.jar
[ -f "$BENCH" ] || ./mvnw -q -B -pl bench -am -DskipTests package
exec java -Xmx512m -cp "$BENCH" io.tollgate.bench.sim.RoutingSimulator "${1:-10000}" "${2:-40}"
