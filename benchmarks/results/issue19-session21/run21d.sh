#!/bin/bash
export LOAD="-c 100 -g 10 -s 10 -w 16"
for i in 1 2; do for m in bared full; do /work/perf/floor.sh ad$m$i $m; done; done
echo RUN-DONE
