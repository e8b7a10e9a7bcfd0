#!/bin/bash
# allocation profile of a server holding N idle connections
set -u
N=${N:-19000}; JAR=${JAR:-/work/main/chat-server/target/chat-server.jar}; BENCH=/work/main/benchmarks/target/chat-bench.jar
OUT=/tmp/c/${1:-alloc}; rm -rf $OUT; mkdir -p $OUT
LIB=/tmp/apdl/x/linux-x64/libasyncProfiler.so
taskset -c 0 java -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000 -XX:SharedArchiveFile=/work/main/chat-server/target/chat-server.jsa -Xlog:gc:file=$OUT/gc.log -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
taskset -c 1 java -jar $BENCH capacity --url http://127.0.0.1:18080 -c $N --users 100 --spread-sources --hold ${HOLD:-100} --server-pid $PID > $OUT/ramp.txt 2>&1 &
BP=$!
sleep 30
jcmd $PID JVMTI.agent_load $LIB "\"start,event=alloc,threads\"" > /dev/null
jcmd $PID GC.heap_info | head -3 > $OUT/heap0.txt
sleep ${PROF_S:-40}
jcmd $PID JVMTI.agent_load $LIB "\"stop,file=$OUT/alloc.txt,collapsed\"" > /dev/null
jcmd $PID GC.heap_info | head -3 > $OUT/heap1.txt
wait $BP
kill $PID; wait $PID 2>/dev/null
grep -v "ramp done" $OUT/ramp.txt; cat $OUT/heap0.txt $OUT/heap1.txt
