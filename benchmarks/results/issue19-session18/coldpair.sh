#!/bin/bash
# one cold ramp of 19000 per fresh server, builds alternating; CPU per handshake from /proc
for i in 1 2 3 4; do for j in v10 hs; do
  OUT=/tmp/c/cold-$j$i; rm -rf $OUT; mkdir -p $OUT; ulimit -n 20000
  taskset -c 0 java -XX:SharedArchiveFile=/tmp/jars/$j.jsa -jar /tmp/jars/$j.jar --port 18080 --host 127.0.0.1 --data-dir $OUT/data --rate-limit 0 --bcrypt-cost 4 > $OUT/server.log 2>&1 &
  PID=$!; for k in $(seq 1 120); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.5; done
  t0=$(awk '{print $14+$15}' /proc/$PID/stat)
  taskset -c 1 java -jar /tmp/jars/bench2.jar capacity --url http://127.0.0.1:18080 -c 19000 --users 100 --spread-sources --hold 1 --server-pid $PID > $OUT/ramp.txt 2>&1
  t1=$(awk '{print $14+$15}' /proc/$PID/stat)
  kill $PID; wait $PID 2>/dev/null
  echo "cold-$j$i: $(grep -o '[0-9]* handshakes/s' $OUT/ramp.txt | tail -1); server cpu $(( (t1-t0)*10 )) ms = $(( (t1-t0)*10000000/19000 )) ns each; cds: $(grep -c 'failed to load' $OUT/server.log) failures"
done; done
