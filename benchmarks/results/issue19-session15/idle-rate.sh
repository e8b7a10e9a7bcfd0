#!/bin/bash
# usage: JAR=... idle-rate.sh NAME ; README flags, N idle conns, heap allocation rate during the hold (jstat)
set -u
N=${N:-19000}; JAR=${JAR:-/work/main/chat-server/target/chat-server.jar}; BENCH=/tmp/jars/bench.jar
OUT=/tmp/c/${1}; rm -rf $OUT; mkdir -p $OUT
ulimit -n 20000
taskset -c 0 java -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000 -Xlog:gc:file=$OUT/gc.log -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users 100 --spread-sources --hold ${HOLD:-110} --server-pid $PID > $OUT/ramp.txt 2>&1 &
BP=$!
for i in $(seq 1 240); do grep -q 'ramp done' $OUT/ramp.txt && break; sleep 0.5; done
sleep 20
S0=$(awk '{print $14+$15}' /proc/$PID/stat)
jstat -gc $PID 1000 ${SECS:-60} > $OUT/jstat.txt
S1=$(awk '{print $14+$15}' /proc/$PID/stat)
wait $BP
kill $PID; wait $PID 2>/dev/null
grep 'ramp done' $OUT/ramp.txt
python3 - $OUT/jstat.txt $(( S1 - S0 )) <<'PY'
import sys
rows=[l.split() for l in open(sys.argv[1])]
h=rows[0]; rows=[list(map(float,r)) for r in rows[1:] if r and r[0][0].isdigit()]
iEC,iEU,iY=h.index('EC'),h.index('EU'),h.index('YGC')
alloc=0.0
for p,c in zip(rows,rows[1:]):
    if c[iY]==p[iY]: alloc+=max(0,c[iEU]-p[iEU])
    else: alloc+=(p[iEC]-p[iEU])+c[iEU]
secs=len(rows)-1
print(f"heap allocated while idle: {alloc/secs:.0f} KB/s over {secs} s; young GCs {int(rows[-1][iY]-rows[0][iY])}; server CPU {int(sys.argv[2])*10/secs:.1f} ms/s")
PY
