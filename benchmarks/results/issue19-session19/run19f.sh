#!/bin/bash
cd /work/perf
for i in 1 2; do for j in ps ck500 ck100; do
  echo "== ck-$j$i" >> /work/perf/ab-ck.log
  TLOPT="--timeline=/work/perf/out/ck-$j$i.timeline" JAR=/tmp/jars/$j.jar ./bmetrics.sh ck-$j$i >> /work/perf/ab-ck.log 2>&1
done; done
echo RUN-DONE >> /work/perf/ab-ck.log
