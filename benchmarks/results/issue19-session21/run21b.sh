#!/bin/bash
export LOAD="-c 100 -g 10 -s 10 -w 16"
for i in 1 2; do for m in full bare bareb; do /work/perf/floor.sh a$m$i $m; done; done
cd /work/perf; for m in fdatasync fsync fdatasync fsync; do for f in 1 8; do taskset -c 0 python3 syncmode.py $m $f; done; done
echo RUN-DONE
