#!/bin/bash
cd /work/perf
for i in 1 2; do
JAR=/tmp/jars/ck.jar JOPTS="-Dtrial.ckms=1000 -Dtrial.backstop=100000" ./bmetrics.sh ck1s$i
JAR=/tmp/jars/head.jar ./bmetrics.sh hk$i
done
