#!/bin/bash
# usage: JAVA=... JOPTS=... cold.sh NAME ; one cold ramp of N idle conns (then two more), handshakes/s
set -u
NAME=$1; N=${N:-19000}; JAVA=${JAVA:-java}; JAR=${JAR:-/work/main/chat-server/target/chat-server.jar}; BENCH=/tmp/jars/bench.jar
OUT=/tmp/c/$NAME; rm -rf $OUT; mkdir -p $OUT
ulimit -n 20000
if [ "${BARE:-0}" = 1 ]; then
  taskset -c 0 java -cp $BENCH dev.parley.bench.baseline.BareNettyServer 18080 > $OUT/server.log 2>&1 &
  PID=$!; for i in $(seq 1 120); do grep -q port $OUT/server.log && break; sleep 0.5; done
else
  taskset -c 0 $JAVA ${JOPTS:-} -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
  PID=$!; for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
fi
for r in 1 2 3; do
  taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users 100 --spread-sources --hold 1 --server-pid $PID > $OUT/ramp$r.txt 2>&1
  echo "$NAME ramp$r: $(grep -o '[0-9]* handshakes/s' $OUT/ramp$r.txt | tail -1)"
done
kill $PID; wait $PID 2>/dev/null
