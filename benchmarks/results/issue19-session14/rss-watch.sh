#!/bin/bash
# RSS every 5 s while a ramp of N is held HOLD s, then closed; JOPTS for the server
set -u
N=${N:-19000}; HOLD=${HOLD:-90}; JAR=${JAR:-/work/main/chat-server/target/chat-server.jar}; BENCH=/work/main/benchmarks/target/chat-bench.jar
OUT=/tmp/c/${1:-watch}; rm -rf $OUT; mkdir -p $OUT
taskset -c 0 java ${JOPTS:-} -XX:SharedArchiveFile=/work/main/chat-server/target/chat-server.jsa -Xlog:gc:file=$OUT/gc.log -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
( t0=$(date +%s); while kill -0 $PID 2>/dev/null; do echo "$(( $(date +%s) - t0 )) $(awk '/VmRSS/{print $2}' /proc/$PID/status)"; sleep 5; done ) > $OUT/rss.txt &
for r in 0 1; do
  taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users 100 --spread-sources --hold $HOLD --server-pid $PID > $OUT/ramp$r.txt 2>&1
  sleep ${SETTLE:-90}
done
kill $PID; wait $PID 2>/dev/null
grep -v "ramp done" $OUT/ramp*.txt
