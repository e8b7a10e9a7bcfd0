#!/bin/bash
# usage: ab.sh NAME SCEN(A|B) [server args...]   server on core 0, chat-bench on core 1
name=$1; scen=$2; shift 2
out=${OUTDIR:-/work/perf/out}; mkdir -p $out
JAR=${JAR:-/work/main/chat-server/target/chat-server.jar}
JSA=${JAR%.jar}.jsa
rm -rf /tmp/abdata-$name
taskset -c 0 java $JOPTS -XX:SharedArchiveFile=$JSA -jar $JAR --port 18080 --host 127.0.0.1 --data-dir /tmp/abdata-$name --rate-limit 0 --bcrypt-cost 4 "$@" > $out/$name.server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
if [ $scen = A ]; then LOAD="-c 100 -g 10 -s 10 -w 16"; else LOAD="-c 1000 -g 10 -s 100 -r 2000"; fi
(sleep 38; /work/perf/sample.sh $PID > $out/$name.s1; sleep 10; /work/perf/sample.sh $PID > $out/$name.s2) &
SP=$!
taskset -c 1 java -jar ${BENCH:-/tmp/jars/bench2.jar} load --url http://127.0.0.1:18080 $LOAD --warmup ${WARM:-30} -d ${DUR:-20} --server-pid $PID > $out/$name.txt 2>&1
wait $SP
python3 /work/perf/sdiff.py $out/$name.s1 $out/$name.s2
kill $PID; wait $PID 2>/dev/null
rm -rf /tmp/abdata-$name
echo "== $name"; grep -E 'deliver|latency|p50|server|lost|missing' $out/$name.txt | head -12
