#!/bin/bash
# usage: JAR=... JSA=... rss-run.sh NAME ; cold server with the README's heap flags, one ramp of N held 70 s
set -u
NAME=$1; N=${N:-19000}; JAVA=${JAVA:-java}; JAR=${JAR:-/tmp/jars/head.jar}; BENCH=/tmp/jars/bench.jar
OUT=/tmp/c/$NAME; rm -rf $OUT; mkdir -p $OUT
ulimit -n 20000
FLAGS="-XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000"
taskset -c 0 $JAVA $FLAGS ${CDSOPT:-} -Xlog:gc:file=$OUT/gc.log -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
PID=$!; for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users 100 --spread-sources --hold ${HOLD:-70} --server-pid $PID > $OUT/ramp.txt 2>&1
kill $PID; wait $PID 2>/dev/null
echo "$NAME: $(grep -o '[0-9]* handshakes/s' $OUT/ramp.txt | tail -1); $(grep -o 'server RSS.*per connection' $OUT/ramp.txt)"
