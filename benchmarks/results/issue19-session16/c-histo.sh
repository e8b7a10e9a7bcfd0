#!/bin/bash
# usage: JAR=... N=10000 c-histo.sh NAME ; server core 0, chat-bench capacity core 1; histo:live before/after
set -u
NAME=$1; N=${N:-10000}; JAR=${JAR:-/tmp/jars/head.jar}; BENCH=${BENCH:-/tmp/jars/bench.jar}
OUT=/tmp/c/$NAME; rm -rf $OUT; mkdir -p $OUT
ulimit -n 20000 2>/dev/null
taskset -c 0 java ${JOPTS:-} -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
# warm ramp first (close), then measured
if [[ ${WARMRAMP:-1} == 1 ]]; then
  taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users ${USERS:-100} --spread-sources --hold 1 --server-pid $PID > $OUT/ramp0.txt 2>&1
fi
for i in $(seq 1 120); do c=$(curl -s http://127.0.0.1:18080/metrics | awk '/^chat_connections /{print $2}'); [[ ${c%.*} == 0 ]] && break; sleep 0.5; done; echo "open before h0: $c"
jmap -histo:live $PID > $OUT/h0.txt
grep VmRSS /proc/$PID/status > $OUT/rss0.txt
taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users ${USERS:-100} --spread-sources --hold ${HOLD:-20} --server-pid $PID > $OUT/ramp1.txt 2>&1 &
BP=$!
sleep $(( ${HOLD:-20} / 2 + 8 ))
c=$(curl -s http://127.0.0.1:18080/metrics | awk '/^chat_connections /{print $2}'); echo "open at h1: $c"
jmap -histo:live $PID > $OUT/h1.txt
grep VmRSS /proc/$PID/status > $OUT/rss1.txt
wait $BP
kill $PID; wait $PID 2>/dev/null
cat $OUT/ramp*.txt
python3 "$(dirname "$0")/hdiff.py" $OUT/h0.txt $OUT/h1.txt $N | head -${TOP:-40}
