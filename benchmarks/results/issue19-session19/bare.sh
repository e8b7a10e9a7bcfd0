#!/bin/bash
# bare.sh NAME [--batch-flush]  A against the bare Netty baseline, server core 0, bench core 1
name=$1; out=/work/perf/out
taskset -c 0 java -cp /tmp/jars/bench2.jar dev.parley.bench.baseline.BareNettyServer 19090 ${2:-} > $out/$name.server.log 2>&1 &
PID=$!
for i in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/19090) 2>/dev/null && break; sleep 0.5; done
taskset -c 1 java -jar /tmp/jars/bench2.jar load --url http://127.0.0.1:19090 ${LOAD:--c 100 -g 10 -s 10 -w 16} --warmup 30 -d 20 --server-pid $PID > $out/$name.txt 2>&1
kill $PID; wait $PID 2>/dev/null
echo "== $name"; grep -E 'throughput|cpu:|NO LOSS|LOSS' $out/$name.txt
