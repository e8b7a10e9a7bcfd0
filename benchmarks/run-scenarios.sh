#!/bin/bash
# Scenarios A, B and C of BENCHMARKS.md: Parley, the bare Netty baseline and (when
# benchmarks/node-baseline has had `npm ci`) the Node.js ws + SQLite baseline, back to back.
# Build first:  mvn -q package -DskipTests   (from the repository root)
# Results (text and JSON) go to $OUT, default ./bench-out. RUNS (default 3) repeats scenario A.
# SCENARIOS (default "A B C") picks which scenarios run, e.g. SCENARIOS=C for memory only.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_JAR=${SERVER_JAR:-$ROOT/chat-server/target/chat-server.jar}
BENCH_JAR=$ROOT/benchmarks/target/chat-bench.jar
NODE_DIR=$ROOT/benchmarks/node-baseline
OUT=${OUT:-$PWD/bench-out}
RUNS=${RUNS:-3}
CONNS_C=${CONNS_C:-19000}   # scenario C; each process needs one descriptor per connection (ulimit -n)
SCENARIOS=${SCENARIOS:-A B C}
mkdir -p "$OUT"
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
# Servers on one core, chat-bench on another (issue 19's method): sharing both cores hides the
# server's own cost. SERVER_CPUS/BENCH_CPUS change the cores; PIN=0 turns pinning off.
SERVER_CPUS=${SERVER_CPUS:-0}
BENCH_CPUS=${BENCH_CPUS:-1}
if [[ ${PIN:-1} == 1 ]] && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  ON_SERVER_CPUS=(taskset -c "$SERVER_CPUS"); ON_BENCH_CPUS=(taskset -c "$BENCH_CPUS")
else
  ON_SERVER_CPUS=(); ON_BENCH_CPUS=()
fi

# Issue 19's method: measured after a 30 s warm-up (WARMUP); our server's first 30 s are also
# measured on their own, on a fresh server (the "-first" results).
WARMUP=${WARMUP:-30}
A_LOAD="-c 100 -g 10 -s 10 -w 16"
B_LOAD="-c 1000 -g 10 -s 100 -r 2000"
A_ARGS="$A_LOAD --warmup $WARMUP -d 20"
B_ARGS="$B_LOAD --warmup $WARMUP -d 20"
# Held 70 s before RSS is read. The README's flags hand heap back at a periodic collection, which
# G1 starts at its first check (every G1PeriodicGCInterval, 30 s) that finds no collection in the
# last 30 s: 30 to 60 s after the ramp's last one.
C_ARGS="-c $CONNS_C --users 100 --spread-sources --hold 70"

wait_for() { # $1 = log file to grep for "port", or a URL to poll
  for _ in $(seq 1 120); do
    if [[ $1 == http* ]]; then curl -sf "$1" >/dev/null && return; else grep -q "port" "$1" && return; fi
    sleep 0.5
  done
}
load() { echo "$(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"; }

# The README's command: the class-data archive that `mvn package` builds beside the jar.
CDS=(); [[ -f $ROOT/chat-server/target/chat-server.jsa ]] && CDS=(-XX:SharedArchiveFile="$ROOT/chat-server/target/chat-server.jsa")
# $1 = name, $2 = extra JVM flags, rest = server flags; sets PID and URL
start_ours() {
  local name=$1 jvm=$2; shift 2
  rm -rf "$OUT/data-$name"
  # shellcheck disable=SC2086
  "${ON_SERVER_CPUS[@]}" java $jvm "${CDS[@]}" -jar "$SERVER_JAR" --port 18080 --host 127.0.0.1 --data-dir "$OUT/data-$name" \
    --rate-limit 0 --bcrypt-cost 4 "$@" > "$OUT/server-$name.log" 2>&1 &
  PID=$!; URL=http://127.0.0.1:18080; wait_for $URL/healthz
}
# $1 = name, then the baseline's flags: --batch-flush (flushes once per read), --durable FILE
# (acks and relays only after an fdatasync of FILE: the floor for a server that acks durably)
start_bare() {
  "${ON_SERVER_CPUS[@]}" java -cp "$BENCH_JAR" dev.parley.bench.baseline.BareNettyServer 19090 "${@:2}" > "$OUT/server-$1.log" 2>&1 &
  PID=$!; URL=http://127.0.0.1:19090; wait_for "$OUT/server-$1.log"
}
start_node() {
  rm -f "$OUT/node-$1.db"*
  "${ON_SERVER_CPUS[@]}" node "$NODE_DIR/server.js" 19091 "$OUT/node-$1.db" > "$OUT/server-$1.log" 2>&1 &
  PID=$!; URL=http://127.0.0.1:19091; wait_for "$OUT/server-$1.log"
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null; }
bench() { # $1 = mode (load|capacity), $2 = name, rest = chat-bench flags
  local mode=$1 name=$2; shift 2
  echo "== $name $(load)"
  # shellcheck disable=SC2068
  "${ON_BENCH_CPUS[@]}" java -jar "$BENCH_JAR" "$mode" --url "$URL" $@ --server-pid "$PID" --json "$OUT/$name.json" \
    | tee "$OUT/$name.txt"
}
have_node() { command -v node >/dev/null && [ -d "$NODE_DIR/node_modules" ]; }

if want A; then
  start_ours A-ours-first ""; bench load A-ours-first $A_LOAD --warmup 0 -d 30; stop
  for i in $(seq 1 "$RUNS"); do
    start_bare "A-bare$i"; bench load "A-bare$i" $A_ARGS; stop
    start_bare "A-bareb$i" --batch-flush; bench load "A-bareb$i" $A_ARGS; stop
    start_bare "A-bared$i" --durable "$OUT/bare.log"; bench load "A-bared$i" $A_ARGS; stop
    start_ours "A-ours$i" ""; bench load "A-ours$i" $A_ARGS; stop
    if have_node; then start_node "A-node$i"; bench load "A-node$i" $A_ARGS; stop; fi
  done
fi

if want B; then
  start_ours B-ours-first ""; bench load B-ours-first $B_LOAD --warmup 0 -d 30; stop
  start_ours B-ours ""; bench load B-ours $B_ARGS; stop
  start_bare B-bare; bench load B-bare $B_ARGS; stop
  start_bare B-bareb --batch-flush; bench load B-bareb $B_ARGS; stop
  start_bare B-bared --durable "$OUT/bare.log"; bench load B-bared $B_ARGS; stop
  if have_node; then start_node B-node; bench load B-node $B_ARGS; stop; fi
fi

if want C; then
  # C on fresh servers: "-first" is the cold server (the JIT compiling on the same core, the heap
  # growing); then WARM_RAMPS quick ramps (opened, closed at once) warm the JIT up, SETTLE seconds
  # (see the hold above) let a server hand back the heap they grew, and the measured ramp starts
  # from a warm server at rest. Ours twice: default JVM flags, then the README's flags that hand
  # unused heap back.
  capacity_ramps() {
    bench capacity "$1-first" $C_ARGS
    for i in $(seq 1 "${WARM_RAMPS:-3}"); do bench capacity "$1-warmup$i" -c "$CONNS_C" --users 100 --spread-sources --hold 1; done
    sleep "${SETTLE:-65}"
    bench capacity "$1" $C_ARGS
  }
  start_ours C-ours ""; capacity_ramps C-ours; stop
  start_ours C-ours-shrink "-XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000"
  capacity_ramps C-ours-shrink; stop
  start_bare C-bare; capacity_ramps C-bare; stop
  if have_node; then start_node C-node; capacity_ramps C-node; stop; fi
fi
rm -f "$OUT/bare.log"
echo "== done $(date -u +%T)"
