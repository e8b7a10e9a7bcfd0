#!/bin/bash
cd /work/perf
for i in 1 2; do
JAR=/tmp/jars/head.jar ./bmetrics.sh h$i
JAR=/tmp/jars/ck.jar JOPTS="-Dtrial.ckms=1000000 -Dtrial.backstop=10000000" ./bmetrics.sh nock$i
done
