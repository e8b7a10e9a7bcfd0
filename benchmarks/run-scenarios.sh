#!/bin/bash
# Scenario A (our server, then the bare Netty baseline) and B (our server), then a capacity ramp.
# Build first:  mvn -q package -DskipTests   (from the repository root)
# Results (text and JSON) go to $OUT, default ./bench-out.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=$ROOT/chat-server/target/chat-server.jar
BENCH_JAR=$ROOT/benchmarks/target/chat-bench.jar
OUT=${OUT:-$PWD/bench-out}
mkdir -p "$OUT"

start_server() { # $1 = name, rest = extra flags
  local name=$1; shift
  rm -rf "$OUT/data-$name"
  java -jar "$SERVER_JAR" --port 18080 --host 127.0.0.1 --data-dir "$OUT/data-$name" --rate-limit 0 "$@" \
    > "$OUT/server-$name.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null; }

echo "== A ours $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server A
java -jar "$BENCH_JAR" load --url http://127.0.0.1:18080 -c 100 -g 10 -s 10 -w 16 --warmup 3 -d 15 \
  --server-pid "$SERVER" --json "$OUT/A-ours.json"
stop_server

echo "== A bare Netty $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$BENCH_JAR" dev.parley.bench.baseline.BareNettyServer 19090 > "$OUT/server-bare.log" 2>&1 &
BARE=$!
for _ in $(seq 1 60); do grep -q "port" "$OUT/server-bare.log" && break; sleep 0.5; done
java -jar "$BENCH_JAR" load --url http://127.0.0.1:19090 -c 100 -g 10 -s 10 -w 16 --warmup 3 -d 15 \
  --server-pid "$BARE" --json "$OUT/A-bare.json"
kill "$BARE"; wait "$BARE" 2>/dev/null

echo "== B ours $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server B --bcrypt-cost 4
java -jar "$BENCH_JAR" load --url http://127.0.0.1:18080 -c 1000 -g 10 -s 100 -r 2000 --warmup 3 -d 15 \
  --server-pid "$SERVER" --json "$OUT/B-ours.json"
echo "== capacity ours $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar "$BENCH_JAR" capacity --url http://127.0.0.1:18080 -c 5000 --users 100 --spread-sources \
  --server-pid "$SERVER" --json "$OUT/capacity-ours.json"
stop_server
echo "== done $(date -u +%T)"
