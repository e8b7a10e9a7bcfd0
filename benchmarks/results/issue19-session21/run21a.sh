#!/bin/bash
for i in 1 2; do for m in full normal bare bareb; do /work/perf/floor.sh f$m$i $m; done; done
echo RUN-DONE
