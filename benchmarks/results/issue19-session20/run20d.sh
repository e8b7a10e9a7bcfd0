#!/bin/bash
cd /work/perf
for i in 1 2 3; do
JAR=/tmp/jars/head.jar ./bmetrics.sh bh$i
JAR=/tmp/jars/ac.jar ./bmetrics.sh bac$i
done
