#!/bin/bash
cd /work/perf
for i in 1 2; do
JAR=/tmp/jars/head.jar HOOK=/work/perf/rt-commit.sh ./bmetrics.sh rt$i
JAR=/tmp/jars/head.jar ./bmetrics.sh h$((i+5))
done
