#!/bin/bash
cd /work/perf
for r in 1 2; do for j in head v11; do
  taskset -c 0 java -cp /tmp/jars/$j.jar CommitCost2.java 110 400 10 sdk $j 2>&1 | tail -1
  taskset -c 0 java -cp /tmp/jars/$j.jar CommitCost2.java 2 6000 100 sdk $j 2>&1 | tail -1
done; done > /work/perf/cc-v11.txt
for i in 1 2 3 4; do for j in head v11; do
  JAR=/tmp/jars/$j.jar ./ab.sh s19-b-$j$i B >> /work/perf/ab-b.log 2>&1
done; done
for i in 1 2; do for j in head v11; do
  JAR=/tmp/jars/$j.jar ./ab.sh s19-a-$j$i A >> /work/perf/ab-a.log 2>&1
done; done
echo RUN-DONE >> /work/perf/ab-a.log
