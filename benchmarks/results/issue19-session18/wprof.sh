#!/bin/bash
# wprof.sh NAME: server (README command), WARMUPS ramps of 19000, then MEASURED ramps, the last profiled if PROF=1
NAME=$1; JAR=${JAR:-/tmp/jars/v10.jar}; JSA=${JAR%.jar}.jsa; OUT=/tmp/c/$NAME; rm -rf $OUT; mkdir -p $OUT; ulimit -n 20000
LIB=/tmp/apdl/x/linux-x64/libasyncProfiler.so
taskset -c 0 java -XX:SharedArchiveFile=$JSA -jar $JAR --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
PID=$!; for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
W=${WARMUPS:-4}; M=${MEASURED:-2}
for r in $(seq 1 $((W+M))); do
  [ "${PROF:-0}" = 1 ] && [ $r = $((W+M)) ] && jcmd $PID JVMTI.agent_load $LIB "\"start,event=itimer,interval=1ms,threads\"" >/dev/null
  t0=$(awk '{print $14+$15}' /proc/$PID/stat)
  taskset -c 1 java -jar /tmp/jars/bench2.jar capacity --url http://127.0.0.1:18080 -c ${N:-19000} --users 100 --spread-sources --hold 1 --server-pid $PID > $OUT/ramp$r.txt 2>&1
  t1=$(awk '{print $14+$15}' /proc/$PID/stat)
  [ "${PROF:-0}" = 1 ] && [ $r = $((W+M)) ] && jcmd $PID JVMTI.agent_load $LIB "\"stop,file=$OUT/prof.collapsed,collapsed\"" >/dev/null
  echo "$NAME ramp$r: $(grep -o '[0-9]* handshakes/s' $OUT/ramp$r.txt | tail -1); server cpu $(( (t1-t0)*10 )) ms for ${N:-19000} = $(( (t1-t0)*10000000/${N:-19000} )) ns each (open, hold 1 s, close)"
done
kill $PID; wait $PID 2>/dev/null
