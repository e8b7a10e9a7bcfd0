#!/bin/bash
for i in 1 2 3; do for m in bared bareb full; do /work/perf/floor.sh d$m$i $m; done; done
echo RUN-DONE
