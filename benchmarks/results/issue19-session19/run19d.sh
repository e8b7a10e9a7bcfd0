#!/bin/bash
cd /work/perf
for i in 1 2 3; do for j in bw ps; do
  JAR=/tmp/jars/$j.jar ./ab.sh s19-bps-$j$i B >> /work/perf/ab-ps.log 2>&1
done; done
echo RUN-DONE >> /work/perf/ab-ps.log
