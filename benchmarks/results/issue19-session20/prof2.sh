#!/bin/bash
# usage: bprof.sh OUTNAME [JARDIR] ; B with async-profiler 10 s from 35 s
name=$1; root=${2:-/work/main}; out=${OUTDIR:-/tmp/bprof}; mkdir -p $out
LIB=/tmp/apdl/x/linux-x64/libasyncProfiler.so
rm -rf /tmp/bdata-$name
taskset -c 0 java $JOPTS -XX:SharedArchiveFile=${JAR%.jar}.jsa -jar $JAR --port 18080 --host 127.0.0.1 --data-dir /tmp/bdata-$name --rate-limit 0 --bcrypt-cost 4 > $out/$name.server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
(taskset -c 1 java -jar /tmp/jars/bench2.jar load --url http://127.0.0.1:18080 ${LOAD:--c 1000 -g 10 -s 100 -r 2000} --warmup 30 -d 20 --server-pid $PID > $out/$name.txt 2>&1) &
BP=$!
# wait for "measuring" ~ registration takes a while; profile 35 s after the load starts sending

sleep ${PSTART:-42}
if [ "${PROF:-1}" = 1 ]; then
jcmd $PID JVMTI.agent_load $LIB "\"start,event=itimer,interval=1ms,threads\"" >/dev/null
sleep 10
jcmd $PID JVMTI.agent_load $LIB "\"stop,file=$out/$name.collapsed,collapsed\"" >/dev/null
fi
wait $BP
kill $PID; wait $PID 2>/dev/null
grep -E 'delivery|ack|server|sent' $out/$name.txt | head -20
