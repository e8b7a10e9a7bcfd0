#!/bin/bash
# Scenario D of BENCHMARKS.md: six cluster nodes on this machine, sharing one PostgreSQL database
# and one Redis, hold 100,000 idle authenticated connections between them while 1,000 sends/s
# cross nodes. Not part of .ci/run: it needs PostgreSQL and Redis running, a few minutes and
# about 2 GiB of memory.
#
# Build first:  mvn -q package -DskipTests   (from the repository root)
# Needs: PostgreSQL at 127.0.0.1:5432 (createdb/dropdb as $PGUSER, trust auth), Redis at
# $REDIS_URL, `ulimit -n` of at least 20,000 (no process here opens more than ~18,000).
# Results (text and JSON) go to $OUT, default ./bench-out-d.
#
# What it does:
#  1. starts NODES nodes (default 6) on ports 18101.., each with its own data dir, one fresh
#     PostgreSQL database, one Redis prefix and one JWT secret, pinned to SERVER_CPUS;
#  2. ramps IDLE (default 100,000) idle connections, one chat-bench `capacity` process per node
#     (each process holds at most IDLE/NODES connections, spread over 250 source addresses),
#     one node after the other, and keeps them open;
#  3. measures the nodes' CPU while they only hold them, counts the connections each node holds
#     (ss) and its RSS growth per connection (SETTLE s later: heap given back);
#  4. with everything held, `load` at RATE sends/s (default 1,000) in groups of NODES members, one
#     member on each node (every message crosses to every other node), then the same load with
#     all its members on the first node (single node), then cross-node again;
#  5. releases the idle connections and reports how many were dropped while held.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=$ROOT/chat-server/target/chat-server.jar
BENCH_JAR=$ROOT/benchmarks/target/chat-bench.jar
OUT=${OUT:-$PWD/bench-out-d}
NODES=${NODES:-6}
IDLE=${IDLE:-100000}
RATE=${RATE:-1000}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20}
SETTLE=${SETTLE:-25}
PGUSER=${PGUSER:-postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
SERVER_CPUS=${SERVER_CPUS:-0}
BENCH_CPUS=${BENCH_CPUS:-1}
# the README's flags for many idle connections (G1 named: a JVM on one CPU would pick Serial GC)
NODE_JVM=${NODE_JVM:--XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000}
PER_NODE=$(( (IDLE + NODES - 1) / NODES ))
LOAD_CONNS=$(( NODES * 100 ))
LOAD="-c $LOAD_CONNS -g $NODES -s 100 -r $RATE --warmup $WARMUP -d $DURATION"

if (( PER_NODE + LOAD_CONNS > 18000 )); then
  echo "IDLE/NODES + $LOAD_CONNS = $(( PER_NODE + LOAD_CONNS )) connections on one node: more than ~18,000 descriptors" >&2
  exit 1
fi
if (( $(ulimit -n) < PER_NODE + LOAD_CONNS + 500 )); then
  echo "ulimit -n is $(ulimit -n): each node needs $(( PER_NODE + LOAD_CONNS + 500 ))" >&2
  exit 1
fi
if [[ ${PIN:-1} == 1 ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  ON_SERVER_CPUS=(taskset -c "$SERVER_CPUS"); ON_BENCH_CPUS=(taskset -c "$BENCH_CPUS")
else
  ON_SERVER_CPUS=(); ON_BENCH_CPUS=()
fi
mkdir -p "$OUT"
rm -f "$OUT/release"
DB=parley_d_$(date +%s)_$$
PREFIX="parley-d-$$:"
SECRET=$(openssl rand -hex 32)
createdb -h 127.0.0.1 -U "$PGUSER" "$DB" || exit 1
DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB?user=$PGUSER"

PIDS=(); URLS=(); CAP_PIDS=()
cleanup() {
  touch "$OUT/release"
  for p in "${CAP_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  dropdb -h 127.0.0.1 -U "$PGUSER" --if-exists "$DB"
}
trap cleanup EXIT
now() { date -u +%T; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo $t; }
held() { ss -Htn state established "( sport = :$1 )" | wc -l; }
wait_for_line() { # $1 = file, $2 = text, $3 = seconds
  for _ in $(seq 1 $(( $3 * 2 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.5; done
  return 1
}

echo "== $(now) starting $NODES nodes (database $DB, Redis prefix $PREFIX)"
for i in $(seq 1 "$NODES"); do
  port=$(( 18100 + i ))
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
    echo "port $port is already taken (another scenario D still running?)" >&2; exit 1
  fi
  rm -rf "$OUT/data-node$i"
  # shellcheck disable=SC2086
  "${ON_SERVER_CPUS[@]}" java $NODE_JVM -jar "$SERVER_JAR" --port "$port" --host 127.0.0.1 \
    --data-dir "$OUT/data-node$i" --db "$DB_URL" --redis "$REDIS_URL" --redis-prefix "$PREFIX" \
    --jwt-secret "$SECRET" --node-id "node$i" --rate-limit 0 --bcrypt-cost 4 \
    > "$OUT/node$i.log" 2>&1 &
  PIDS+=($!); URLS+=("http://127.0.0.1:$port")
  # one at a time: the first creates the schema
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "node$i did not start" >&2; tail "$OUT/node$i.log" >&2; exit 1; }
done
declare -a RSS0 RSS1 RAMP
for i in $(seq 1 "$NODES"); do RSS0[i]=$(rss_kib "${PIDS[i-1]}"); done

for i in $(seq 1 "$NODES"); do
  echo "== $(now) node$i: ramping $PER_NODE idle connections"
  "${ON_BENCH_CPUS[@]}" java -jar "$BENCH_JAR" capacity --url "${URLS[i-1]}" -c "$PER_NODE" --users 100 \
    --spread-sources --in-flight 128 --hold 3600 --release-file "$OUT/release" \
    --server-pid "${PIDS[i-1]}" --user-prefix "d$$n$i" --json "$OUT/D-idle-node$i.json" \
    > "$OUT/D-idle-node$i.txt" 2>&1 &
  CAP_PIDS+=($!)
  if ! wait_for_line "$OUT/D-idle-node$i.txt" "ramp done" 600; then
    echo "node$i: the ramp did not finish" >&2; cat "$OUT/D-idle-node$i.txt" >&2; exit 1
  fi
  RAMP[i]=$(grep "ramp done" "$OUT/D-idle-node$i.txt")
  echo "   ${RAMP[i]}"
done
t0=$(cpu_ticks "${PIDS[@]}"); sleep 20; t1=$(cpu_ticks "${PIDS[@]}")
IDLE_CPU=$(printf '%.0f' "$(echo "($t1 - $t0) * 100 / $(getconf CLK_TCK) / 20" | bc -l)")
# RSS once the README's G1PeriodicGCInterval (30 s) has had the time to hand the ramp's heap back
sleep "$SETTLE"
for i in $(seq 1 "$NODES"); do RSS1[i]=$(rss_kib "${PIDS[i-1]}"); done

{
  echo "node | port | connections held (ss) | RSS before ramp -> $(( 20 + SETTLE )) s after | RSS per idle connection"
  total=0
  for i in $(seq 1 "$NODES"); do
    port=$(( 18100 + i )); h=$(held "$port"); total=$(( total + h ))
    printf 'node%d | %d | %d | %d -> %d MiB | %.1f KiB\n' "$i" "$port" "$h" $(( RSS0[i] / 1024 )) \
      $(( RSS1[i] / 1024 )) "$(echo "(${RSS1[i]} - ${RSS0[i]}) / $h" | bc -l)"
  done
  echo "total connections held: $total"
  echo "nodes CPU while only holding them (the 20 s after the last ramp): $IDLE_CPU % of one core"
} | tee "$OUT/D-held.txt"

run_load() { # $1 = name, $2 = comma-separated URLs
  echo "== $(now) $1 (all $IDLE idle connections held)"
  local t0 t1 s0 s1
  t0=$(cpu_ticks "${PIDS[@]}"); s0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "${ON_BENCH_CPUS[@]}" java -jar "$BENCH_JAR" load --url "$2" $LOAD --user-prefix "d$$$1" \
    --json "$OUT/$1.json" | tee "$OUT/$1.txt"
  t1=$(cpu_ticks "${PIDS[@]}"); s1=$(date +%s.%N)
  printf 'nodes CPU over the whole run (warm-up included): %.1f s in %.1f s\n' \
    "$(echo "($t1 - $t0) / $(getconf CLK_TCK)" | bc -l)" "$(echo "$s1 - $s0" | bc -l)" | tee -a "$OUT/$1.txt"
}
ALL=$(IFS=,; echo "${URLS[*]}")
run_load D-cross "$ALL"
run_load D-single "${URLS[0]}"
run_load D-cross2 "$ALL"

declare -a RSS2
for i in $(seq 1 "$NODES"); do RSS2[i]=$(rss_kib "${PIDS[i-1]}"); done
sleep $(( SETTLE + 20 )) # the heap grown by the loads goes back after G1PeriodicGCInterval
{
  echo "after the loads: connections held, RSS at the end of the last load -> $(( SETTLE + 20 )) s later"
  for i in $(seq 1 "$NODES"); do
    printf 'node%d: %d connections held, RSS %d -> %d MiB\n' "$i" "$(held $(( 18100 + i )))" \
      $(( RSS2[i] / 1024 )) $(( $(rss_kib "${PIDS[i-1]}") / 1024 ))
  done
} | tee -a "$OUT/D-held.txt"

echo "== $(now) releasing the idle connections"
touch "$OUT/release"
for i in $(seq 1 "$NODES"); do
  wait "${CAP_PIDS[i-1]}"
  echo "node$i: $(grep -E "^target" "$OUT/D-idle-node$i.txt")"
done
CAP_PIDS=()
echo "== done $(now)"
