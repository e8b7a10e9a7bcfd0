#!/bin/bash
# B (1000 conns, rooms of 10, 2000 sends/s, 30 s warm-up, 20 s; LOAD overrides) on: full | normal | bare | bareb | bared (the bare server acking after an fdatasync)
name=$1; mode=$2; out=/work/perf/out; mkdir -p $out
JAR=${JAR:-/tmp/jars/head.jar}
rm -rf /tmp/fl-$name; mkdir -p /tmp/fl-$name
case $mode in
  full|normal)
    extra=(); [ $mode = normal ] && extra=(--db "jdbc:sqlite:/tmp/fl-$name/chat.db?synchronous=NORMAL")
    taskset -c 0 java -XX:SharedArchiveFile=${JAR%.jar}.jsa -jar $JAR --port 18080 --host 127.0.0.1 --data-dir /tmp/fl-$name --rate-limit 0 --bcrypt-cost 4 "${extra[@]}" > $out/$name.server.log 2>&1 &
    PID=$!; URL=http://127.0.0.1:18080
    for i in $(seq 1 120); do curl -sf $URL/healthz >/dev/null && break; sleep 0.5; done ;;
  bare|bareb|bared)
    flag=; [ $mode = bareb ] && flag=--batch-flush; [ $mode = bared ] && flag="--durable /tmp/fl-$name/bare.log"
    taskset -c 0 java -cp /tmp/jars/bench3.jar dev.parley.bench.baseline.BareNettyServer 19090 $flag > $out/$name.server.log 2>&1 &
    PID=$!; URL=http://127.0.0.1:19090
    for i in $(seq 1 120); do grep -q port $out/$name.server.log && break; sleep 0.5; done ;;
esac
(sleep 38; /work/perf/ss.sh $PID > $out/$name.ss1; sleep 10; /work/perf/ss.sh $PID > $out/$name.ss2) &
SP=$!
taskset -c 1 java -jar /tmp/jars/bench2.jar load --url $URL ${LOAD:--c 1000 -g 10 -s 100 -r 2000} --warmup 30 -d 20 --server-pid $PID > $out/$name.txt 2>&1
wait $SP; kill $PID; wait $PID 2>/dev/null; rm -rf /tmp/fl-$name
echo "== $name ($mode)"; grep -E "delivery|cpu:" $out/$name.txt; python3 /work/perf/ssdiff.py $out/$name.ss1 $out/$name.ss2 | head -6
