#!/bin/bash
# Scenario A of BENCHMARKS.md against two server builds, interleaved (before, after, before, ...),
# the server pinned to CPU 0 and chat-bench to CPU 1, each run on a fresh data dir.
#   benchmarks/ab-scenario-a.sh BEFORE_CHECKOUT AFTER_CHECKOUT
# Each checkout is built with `mvn -o -q package -DskipTests -Dinvoker.skip=true`; chat-bench is
# this checkout's. PORT (default 18181), ROUNDS (default 3), OUT (default ./ab-out).
# ORDER=abba runs each round as before, after, after, before, so that neither build always runs
# second.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_JAR=$ROOT/benchmarks/target/chat-bench.jar
BEFORE=$1 AFTER=$2
PORT=${PORT:-18181} ROUNDS=${ROUNDS:-3} OUT=${OUT:-$PWD/ab-out}
A_ARGS="-c 100 -g 10 -s 10 -w 16 --warmup 3 -d 15"
URL=http://127.0.0.1:$PORT
mkdir -p "$OUT"

run() { # $1 = name, $2 = checkout
  local name=$1 data=$OUT/data-$1
  rm -rf "$data"
  taskset -c 0 java -jar "$2/chat-server/target/chat-server.jar" --port "$PORT" --host 127.0.0.1 \
    --data-dir "$data" --rate-limit 0 --bcrypt-cost 4 > "$OUT/server-$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.5; done
  echo "== $name $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  taskset -c 1 java -jar "$BENCH_JAR" load --url "$URL" $A_ARGS --server-pid "$pid" \
    --json "$OUT/$name.json" > "$OUT/$name.txt" 2>&1
  echo "   exit $? $(grep -m1 -i 'sent/s\|sent ' "$OUT/$name.txt")"
  kill "$pid"; wait "$pid" 2>/dev/null
  rm -rf "$data"
}

for i in $(seq 1 "$ROUNDS"); do
  run "before$i" "$BEFORE"
  run "after$i" "$AFTER"
  if [[ ${ORDER:-ab} == abba ]]; then
    run "after$i-b" "$AFTER"
    run "before$i-b" "$BEFORE"
  fi
done
