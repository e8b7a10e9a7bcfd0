#!/bin/bash
cd /work/perf
for i in 1 2; do for j in v11 bw; do
  JAR=/tmp/jars/$j.jar ./ab.sh s19-abw-$j$i A >> /work/perf/ab-bw.log 2>&1
done; done
echo RUN-DONE >> /work/perf/ab-bw.log
