#!/bin/bash
# B on the given jar, scraping the commit-time histogram at 38 and 48 s
name=$1; shift; out=/work/perf/out
JAR=${JAR:-/tmp/jars/bw.jar}
rm -rf /tmp/bm-$name
taskset -c 0 java $JOPTS -XX:SharedArchiveFile=${JAR%.jar}.jsa -jar $JAR --port 18080 --host 127.0.0.1 --data-dir /tmp/bm-$name --rate-limit 0 --bcrypt-cost 4 "$@" > $out/$name.server.log 2>&1 &
PID=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
[ -n "$HOOK" ] && $HOOK $PID
(sleep 38; /work/perf/ss.sh $PID > $out/$name.ss1; curl -s localhost:18080/metrics | grep -E "chat_store_commit_seconds_(bucket|count|sum)|chat_store_batch_size_(count|sum)" > $out/$name.m1; sleep 10; /work/perf/ss.sh $PID > $out/$name.ss2; curl -s localhost:18080/metrics | grep -E "chat_store_commit_seconds_(bucket|count|sum)|chat_store_batch_size_(count|sum)" > $out/$name.m2) &
SP=$!
taskset -c 1 java $BJOPTS -jar ${BENCH:-/tmp/jars/bench2.jar} load --url http://127.0.0.1:18080 ${LOAD:--c 1000 -g 10 -s 100 -r 2000} --warmup ${WARM:-30} -d 20 $TLOPT ${NOPID:---server-pid $PID} > $out/$name.txt 2>&1
wait $SP; kill $PID; wait $PID 2>/dev/null; rm -rf /tmp/bm-$name
grep -E "delivery|cpu:" $out/$name.txt; python3 /work/perf/ssdiff.py $out/$name.ss1 $out/$name.ss2
paste $out/$name.m1 $out/$name.m2 | awk '{split($1,a," "); printf "%s %d\n", $1, $4-$2}'
