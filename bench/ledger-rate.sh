#!/usr/bin/env bash
# Whether the usage ledger sustains a rate of usage events (default 5,000/s, issue 9's goal) on this
# machine with the embedded PostgreSQL: edge-like producers (one per core, one event per event-loop
# turn at a fixed rate) feed their outboxes, billing (with budget alerts) and audit write to an
# embedded PostgreSQL, inside one JVM (LedgerCost, launcher tests). Sustained means: after the run
# nothing is pending or dropped and every offered event is one ledger row and one audit row.
# Usage: bench/ledger-rate.sh [rate] [seconds] [warmup-seconds]. Loopback only; stops what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-5000}
DURATION=${2:-20}
WARMUP=${3:-10}
./mvnw -q -B -pl launcher -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
  -Dmdep.includeScope=test
cd launcher
OUT=$(java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.tollgate.launcher.LedgerCost \
  "$RATE" "$DURATION" "$WARMUP" 2>&1 | tee /dev/stderr | grep 'ledger cost at' || true)
echo "$OUT" | sed 's/.*ledger cost at/ledger cost at/'
if echo "$OUT" | grep -q ' 0 still pending, 0 dropped' \
   && [ "$(echo "$OUT" | sed -n 's/.*ledger rows \([0-9]*\), audit rows \([0-9]*\), offered \([0-9]*\).*/\1 \2 \3/p' \
         | awk '{print ($1 == $3 && $2 == $3) ? "yes" : "no"}')" = yes ]; then
  echo "sustained: $RATE usage events/s for ${DURATION}s, every event written once to the ledger and the audit log"
else
  echo "NOT sustained at $RATE usage events/s (see pending/dropped/rows above)"
  exit 1
fi
